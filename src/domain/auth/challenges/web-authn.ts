/**
 * WEB_AUTHN: a passkey as the first factor of USER_AUTH. Issued with CREDENTIAL_REQUEST_OPTIONS
 * (the JSON of PublicKeyCredentialRequestOptions for `navigator.credentials.get`), answered with
 * CREDENTIAL (the JSON of the AuthenticationResponse), which is verified against the stored public
 * key (see domain/passkeys/assertion.ts). A refused assertion leaves the session for another try
 * until it expires; the session is consumed with the success. In a pool whose passkeys are a
 * second factor too (FactorConfiguration MULTI_FACTOR_WITH_USER_VERIFICATION), or for a user who
 * turned passkey MFA on (WebAuthnMfaSettings, which also makes user verification required), a
 * passkey that verified the user settles MFA.
 */
import type { SignInCaller } from "../../caller.ts";
import type { RequestContext } from "../../../context.ts";
import type { PasskeyRecord, UserRecord } from "../../../storage/records.ts";
import { type AssertionState, requestOptions, verifyAssertion } from "../../passkeys/assertion.ts";
import { incorrectCredentials, sessionExpired } from "../../errors.ts";
import { optional, required } from "../params.ts";
import { passkeySettings } from "../../passkeys/config.ts";
import { consumeSession, openSession, readSession } from "../sessions.ts";
import { signInUser } from "../sign-in.ts";
import type { AuthChallenge, AuthOutcome, AuthParams, AuthStep } from "../types.ts";

export async function issueWebAuthn(
  ctx: RequestContext,
  call: SignInCaller,
  user: UserRecord,
  passkeys: readonly PasskeyRecord[],
): Promise<AuthOutcome> {
  // Passkey MFA turned on for the user (WebAuthnMfaSettings): their passkey must verify them.
  const passkeyMfa =
    (await ctx.services.storage.mfa.getUserMfa(call.pool.id, user.sub))?.webAuthnEnabled === true;
  const { state, options } = requestOptions(call.pool, passkeys, passkeyMfa);
  const session = await openSession(ctx, call.client, {
    challenge: "WEB_AUTHN",
    sub: user.sub,
    webAuthn: state,
    ...(passkeyMfa ? { passkeyMfa } : {}),
  });
  return {
    ChallengeName: "WEB_AUTHN",
    Session: session,
    ChallengeParameters: { USERNAME: user.username, CREDENTIAL_REQUEST_OPTIONS: JSON.stringify(options) },
  };
}

async function answer(
  ctx: RequestContext,
  call: SignInCaller,
  responses: AuthParams,
  session: string | undefined,
  username: string,
): Promise<AuthStep> {
  const credential = required(responses, "CREDENTIAL");
  if (!session) throw sessionExpired();
  const state = await readSession(ctx, call.client, session);
  if (state.challenge !== "WEB_AUTHN") throw sessionExpired();
  const { user } = await signInUser(ctx, call, username);
  if (!user || user.sub !== state.sub) throw incorrectCredentials();
  const verified = await verifyAssertion(
    ctx,
    call.pool,
    user,
    state.webAuthn as AssertionState,
    credential,
    (tx) => consumeSession(tx, ctx, call.client, session),
  );
  if (!verified) throw incorrectCredentials();
  const deviceKey = optional(responses, "DEVICE_KEY");
  return {
    signedIn: user,
    ...(deviceKey === undefined ? {} : { deviceKey }),
    ...(verified.userVerified && (passkeySettings(call.pool).multiFactor || state.passkeyMfa === true)
      ? { mfaSettled: true }
      : {}),
  };
}

export const webAuthnChallenge: AuthChallenge = { username: true, run: answer };
