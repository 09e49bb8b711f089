/**
 * The self-service pages of the managed login: `/signup`, `/confirm` (and `/confirm/resend`),
 * `/forgotPassword` and `/confirmForgotPassword`. Each calls the same domain function as its API
 * operation (SignUp, ConfirmSignUp, ResendConfirmationCode, ForgotPassword, ConfirmForgotPassword),
 * so policies, codes, limits and user-existence hiding are the API's.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Services } from "../../context.ts";
import { managedSecretHash } from "../../domain/auth/managed-login.ts";
import { callerOf } from "../../domain/oauth/authorize.ts";
import { confirmForgotPassword, forgotPassword } from "../../domain/users/recovery.ts";
import { type TermsLinks, termsLinksOf } from "../../domain/terms/terms.ts";
import { confirmSignUp, resendConfirmationCode, signUp } from "../../domain/users/sign-up.ts";
import { AwsError } from "../../errors.ts";
import { type Attempt, attempt, common, forbidden, messageOf } from "./login.ts";
import {
  confirmForgotPasswordPage,
  confirmPage,
  forgotPasswordPage,
  signUpPage,
} from "./pages/account-views.ts";
import { loginPage } from "./pages/views.ts";
import { csrfValid, formOf, parseParams, queryOf, redirect, sendPage } from "./web.ts";

const LINKS = { signUp: true, forgotPassword: true };

/** The app client's terms documents in the page's language, for the sign-up page. */
async function signUpTerms(services: Services, a: Attempt): Promise<{ terms?: TermsLinks }> {
  const terms = await termsLinksOf(
    services.storage,
    a.request.pool.id,
    a.request.client.clientId,
    a.request.lang,
  );
  return terms ? { terms } : {};
}

/** What the sign-up form asks for: the pool's required attributes, besides the username's. */
function signUpFields(a: Attempt): { usernameLabel: string; attributes: string[] } {
  const settings = a.request.pool.settings;
  const usernameAttrs = settings.UsernameAttributes ?? [];
  const usernameLabel =
    usernameAttrs.length === 0
      ? "Username"
      : usernameAttrs.map((n) => (n === "email" ? "Email" : "Phone number")).join(" or ");
  const attributes = (settings.SchemaAttributes ?? [])
    .filter((s) => s.Required && s.Name !== "sub" && !(usernameAttrs as string[]).includes(s.Name!))
    .map((s) => s.Name!);
  return { usernameLabel, attributes };
}

/** The username a page carries in its query (the confirm pages' links). */
function queryUsername(req: FastifyRequest): string {
  return parseParams(queryOf(req))?.username ?? "";
}

const withUsername = (a: Attempt, username: string) =>
  `${a.query}&${new URLSearchParams({ username }).toString()}`;

export function selfServiceRoutes(app: FastifyInstance, services: Services): void {
  /** A page's POST: its attempt and form, with the CSRF token checked. */
  async function posted(req: FastifyRequest, reply: FastifyReply) {
    const a = await attempt(services, req, reply);
    if (!a) return undefined;
    const form = formOf(req);
    if (!form || !csrfValid(services, req, a.params, form._csrf)) {
      forbidden(reply, a.request.lang, a.branding);
      return undefined;
    }
    return { a, form };
  }

  const signInWithInfo = (
    req: FastifyRequest,
    reply: FastifyReply,
    a: Attempt,
    info: string,
    username?: string,
  ) =>
    sendPage(
      reply,
      200,
      loginPage({
        ...common(services, req, reply, a),
        links: LINKS,
        info,
        ...(username ? { username } : {}),
      }),
    );

  app.get("/signup", async (req, reply) => {
    const a = await attempt(services, req, reply);
    if (!a) return reply;
    return sendPage(
      reply,
      200,
      signUpPage({
        ...common(services, req, reply, a),
        ...signUpFields(a),
        ...(await signUpTerms(services, a)),
      }),
    );
  });

  app.post("/signup", async (req, reply) => {
    const p = await posted(req, reply);
    if (!p) return reply;
    const { a, form } = p;
    const username = (form.username ?? "").trim();
    const fields = signUpFields(a);
    const UserAttributes = fields.attributes.map((Name) => ({
      Name,
      Value: (form[`attr:${Name}`] ?? "").trim(),
    }));
    const call = callerOf(a.request);
    try {
      const SecretHash = await managedSecretHash(a.ctx, call, username);
      const out = await signUp(a.ctx, call, {
        ClientId: a.request.client.clientId,
        Username: username,
        Password: form.password ?? "",
        UserAttributes,
        ...(SecretHash === undefined ? {} : { SecretHash }),
      });
      if (out.UserConfirmed)
        return signInWithInfo(req, reply, a, "Your account is ready. Please sign in.", username);
      return redirect(reply, `/confirm?${withUsername(a, username)}`);
    } catch (e) {
      return sendPage(
        reply,
        400,
        signUpPage({
          ...common(services, req, reply, a),
          ...fields,
          ...(await signUpTerms(services, a)),
          values: form,
          error: messageOf(e),
        }),
      );
    }
  });

  app.get("/confirm", async (req, reply) => {
    const a = await attempt(services, req, reply);
    if (!a) return reply;
    return sendPage(
      reply,
      200,
      confirmPage({ ...common(services, req, reply, a), username: queryUsername(req) }),
    );
  });

  app.post("/confirm", async (req, reply) => {
    const p = await posted(req, reply);
    if (!p) return reply;
    const { a, form } = p;
    const username = form.username ?? "";
    const call = callerOf(a.request);
    try {
      const SecretHash = await managedSecretHash(a.ctx, call, username);
      await confirmSignUp(a.ctx, call, {
        ClientId: a.request.client.clientId,
        Username: username,
        ConfirmationCode: (form.code ?? "").trim(),
        ...(SecretHash === undefined ? {} : { SecretHash }),
      });
    } catch (e) {
      return sendPage(
        reply,
        400,
        confirmPage({ ...common(services, req, reply, a), username, error: messageOf(e) }),
      );
    }
    return signInWithInfo(req, reply, a, "Your account is confirmed. Please sign in.", username);
  });

  app.post("/confirm/resend", async (req, reply) => {
    const p = await posted(req, reply);
    if (!p) return reply;
    const { a, form } = p;
    const username = form.username ?? "";
    const call = callerOf(a.request);
    try {
      const SecretHash = await managedSecretHash(a.ctx, call, username);
      const out = await resendConfirmationCode(a.ctx, call, {
        ClientId: a.request.client.clientId,
        Username: username,
        ...(SecretHash === undefined ? {} : { SecretHash }),
      });
      const destination = out.CodeDeliveryDetails?.Destination;
      return sendPage(
        reply,
        200,
        confirmPage({
          ...common(services, req, reply, a),
          username,
          info: "We sent you a new code.",
          ...(destination ? { destination } : {}),
        }),
      );
    } catch (e) {
      return sendPage(
        reply,
        400,
        confirmPage({ ...common(services, req, reply, a), username, error: messageOf(e) }),
      );
    }
  });

  app.get("/forgotPassword", async (req, reply) => {
    const a = await attempt(services, req, reply);
    if (!a) return reply;
    return sendPage(reply, 200, forgotPasswordPage({ ...common(services, req, reply, a) }));
  });

  app.post("/forgotPassword", async (req, reply) => {
    const p = await posted(req, reply);
    if (!p) return reply;
    const { a, form } = p;
    const username = (form.username ?? "").trim();
    const call = callerOf(a.request);
    try {
      const SecretHash = await managedSecretHash(a.ctx, call, username);
      await forgotPassword(a.ctx, call, {
        ClientId: a.request.client.clientId,
        Username: username,
        ...(SecretHash === undefined ? {} : { SecretHash }),
      });
    } catch (e) {
      return sendPage(
        reply,
        400,
        forgotPasswordPage({ ...common(services, req, reply, a), username, error: messageOf(e) }),
      );
    }
    return redirect(reply, `/confirmForgotPassword?${withUsername(a, username)}`);
  });

  app.get("/confirmForgotPassword", async (req, reply) => {
    const a = await attempt(services, req, reply);
    if (!a) return reply;
    return sendPage(
      reply,
      200,
      confirmForgotPasswordPage({ ...common(services, req, reply, a), username: queryUsername(req) }),
    );
  });

  app.post("/confirmForgotPassword", async (req, reply) => {
    const p = await posted(req, reply);
    if (!p) return reply;
    const { a, form } = p;
    const username = form.username ?? "";
    const again = (error: string) =>
      sendPage(
        reply,
        400,
        confirmForgotPasswordPage({ ...common(services, req, reply, a), username, error }),
      );
    if (!form.new_password) return again("Please enter a new password.");
    if (form.new_password !== form.confirm_password) return again("The passwords do not match.");
    const call = callerOf(a.request);
    try {
      const SecretHash = await managedSecretHash(a.ctx, call, username);
      await confirmForgotPassword(a.ctx, call, {
        ClientId: a.request.client.clientId,
        Username: username,
        ConfirmationCode: (form.code ?? "").trim(),
        Password: form.new_password,
        ...(SecretHash === undefined ? {} : { SecretHash }),
      });
    } catch (e) {
      if (e instanceof AwsError && e.status < 500) return again(e.message);
      throw e;
    }
    return signInWithInfo(req, reply, a, "Your password has been reset. Please sign in.", username);
  });
}
