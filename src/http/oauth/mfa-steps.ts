/**
 * The page of the challenge a sign-in on the managed login pages must answer next: an MFA code,
 * the choice of factor, or the setup of a first factor (an authenticator app goes straight to its
 * QR code when it is the only way the pool offers); in choice-based sign-in, the first factors to
 * choose from and the passkey step.
 */
import type { FastifyReply } from "fastify";
import type { RequestContext } from "../../context.ts";
import type { ClientCaller } from "../../domain/caller.ts";
import { beginTotpSetup } from "../../domain/auth/managed-login.ts";
import type { AuthOutcome } from "../../domain/auth/types.ts";
import { choosePage, passkeyPage } from "./pages/choice-views.ts";
import { mfaCodePage, mfaSetupPage, selectMfaPage, totpSetupPage } from "./pages/mfa-views.ts";
import type { Common } from "./pages/views.ts";
import { sendPage } from "./web.ts";

/** The authenticator app's setup page, with a new secret on the MFA_SETUP session. */
export async function totpSetupStep(
  ctx: RequestContext,
  call: ClientCaller,
  reply: FastifyReply,
  c: Common,
  session: string,
  username: string,
): Promise<FastifyReply> {
  const setup = await beginTotpSetup(ctx, call, session, username);
  return sendPage(reply, 200, await totpSetupView(c, setup.session, username, setup.secret, setup.uri));
}

/** The QR code is drawn from the URI on the server: it shows with JavaScript off. */
export async function totpSetupView(
  c: Common,
  session: string,
  username: string,
  secret: string,
  uri: string,
  error?: string,
): Promise<string> {
  const { default: QRCode } = await import("qrcode"); // loaded at the first TOTP set-up
  const qrSvg = await QRCode.toString(uri, { type: "svg", margin: 1, errorCorrectionLevel: "M" });
  return totpSetupPage({ ...c, session, username, secret, qrSvg, ...(error ? { error } : {}) });
}

/** The page of a challenge; undefined for a challenge the pages do not show. */
export async function challengeStep(
  ctx: RequestContext,
  call: ClientCaller,
  reply: FastifyReply,
  c: Common,
  challenge: AuthOutcome,
  username: string,
): Promise<FastifyReply | undefined> {
  const session = challenge.Session;
  if (!session) return undefined;
  const p = challenge.ChallengeParameters;
  switch (challenge.ChallengeName) {
    case "SOFTWARE_TOKEN_MFA":
    case "SMS_MFA":
    case "EMAIL_OTP":
    case "SMS_OTP": {
      const destination = p.CODE_DELIVERY_DESTINATION;
      return sendPage(
        reply,
        200,
        mfaCodePage({
          ...c,
          session,
          username,
          factor: challenge.ChallengeName,
          ...(destination ? { destination } : {}),
        }),
      );
    }
    case "SELECT_MFA_TYPE":
      return sendPage(
        reply,
        200,
        selectMfaPage({
          ...c,
          session,
          username,
          choices: JSON.parse(p.MFAS_CAN_CHOOSE ?? "[]") as string[],
        }),
      );
    case "MFA_SETUP": {
      const can = JSON.parse(p.MFAS_CAN_SETUP ?? "[]") as string[];
      const totp = can.includes("SOFTWARE_TOKEN_MFA");
      const email = can.includes("EMAIL_OTP");
      if (totp && !email) return totpSetupStep(ctx, call, reply, c, session, username);
      const error =
        totp || email
          ? undefined
          : "This account needs a phone number for text message codes before it can sign in here. Contact your administrator.";
      return sendPage(
        reply,
        error ? 400 : 200,
        mfaSetupPage({ ...c, session, username, totp, email, ...(error ? { error } : {}) }),
      );
    }
    case "SELECT_CHALLENGE":
      return sendPage(
        reply,
        200,
        choosePage({ ...c, session, username, available: challenge.AvailableChallenges ?? [] }),
      );
    case "WEB_AUTHN":
      return sendPage(
        reply,
        200,
        passkeyPage({ ...c, session, username, options: p.CREDENTIAL_REQUEST_OPTIONS ?? "{}" }),
        true,
      );
    default:
      return undefined;
  }
}
