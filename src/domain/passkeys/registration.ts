/**
 * Passkey registration: StartWebAuthnRegistration hands the signed-in user the options for
 * `navigator.credentials.create`; CompleteWebAuthnRegistration verifies the authenticator's answer
 * (@simplewebauthn/server: attestation, challenge, origin, RP ID, user verification) and keeps the
 * credential. The challenge is kept hashed beside the auth sessions, for its user and app client,
 * and is good for one answer within REGISTRATION_TTL_MS.
 */
import { createHash } from "node:crypto";
import type { RegistrationResponseJSON } from "@simplewebauthn/server";
import type { RequestContext } from "../../context.ts";
import {
  InvalidParameterException,
  LimitExceededException,
  WebAuthnChallengeNotFoundException,
  WebAuthnClientMismatchException,
  WebAuthnCredentialNotSupportedException,
} from "../../generated/exceptions.ts";
import type { UserVerificationType } from "../../generated/types.ts";
import type { PasskeyRecord } from "../../storage/records.ts";
import { DuplicateKeyError } from "../../storage/storage.ts";
import type { TokenCaller } from "../caller.ts";
import { requirePasskeys } from "./config.ts";
import {
  ALGORITHMS,
  base64urlMember,
  checkOrigin,
  checkRpIdHash,
  clientDataOf,
  credentialJson,
  malformedCredential,
  newChallenge,
} from "./webauthn.ts";

/** How long a registration challenge can be answered. */
export const REGISTRATION_TTL_MS = 5 * 60_000;
/** The authenticator's time limit the options suggest. */
const TIMEOUT_MS = 60_000;
/** Passkeys a user may hold. */
export const MAX_PASSKEYS = 20;

function challengeKey(challenge: string): string {
  return createHash("sha256").update(`webauthn-registration\0${challenge}`).digest("base64url");
}

/** The WebAuthn user handle of a user: their sub's bytes, base64url. */
export function userHandle(sub: string): string {
  return Buffer.from(sub, "utf8").toString("base64url");
}

export async function startRegistration(
  ctx: RequestContext,
  caller: TokenCaller,
): Promise<{ CredentialCreationOptions: Record<string, unknown> }> {
  const { pool, user } = caller;
  const { rpId, userVerification } = requirePasskeys(pool);
  const existing = await ctx.services.storage.passkeys.listPasskeys(pool.id, user.sub, MAX_PASSKEYS);
  if (existing.items.length >= MAX_PASSKEYS)
    throw new LimitExceededException(`A user can register at most ${MAX_PASSKEYS} passkeys.`);
  const challenge = newChallenge();
  await ctx.services.storage.transaction((tx) =>
    tx.tokens.insertAuthSession({
      id: challengeKey(challenge),
      poolId: pool.id,
      clientId: caller.clientId,
      data: { purpose: "webauthn-registration", sub: user.sub, rpId, userVerification },
      expiresAt: ctx.now + REGISTRATION_TTL_MS,
    }),
  );
  const name = user.attributes.email ?? user.attributes.phone_number ?? user.username;
  return {
    CredentialCreationOptions: {
      challenge,
      rp: { id: rpId, name: rpId },
      user: { id: userHandle(user.sub), name, displayName: user.attributes.name ?? name },
      pubKeyCredParams: ALGORITHMS.map((alg) => ({ type: "public-key", alg })),
      timeout: TIMEOUT_MS,
      excludeCredentials: existing.items.map((p) => ({
        type: "public-key",
        id: p.credentialId,
        transports: p.transports,
      })),
      authenticatorSelection: {
        requireResidentKey: true,
        residentKey: "required",
        userVerification,
      },
    },
  };
}

export async function completeRegistration(
  ctx: RequestContext,
  caller: TokenCaller,
  value: unknown,
): Promise<void> {
  const { pool, user } = caller;
  requirePasskeys(pool);
  const { credential, response } = credentialJson(value);
  const clientData = clientDataOf(response);
  const attestation = base64urlMember(response, "attestationObject");
  // The challenge is used up by this answer, whatever becomes of it.
  const stored = await ctx.services.storage.transaction((tx) =>
    tx.tokens.consumeAuthSession(challengeKey(clientData.challenge), ctx.now),
  );
  if (
    !stored ||
    stored.poolId !== pool.id ||
    stored.data.purpose !== "webauthn-registration" ||
    stored.data.sub !== user.sub
  )
    throw new WebAuthnChallengeNotFoundException(
      "The WebAuthn registration challenge was not found or has expired.",
    );
  if (stored.clientId !== caller.clientId)
    throw new WebAuthnClientMismatchException(
      "The access token is for another app client than the one that started this registration.",
    );
  const rpId = String(stored.data.rpId);
  const userVerification = stored.data.userVerification as UserVerificationType;
  if (clientData.type !== "webauthn.create") throw malformedCredential();
  checkOrigin(clientData.origin, rpId);
  // @simplewebauthn/server (and its X.509 and ASN.1 libraries) is loaded at the first use.
  const [{ verifyRegistrationResponse }, { decodeAttestationObject }] = await Promise.all([
    import("@simplewebauthn/server"),
    import("@simplewebauthn/server/helpers"),
  ]);
  let authData: Uint8Array;
  try {
    authData = decodeAttestationObject(Buffer.from(attestation, "base64url")).get("authData");
  } catch {
    throw malformedCredential();
  }
  checkRpIdHash(authData, rpId);
  const verified = await verifyRegistrationResponse({
    response: credential as unknown as RegistrationResponseJSON,
    expectedChallenge: clientData.challenge,
    expectedOrigin: clientData.origin,
    expectedRPID: rpId,
    requireUserVerification: userVerification === "required",
    supportedAlgorithmIDs: [...ALGORITHMS],
  }).catch((e: unknown) => {
    throw refusal(e);
  });
  if (!verified.verified) throw malformedCredential();
  const info = verified.registrationInfo;
  const transports = Array.isArray(response.transports)
    ? response.transports.filter((t): t is string => typeof t === "string")
    : (info.credential.transports ?? []);
  const passkey: PasskeyRecord = {
    poolId: pool.id,
    sub: user.sub,
    credentialId: info.credential.id,
    publicKey: Buffer.from(info.credential.publicKey).toString("base64url"),
    signCount: info.credential.counter,
    transports,
    friendlyName: "Passkey",
    rpId,
    createdAt: ctx.now,
  };
  if (typeof credential.authenticatorAttachment === "string")
    passkey.attachment = credential.authenticatorAttachment;
  try {
    await ctx.services.storage.transaction((tx) => tx.passkeys.insertPasskey(passkey));
  } catch (e) {
    if (e instanceof DuplicateKeyError)
      throw new InvalidParameterException("This credential is already registered.");
    throw e;
  }
}

/** Cognito's error for an attestation the library refused. */
function refusal(e: unknown): Error {
  const message = e instanceof Error ? e.message : "";
  if (/public key alg|user verification|unsupported attestation format/i.test(message))
    return new WebAuthnCredentialNotSupportedException(
      "The passkey credential is not supported by this user pool.",
    );
  return new InvalidParameterException("The WebAuthn credential could not be verified.");
}
