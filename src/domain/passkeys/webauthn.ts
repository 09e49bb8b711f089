/**
 * What passkey registration and sign-in share: the wire forms WebAuthn clients send (their JSON
 * encodings, W3C RegistrationResponseJSON / AuthenticationResponseJSON), read defensively, and the
 * checks whose failures Cognito names (origin, relying party), made before the library verifies
 * the signatures (@simplewebauthn/server).
 */
import { createHash, randomBytes } from "node:crypto";
import {
  InvalidParameterException,
  WebAuthnOriginNotAllowedException,
  WebAuthnRelyingPartyMismatchException,
} from "../../generated/exceptions.ts";
import { originAllowed } from "./config.ts";

/** The COSE algorithms passkeys may use: ES256 and RS256, as Cognito offers them. */
export const ALGORITHMS = [-7, -257] as const;

/** A fresh WebAuthn challenge, base64url. */
export function newChallenge(): string {
  return randomBytes(32).toString("base64url");
}

/** The client data a credential carries (https://www.w3.org/TR/webauthn-3/#dictdef-collectedclientdata). */
export interface ClientData {
  type: string;
  challenge: string;
  origin: string;
}

const BASE64URL = /^[A-Za-z0-9_-]*={0,2}$/;

export function malformedCredential(): InvalidParameterException {
  return new InvalidParameterException("The credential is not a valid WebAuthn public key credential.");
}

function record(v: unknown): Record<string, unknown> | undefined {
  return typeof v === "object" && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}

/** A base64url member of `o`, or InvalidParameterException. */
export function base64urlMember(o: Record<string, unknown>, name: string): string {
  const v = o[name];
  if (typeof v !== "string" || v === "" || !BASE64URL.test(v)) throw malformedCredential();
  return v;
}

/**
 * A credential as the client sent it: an object, or the JSON text of one (RespondToAuthChallenge's
 * CREDENTIAL is a string), with its id, its type and its `response`.
 */
export function credentialJson(value: unknown): {
  credential: Record<string, unknown>;
  response: Record<string, unknown>;
  id: string;
} {
  let v = value;
  if (typeof v === "string") {
    try {
      v = JSON.parse(v) as unknown;
    } catch {
      throw malformedCredential();
    }
  }
  const credential = record(v);
  const response = record(credential?.response);
  if (!credential || !response || credential.type !== "public-key") throw malformedCredential();
  const id = base64urlMember(credential, "id");
  if (credential.rawId !== undefined && credential.rawId !== id) throw malformedCredential();
  return { credential, response, id };
}

/** The client data of a credential's response. */
export function clientDataOf(response: Record<string, unknown>): ClientData {
  const raw = base64urlMember(response, "clientDataJSON");
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
  } catch {
    throw malformedCredential();
  }
  const c = record(parsed);
  if (!c || typeof c.type !== "string" || typeof c.challenge !== "string" || typeof c.origin !== "string")
    throw malformedCredential();
  return { type: c.type, challenge: c.challenge, origin: c.origin };
}

/** Refuses a page origin that may not use the relying party's passkeys. */
export function checkOrigin(origin: string, rpId: string): void {
  if (!originAllowed(origin, rpId))
    throw new WebAuthnOriginNotAllowedException(
      `The origin ${origin} is not allowed for the relying party ${rpId}.`,
    );
}

/** Refuses authenticator data made for another relying party (its first 32 bytes: SHA-256 of the RP ID). */
export function checkRpIdHash(authData: Uint8Array, rpId: string): void {
  const expected = createHash("sha256").update(rpId).digest();
  if (authData.length < 32 || !expected.equals(Buffer.from(authData.subarray(0, 32))))
    throw new WebAuthnRelyingPartyMismatchException(
      "The credential's relying party does not match the user pool's relying party ID.",
    );
}
