/**
 * The authorize endpoint and the sign-in pages: `GET /oauth2/authorize` checks the request and
 * sends the browser to `/login` with the same parameters; `GET /login` shows the form, `POST
 * /login` signs in through the domain's managed-login sign-in (the API's password check, lockout
 * and user-existence rules), then redirects with a code or tokens. A temporary password leads to
 * the new-password page (`POST /login/new-password`), an MFA step to the MFA pages (./mfa-pages.ts).
 */
import { randomBytes } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { RequestContext, Services } from "../../context.ts";
import {
  answerNewPassword,
  choiceBased,
  type ManagedLoginStep,
  passwordSignIn,
} from "../../domain/auth/managed-login.ts";
import {
  AUTHORIZE_PARAMS,
  type AuthorizationRequest,
  callerOf,
  checkAuthorizationRequest,
  type Params,
} from "../../domain/oauth/authorize.ts";
import { OAuthError } from "../../domain/oauth/errors.ts";
import { authorizationResponse, errorRedirectUrl } from "../../domain/oauth/response.ts";
import { sessionCookieName, startManagedLoginSession, usableSession } from "../../domain/oauth/session.ts";
import { AwsError } from "../../errors.ts";
import { rawBody } from "../body.ts";
import { clientBranding } from "./branding.ts";
import { providerChoices, startExternal } from "./federation-start.ts";
import type { PageBranding } from "./pages/layout.ts";
import { challengeStep } from "./mfa-steps.ts";
import { usernamePage } from "./pages/choice-views.ts";
import { errorPage, loginPage, newPasswordPage } from "./pages/views.ts";
import {
  contextOf,
  cookies,
  CSRF_COOKIE,
  csrfToken,
  csrfValid,
  formOf,
  parseParams,
  queryOf,
  redirect,
  sendPage,
  setCookie,
} from "./web.ts";

/** The authorization request's parameters, in a stable order, as the pages carry them. */
export function carriedQuery(params: Params): string {
  const picked: [string, string][] = [];
  for (const name of AUTHORIZE_PARAMS) if (params[name] !== undefined) picked.push([name, params[name]]);
  return new URLSearchParams(picked).toString();
}

/** An authorize error: back to the client when it may go there, else on an error page. */
export function answerAuthorizeError(reply: FastifyReply, error: OAuthError, lang?: string): FastifyReply {
  if (error.redirect) return redirect(reply, errorRedirectUrl(error.redirect, error));
  return sendPage(
    reply,
    400,
    errorPage({
      error: error.code,
      ...(error.description === undefined ? {} : { description: error.description }),
      ...(lang === undefined ? {} : { lang }),
    }),
  );
}

export interface Attempt {
  ctx: RequestContext;
  params: Params;
  request: AuthorizationRequest;
  query: string;
  /** The app client's branding (./branding.ts), when it has one. */
  branding?: PageBranding;
}

/**
 * Reads and checks the authorization request of a page (from its query, or the given encoded
 * parameters); answers the error itself when it fails.
 */
export async function attempt(
  services: Services,
  req: FastifyRequest,
  reply: FastifyReply,
  encoded: string = queryOf(req),
): Promise<Attempt | undefined> {
  const params = parseParams(encoded);
  if (!params) {
    answerAuthorizeError(reply, new OAuthError("invalid_request", "A parameter was given more than once."));
    return undefined;
  }
  const ctx = contextOf(services, req);
  try {
    const request = await checkAuthorizationRequest(ctx, params);
    const branding = await clientBranding(services, request.pool.id, request.client.clientId);
    return {
      ctx: contextOf(services, req, request.pool.region),
      params,
      request,
      query: carriedQuery(params),
      ...(branding ? { branding } : {}),
    };
  } catch (e) {
    if (!(e instanceof OAuthError)) throw e;
    answerAuthorizeError(reply, e, params.lang);
    return undefined;
  }
}

/** The browser's CSRF cookie, made now when it has none. */
export function csrfCookie(services: Services, req: FastifyRequest, reply: FastifyReply): string {
  const existing = cookies(req)[CSRF_COOKIE];
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const value = randomBytes(32).toString("base64url");
  setCookie(services, req, reply, CSRF_COOKIE, value);
  return value;
}

export function common(services: Services, req: FastifyRequest, reply: FastifyReply, a: Attempt) {
  return {
    query: a.query,
    csrf: csrfToken(services, csrfCookie(services, req, reply), a.params),
    ...(a.request.lang === undefined ? {} : { lang: a.request.lang }),
    ...(a.branding ? { branding: a.branding } : {}),
  };
}

/** A refused form (expired page, another site's post): shown, never acted on. */
export function forbidden(reply: FastifyReply, lang?: string, branding?: PageBranding): FastifyReply {
  return sendPage(
    reply,
    403,
    errorPage({
      error: "invalid_request",
      description: "This form has expired or did not come from this sign-in page. Go back and try again.",
      ...(lang === undefined ? {} : { lang }),
      ...(branding ? { branding } : {}),
    }),
  );
}

export type Form = Readonly<Record<string, string>>;

/** A page's posted form with the request it belongs to, when it is one this browser was given (CSRF). */
export async function postedForm(
  services: Services,
  req: FastifyRequest,
  reply: FastifyReply,
): Promise<{ a: Attempt; form: Form } | FastifyReply> {
  const a = await attempt(services, req, reply);
  if (!a) return reply;
  const form = formOf(req);
  if (!form || !csrfValid(services, req, a.params, form._csrf))
    return forbidden(reply, a.request.lang, a.branding);
  return { a, form };
}

/** The wording the pages show for a refused sign-in: the API's message, as Cognito's pages show it. */
export function messageOf(e: unknown): string {
  if (e instanceof AwsError && e.status < 500) return e.message;
  throw e;
}

export interface PageLinks {
  signUp: boolean;
  forgotPassword: boolean;
}

/**
 * Where a sign-in step leads: the client's redirect URI (with the sign-in session cookie), the
 * new-password page, or the page of an MFA step.
 */
export async function finishStep(
  services: Services,
  req: FastifyRequest,
  reply: FastifyReply,
  a: Attempt,
  step: ManagedLoginStep,
  username: string,
): Promise<FastifyReply> {
  if ("user" in step) {
    const session = await startManagedLoginSession(a.ctx, a.request.client, step.user);
    const location = await authorizationResponse(
      a.ctx,
      a.request,
      step.user,
      a.ctx.now,
      session.ssoSessionId,
    );
    setCookie(
      services,
      req,
      reply,
      sessionCookieName(a.request.pool.id),
      session.value,
      session.maxAgeSeconds,
    );
    return redirect(reply, location);
  }
  const { challenge } = step;
  const c = common(services, req, reply, a);
  if (challenge.ChallengeName === "NEW_PASSWORD_REQUIRED" && challenge.Session) {
    const required = JSON.parse(challenge.ChallengeParameters.requiredAttributes ?? "[]") as string[];
    return sendPage(
      reply,
      200,
      newPasswordPage({
        ...c,
        session: challenge.Session,
        username,
        required: required.map((r) => r.replace(/^userAttributes\./, "")),
      }),
    );
  }
  const mfa = await challengeStep(a.ctx, callerOf(a.request), reply, c, challenge, username);
  if (mfa) return mfa;
  throw new Error(`unexpected challenge ${challenge.ChallengeName}`);
}

export function signInRoutes(app: FastifyInstance, services: Services, links: PageLinks): void {
  {
    async function authorize(req: FastifyRequest, reply: FastifyReply, encoded: string) {
      const a = await attempt(services, req, reply, encoded);
      if (!a) return reply;
      // Signed in on these pages within the hour: answered at once, without the form.
      let session;
      try {
        session = await usableSession(a.ctx, a.request, cookies(req)[sessionCookieName(a.request.pool.id)]);
      } catch (e) {
        if (!(e instanceof OAuthError)) throw e;
        return answerAuthorizeError(reply, e, a.request.lang);
      }
      if (a.request.identityProvider !== undefined && !session) {
        try {
          return await startExternal(services, req, reply, a, a.request.identityProvider);
        } catch (e) {
          if (!(e instanceof OAuthError)) throw e;
          return answerAuthorizeError(reply, e, a.request.lang);
        }
      }
      if (session)
        return redirect(
          reply,
          await authorizationResponse(a.ctx, a.request, session.user, session.authTime, session.ssoSessionId),
        );
      return redirect(reply, `/login?${a.query}`);
    }

    app.get("/oauth2/authorize", async (req, reply) => authorize(req, reply, queryOf(req)));

    // Strict mode: the authorization request may also be a form POST (OpenID Connect Core
    // 3.1.2.1); Cognito's endpoint answers GET only.
    if (services.config.oauth.mode === "strict")
      app.post("/oauth2/authorize", async (req, reply) => {
        const type = String(req.headers["content-type"] ?? "")
          .split(";")[0]!
          .trim()
          .toLowerCase();
        if (type !== "application/x-www-form-urlencoded")
          return answerAuthorizeError(
            reply,
            new OAuthError("invalid_request", "The body must be application/x-www-form-urlencoded."),
          );
        return authorize(req, reply, rawBody(req.body).toString("utf8"));
      });

    app.get("/login", async (req, reply) => {
      const a = await attempt(services, req, reply);
      if (!a) return reply;
      const hint = a.request.loginHint;
      // Choice-based sign-in: the username first, then the user's ways to sign in (./choice-pages.ts).
      if (choiceBased(a.request.pool))
        return sendPage(
          reply,
          200,
          usernamePage({
            ...common(services, req, reply, a),
            links,
            ...(hint === undefined ? {} : { username: hint }),
          }),
        );
      const choices = await providerChoices(a);
      return sendPage(
        reply,
        200,
        loginPage({
          ...common(services, req, reply, a),
          links,
          ...(hint === undefined ? {} : { username: hint }),
          alternatives: choices.html,
          passwordForm: choices.cognito,
        }),
      );
    });

    app.post("/login", async (req, reply) => {
      const a = await attempt(services, req, reply);
      if (!a) return reply;
      const form = formOf(req);
      if (!form || !csrfValid(services, req, a.params, form._csrf))
        return forbidden(reply, a.request.lang, a.branding);
      if (!(a.request.client.settings.SupportedIdentityProviders ?? []).includes("COGNITO"))
        return forbidden(reply, a.request.lang, a.branding);
      const username = (form.username ?? "").trim();
      const password = form.password ?? "";
      const again = (error: string, status = 400) =>
        sendPage(reply, status, loginPage({ ...common(services, req, reply, a), links, username, error }));
      if (username === "" || password === "") return again("Please enter your username and password.");
      let step: ManagedLoginStep;
      try {
        step = await passwordSignIn(a.ctx, callerOf(a.request), username, password);
      } catch (e) {
        // An account not confirmed yet: the confirmation page, where a new code can be asked for.
        if (e instanceof AwsError && e.type === "UserNotConfirmedException" && links.signUp)
          return redirect(reply, `/confirm?${a.query}&${new URLSearchParams({ username })}`);
        return again(messageOf(e));
      }
      return finishStep(services, req, reply, a, step, username);
    });

    app.post("/login/new-password", async (req, reply) => {
      const a = await attempt(services, req, reply);
      if (!a) return reply;
      const form = formOf(req);
      if (!form || !csrfValid(services, req, a.params, form._csrf))
        return forbidden(reply, a.request.lang, a.branding);
      const session = form.session ?? "";
      const username = form.username ?? "";
      const attributes: Record<string, string> = {};
      for (const [k, v] of Object.entries(form)) if (k.startsWith("attr:")) attributes[k.slice(5)] = v;
      const again = (error: string) =>
        sendPage(
          reply,
          400,
          newPasswordPage({
            ...common(services, req, reply, a),
            session,
            username,
            required: Object.keys(attributes),
            error,
          }),
        );
      if (!form.new_password) return again("Please enter a new password.");
      if (form.new_password !== form.confirm_password) return again("The passwords do not match.");
      let step: ManagedLoginStep;
      try {
        step = await answerNewPassword(a.ctx, callerOf(a.request), session, form.new_password, attributes);
      } catch (e) {
        const message = messageOf(e);
        if (e instanceof AwsError && e.type === "NotAuthorizedException")
          return sendPage(
            reply,
            400,
            loginPage({ ...common(services, req, reply, a), links, username, error: message }),
          );
        return again(message);
      }
      return finishStep(services, req, reply, a, step, username);
    });
  }
}
