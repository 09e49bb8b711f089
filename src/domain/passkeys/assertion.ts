/**
 * Passkey sign-in (the WEB_AUTHN challenge): the options for `navigator.credentials.get`, and the
 * verification of the assertion that comes back (@simplewebauthn/server: signature over the
 * stored public key, challenge, origin, RP ID, user verification and a growing sign count).
 */
import type { AuthenticationResponseJSON } from "@simplewebauthn/server";
import type { RequestContext } from "../../context.ts";
import type { UserVerificationType } from "../../generated/types.ts";
import type { PasskeyRecord, PoolRecord, UserRecord } from "../../storage/records.ts";
import type { Transaction } from "../../storage/storage.ts";
import { passkeySettings } from "./config.ts";
import { userHandle } from "./registration.ts";
import {
  base64urlMember,
  checkOrigin,
  checkRpIdHash,
  clientDataOf,
  credentialJson,
  newChallenge,
} from "./webauthn.ts";

/** The authenticator's time limit the options suggest. */
const TIMEOUT_MS = 180_000;

/** What a WEB_AUTHN challenge remembers in its session. */
export interface AssertionState {
  challenge: string;
  rpId: string;
  userVerification: UserVerificationType;
}

/** The user's passkeys of the pool's relying party; none when the pool has no relying party. */
export async function usablePasskeys(
  ctx: RequestContext,
  pool: PoolRecord,
  user: UserRecord,
): Promise<PasskeyRecord[]> {
  const { rpId } = passkeySettings(pool);
  if (rpId === undefined) return [];
  const page = await ctx.services.storage.passkeys.listPasskeys(pool.id, user.sub, 100);
  return page.items.filter((p) => p.rpId === rpId);
}

/** A fresh assertion challenge for these passkeys: the state to keep, and the options (PublicKeyCredentialRequestOptionsJSON). */
export function requestOptions(
  pool: PoolRecord,
  passkeys: readonly PasskeyRecord[],
  /** User verification is required whatever the pool says (the user's passkey MFA). */
  requireUserVerification = false,
): { state: AssertionState; options: Record<string, unknown> } {
  const settings = passkeySettings(pool);
  const { rpId } = settings;
  const userVerification = requireUserVerification ? "required" : settings.userVerification;
  const state: AssertionState = { challenge: newChallenge(), rpId: rpId ?? "", userVerification };
  return {
    state,
    options: {
      challenge: state.challenge,
      timeout: TIMEOUT_MS,
      rpId: state.rpId,
      allowCredentials: passkeys.map((p) => ({
        type: "public-key",
        id: p.credentialId,
        transports: p.transports,
      })),
      userVerification,
    },
  };
}

/**
 * Verifies an assertion (CREDENTIAL) of `user` against the state of its challenge; false when it
 * does not prove them, else whether the authenticator verified the user. On success `commit` gets
 * the transaction to record it in: the credential's sign count moves there, and only if no
 * concurrent use of the credential moved it first.
 */
export async function verifyAssertion(
  ctx: RequestContext,
  pool: PoolRecord,
  user: UserRecord,
  state: AssertionState,
  value: unknown,
  commit: (tx: Transaction) => Promise<void>,
): Promise<false | { userVerified: boolean }> {
  let checked: { passkey: PasskeyRecord; newCounter: number; userVerified: boolean };
  try {
    const { credential, response, id } = credentialJson(value);
    const passkey = await ctx.services.storage.passkeys.getPasskey(pool.id, id);
    if (!passkey || passkey.sub !== user.sub || passkey.rpId !== state.rpId) return false;
    if (
      typeof response.userHandle === "string" &&
      response.userHandle !== "" &&
      response.userHandle !== userHandle(user.sub)
    )
      return false;
    const clientData = clientDataOf(response);
    if (clientData.type !== "webauthn.get" || clientData.challenge !== state.challenge) return false;
    checkOrigin(clientData.origin, state.rpId);
    checkRpIdHash(Buffer.from(base64urlMember(response, "authenticatorData"), "base64url"), state.rpId);
    // Loaded at the first use, as in registration.ts.
    const { verifyAuthenticationResponse } = await import("@simplewebauthn/server");
    const verified = await verifyAuthenticationResponse({
      response: credential as unknown as AuthenticationResponseJSON,
      expectedChallenge: state.challenge,
      expectedOrigin: clientData.origin,
      expectedRPID: state.rpId,
      credential: {
        id: passkey.credentialId,
        publicKey: new Uint8Array(Buffer.from(passkey.publicKey, "base64url")),
        counter: passkey.signCount,
      },
      requireUserVerification: state.userVerification === "required",
    });
    if (!verified.verified) return false;
    const { newCounter, userVerified } = verified.authenticationInfo;
    checked = { passkey, newCounter, userVerified };
  } catch {
    // A malformed or forged credential proves nothing.
    return false;
  }
  const { passkey, newCounter, userVerified } = checked;
  return ctx.services.storage.transaction(async (tx) => {
    const moved = await tx.passkeys.updatePasskeySignCount(
      pool.id,
      passkey.credentialId,
      passkey.signCount,
      newCounter,
    );
    if (!moved) return false;
    await commit(tx);
    return { userVerified };
  });
}
