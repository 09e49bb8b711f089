/**
 * Choice-based sign-in on the managed login pages (a pool whose AllowedFirstAuthFactors name more
 * than PASSWORD), through the API's USER_AUTH: `POST /login/start` takes the username and shows
 * the factors the user can use (SELECT_CHALLENGE), `POST /login/choose` starts the chosen one (the
 * password with it, a passkey, a code by email or text message), `POST /login/passkey` answers
 * WEB_AUTHN with the browser's assertion. `/passkeys/add?client_id=...&redirect_uri=...` registers
 * a passkey for the user signed in on these pages (StartWebAuthnRegistration and
 * CompleteWebAuthnRegistration's code), then returns to the redirect URI. The passkey steps need
 * JavaScript (`/login/webauthn.js`, the only script the pages load).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Services } from "../../context.ts";
import type { TokenCaller } from "../../domain/caller.ts";
import { answerChallenge, choiceSignIn, type ManagedLoginStep } from "../../domain/auth/managed-login.ts";
import { callerOf, findClient } from "../../domain/oauth/authorize.ts";
import { sessionCookieName, sessionUser } from "../../domain/oauth/session.ts";
import { completeRegistration, startRegistration } from "../../domain/passkeys/registration.ts";
import { AwsError } from "../../errors.ts";
import { clientBranding } from "./branding.ts";
import {
  type Attempt,
  common,
  csrfCookie,
  finishStep,
  forbidden,
  messageOf,
  type PageLinks,
  postedForm,
} from "./login.ts";
import {
  addPasskeyPage,
  passkeyPage,
  signInFirstPage,
  usernamePage,
  WEBAUTHN_SCRIPT,
} from "./pages/choice-views.ts";
import { errorPage, loginPage } from "./pages/views.ts";
import {
  contextOf,
  cookies,
  csrfToken,
  csrfValid,
  formOf,
  pageHeaders,
  parseParams,
  queryOf,
  redirect,
  sendPage,
} from "./web.ts";

export function choiceRoutes(app: FastifyInstance, services: Services, links: PageLinks): void {
  app.get("/login/webauthn.js", async (_req, reply) =>
    pageHeaders(reply).code(200).type("text/javascript; charset=utf-8").send(WEBAUTHN_SCRIPT),
  );

  /** The password form again, the username kept: where a refused first factor ends. */
  const passwordForm = (
    req: FastifyRequest,
    reply: FastifyReply,
    a: Attempt,
    username: string,
    error?: string,
  ) =>
    sendPage(
      reply,
      error ? 400 : 200,
      loginPage({ ...common(services, req, reply, a), links, username, ...(error ? { error } : {}) }),
    );

  app.post("/login/start", async (req, reply) => {
    const got = await postedForm(services, req, reply);
    if (!("a" in got)) return got;
    const { a, form } = got;
    const username = (form.username ?? "").trim();
    const again = (error: string) =>
      sendPage(reply, 400, usernamePage({ ...common(services, req, reply, a), links, username, error }));
    if (username === "") return again("Please enter your username.");
    let step: ManagedLoginStep;
    try {
      step = await choiceSignIn(a.ctx, callerOf(a.request), username);
    } catch (e) {
      return again(messageOf(e));
    }
    // Nothing to choose from but the password: its form, as on a password-only pool.
    if ("challenge" in step && step.challenge.ChallengeName === "SELECT_CHALLENGE") {
      const available = step.challenge.AvailableChallenges ?? [];
      if (available.every((c) => c === "PASSWORD" || c === "PASSWORD_SRP"))
        return passwordForm(req, reply, a, username);
    }
    return finishStep(services, req, reply, a, step, username);
  });

  app.post("/login/choose", async (req, reply) => {
    const got = await postedForm(services, req, reply);
    if (!("a" in got)) return got;
    const { a, form } = got;
    const username = form.username ?? "";
    const answer = form.answer ?? "";
    const password: Record<string, string> = answer === "PASSWORD" ? { PASSWORD: form.password ?? "" } : {};
    if (password.PASSWORD === "")
      return passwordForm(req, reply, a, username, "Please enter your username and password.");
    let step: ManagedLoginStep;
    try {
      step = await answerChallenge(
        a.ctx,
        callerOf(a.request),
        "SELECT_CHALLENGE",
        form.session ?? "",
        answer,
        username,
        password,
      );
    } catch (e) {
      // The choice is used up: the password form, from which the user can sign in again.
      if (e instanceof AwsError && e.type === "UserNotConfirmedException" && links.signUp)
        return redirect(reply, `/confirm?${a.query}&${new URLSearchParams({ username })}`);
      return passwordForm(req, reply, a, username, messageOf(e));
    }
    return finishStep(services, req, reply, a, step, username);
  });

  app.post("/login/passkey", async (req, reply) => {
    const got = await postedForm(services, req, reply);
    if (!("a" in got)) return got;
    const { a, form } = got;
    const session = form.session ?? "";
    const username = form.username ?? "";
    const options = form.options ?? "{}";
    const again = (error: string) =>
      sendPage(
        reply,
        400,
        passkeyPage({ ...common(services, req, reply, a), session, username, options, error }),
        true,
      );
    if (!form.credential) return again("No passkey was used.");
    let step: ManagedLoginStep;
    try {
      step = await answerChallenge(
        a.ctx,
        callerOf(a.request),
        "WEB_AUTHN",
        session,
        form.credential,
        username,
      );
    } catch (e) {
      const message = messageOf(e);
      if (e instanceof AwsError && e.type === "NotAuthorizedException" && /session/i.test(message))
        return passwordForm(req, reply, a, username, message);
      return again(message);
    }
    return finishStep(services, req, reply, a, step, username);
  });

  /**
   * `/passkeys/add`: the app client and redirect URI it names (one of the client's callback URLs),
   * and the user signed in on these pages; undefined when the page answered already.
   */
  async function addPasskeyRequest(req: FastifyRequest, reply: FastifyReply) {
    const query = queryOf(req);
    const params = parseParams(query) ?? {};
    const ctx = contextOf(services, req);
    const found = await findClient(ctx, params.client_id);
    const redirectUri = params.redirect_uri;
    if (!found || !redirectUri || !(found.client.settings.CallbackURLs ?? []).includes(redirectUri)) {
      sendPage(
        reply,
        400,
        errorPage({
          error: found ? "redirect_mismatch" : "invalid_request",
          description: found
            ? "The redirect_uri is not one of the app client's callback URLs."
            : "The client_id is missing or names no app client.",
        }),
      );
      return undefined;
    }
    const { pool, client } = found;
    const poolCtx = contextOf(services, req, pool.region);
    const branding = await clientBranding(services, pool.id, client.clientId);
    const signedIn = await sessionUser(poolCtx, pool, cookies(req)[sessionCookieName(pool.id)]);
    if (!signedIn) {
      const signIn = `/oauth2/authorize?${new URLSearchParams({
        response_type: "code",
        client_id: client.clientId,
        redirect_uri: redirectUri,
      })}`;
      sendPage(reply, 401, signInFirstPage({ signIn, ...(branding ? { branding } : {}) }));
      return undefined;
    }
    const caller: TokenCaller = {
      kind: "token",
      pool,
      client,
      user: signedIn.user,
      clientId: client.clientId,
      claims: {},
    };
    const binding = { client_id: client.clientId, redirect_uri: redirectUri };
    return { ctx: poolCtx, caller, redirectUri, branding, binding, query };
  }

  type AddRequest = NonNullable<Awaited<ReturnType<typeof addPasskeyRequest>>>;

  async function showAddPage(req: FastifyRequest, reply: FastifyReply, r: AddRequest, error?: string) {
    let options: string;
    try {
      options = JSON.stringify((await startRegistration(r.ctx, r.caller)).CredentialCreationOptions);
    } catch (e) {
      return sendPage(
        reply,
        400,
        errorPage({
          error: "invalid_request",
          description: messageOf(e),
          ...(r.branding ? { branding: r.branding } : {}),
        }),
      );
    }
    return sendPage(
      reply,
      error ? 400 : 200,
      addPasskeyPage({
        query: r.query,
        csrf: csrfToken(services, csrfCookie(services, req, reply), r.binding),
        username: r.caller.user.username,
        options,
        ...(error ? { error } : {}),
        ...(r.branding ? { branding: r.branding } : {}),
      }),
      true,
    );
  }

  app.get("/passkeys/add", async (req, reply) => {
    const r = await addPasskeyRequest(req, reply);
    if (!r) return reply;
    return showAddPage(req, reply, r);
  });

  app.post("/passkeys/add", async (req, reply) => {
    const r = await addPasskeyRequest(req, reply);
    if (!r) return reply;
    const form = formOf(req);
    if (!form || !csrfValid(services, req, r.binding, form._csrf))
      return forbidden(reply, undefined, r.branding);
    let credential: unknown;
    try {
      credential = JSON.parse(form.credential ?? "");
    } catch {
      return showAddPage(req, reply, r, "No passkey was given.");
    }
    try {
      await completeRegistration(r.ctx, r.caller, credential);
    } catch (e) {
      return showAddPage(req, reply, r, messageOf(e));
    }
    return redirect(reply, r.redirectUri);
  });
}
