/**
 * The MFA steps of the managed login (after the password, the new password included): `POST
 * /login/mfa` answers the challenge the form names (a code, the chosen factor, or the email address
 * of an email MFA setup), `POST /login/mfa/totp` starts an authenticator app's setup (a new secret,
 * its QR code) and `POST /login/mfa/totp/verify` checks the app's first code and signs in. Each
 * answer goes through the API's own challenge code (domain/auth/managed-login.ts); a wrong code
 * shows the same step again with the API's message, and an expired or foreign session goes back to
 * the sign-in form.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Services } from "../../context.ts";
import {
  answerChallenge,
  finishTotpSetup,
  isPageChallenge,
  type ManagedLoginStep,
} from "../../domain/auth/managed-login.ts";
import { callerOf } from "../../domain/oauth/authorize.ts";
import { otpauthUri } from "../../crypto/totp.ts";
import { AwsError } from "../../errors.ts";
import {
  type Attempt,
  common,
  finishStep,
  forbidden,
  messageOf,
  type PageLinks,
  postedForm,
} from "./login.ts";
import { totpSetupStep, totpSetupView } from "./mfa-steps.ts";
import { type CodeFactor, mfaCodePage, mfaSetupPage, selectMfaPage } from "./pages/mfa-views.ts";
import { loginPage } from "./pages/views.ts";
import { sendPage } from "./web.ts";

/** The session is gone (expired, used, another user's) or the MFA step is locked: sign in again. */
function restart(
  services: Services,
  req: FastifyRequest,
  reply: FastifyReply,
  a: Attempt,
  links: PageLinks,
  username: string,
  error: string,
): FastifyReply {
  return sendPage(reply, 400, loginPage({ ...common(services, req, reply, a), links, username, error }));
}

const RESTART = new Set(["NotAuthorizedException", "ExpiredCodeException"]);

export function mfaRoutes(app: FastifyInstance, services: Services, links: PageLinks): void {
  app.post("/login/mfa", async (req, reply) => {
    const got = await postedForm(services, req, reply);
    if (!("a" in got)) return got;
    const { a, form } = got;
    const session = form.session ?? "";
    const username = form.username ?? "";
    const name = form.challenge ?? "";
    const answer = (form.answer ?? "").trim();
    const c = common(services, req, reply, a);
    const again = (error: string): FastifyReply => {
      const v = { ...c, session, username, error };
      if (name === "SELECT_MFA_TYPE")
        return sendPage(reply, 400, selectMfaPage({ ...v, choices: (form.choices ?? "").split(",") }));
      if (name === "MFA_SETUP")
        return sendPage(reply, 400, mfaSetupPage({ ...v, totp: form.totp === "1", email: true }));
      const destination = form.destination;
      return sendPage(
        reply,
        400,
        mfaCodePage({ ...v, factor: name as CodeFactor, ...(destination ? { destination } : {}) }),
      );
    };
    // The code and MFA steps (the first factors' choice and passkeys have pages of their own).
    if (!isPageChallenge(name) || name === "SELECT_CHALLENGE" || name === "WEB_AUTHN")
      return forbidden(reply, a.request.lang, a.branding);
    if (answer === "")
      return again(name === "MFA_SETUP" ? "Please enter your email address." : "Please enter the code.");
    let step: ManagedLoginStep;
    try {
      step = await answerChallenge(a.ctx, callerOf(a.request), name, session, answer, username);
    } catch (e) {
      const message = messageOf(e);
      if (e instanceof AwsError && RESTART.has(e.type))
        return restart(services, req, reply, a, links, username, message);
      return again(message);
    }
    return finishStep(services, req, reply, a, step, username);
  });

  app.post("/login/mfa/totp", async (req, reply) => {
    const got = await postedForm(services, req, reply);
    if (!("a" in got)) return got;
    const { a, form } = got;
    const username = form.username ?? "";
    try {
      return await totpSetupStep(
        a.ctx,
        callerOf(a.request),
        reply,
        common(services, req, reply, a),
        form.session ?? "",
        username,
      );
    } catch (e) {
      return restart(services, req, reply, a, links, username, messageOf(e));
    }
  });

  app.post("/login/mfa/totp/verify", async (req, reply) => {
    const got = await postedForm(services, req, reply);
    if (!("a" in got)) return got;
    const { a, form } = got;
    const session = form.session ?? "";
    const username = form.username ?? "";
    // The secret is carried only to show the same QR code again after a wrong code.
    const secret = /^[A-Z2-7]+=*$/.test(form.secret ?? "") ? form.secret! : "";
    const code = (form.answer ?? "").trim();
    const again = async (error: string) =>
      sendPage(
        reply,
        400,
        await totpSetupView(
          common(services, req, reply, a),
          session,
          username,
          secret,
          otpauthUri(secret, a.request.pool.name, username),
          error,
        ),
      );
    if (code === "") return again("Please enter the code.");
    let step: ManagedLoginStep;
    try {
      step = await finishTotpSetup(a.ctx, callerOf(a.request), session, code, username);
    } catch (e) {
      const message = messageOf(e);
      if (e instanceof AwsError && RESTART.has(e.type))
        return restart(services, req, reply, a, links, username, message);
      return again(message);
    }
    return finishStep(services, req, reply, a, step, username);
  });
}
