/** RS256 JSON Web Tokens on node:crypto: the hot path of every sign-in and every token check. */
import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign, verify } from "node:crypto";

export interface JwtHeader {
  kid: string;
  alg: "RS256";
}

function b64url(data: string | Buffer): string {
  return Buffer.from(data).toString("base64url");
}

/** Signs the claims with the private key; the header carries the key id. */
export function signJwt(claims: Record<string, unknown>, kid: string, key: KeyObject): Promise<string> {
  const input = `${b64url(JSON.stringify({ kid, alg: "RS256" }))}.${b64url(JSON.stringify(claims))}`;
  return new Promise((resolve, reject) => {
    // The callback form runs on the thread pool, so signing uses every core.
    sign("sha256", Buffer.from(input), key, (err, sig) =>
      err ? reject(err) : resolve(`${input}.${sig.toString("base64url")}`),
    );
  });
}

export interface DecodedJwt {
  header: JwtHeader;
  claims: Record<string, unknown>;
  signingInput: string;
  signature: Buffer;
}

/** Splits and parses a compact JWT without checking it; undefined when it is not one. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split(".");
  if (parts.length !== 3) return undefined;
  try {
    const header = JSON.parse(Buffer.from(parts[0]!, "base64url").toString("utf8")) as JwtHeader;
    const claims = JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8")) as Record<
      string,
      unknown
    >;
    if (typeof header !== "object" || header === null || typeof claims !== "object" || claims === null)
      return undefined;
    return {
      header,
      claims,
      signingInput: `${parts[0]}.${parts[1]}`,
      signature: Buffer.from(parts[2]!, "base64url"),
    };
  } catch {
    return undefined;
  }
}

export function verifySignature(jwt: DecodedJwt, key: KeyObject): boolean {
  if (jwt.header.alg !== "RS256") return false;
  return verify("sha256", Buffer.from(jwt.signingInput), key, jwt.signature);
}

/** How many verified tokens `verifyTokenSignature` remembers (about 100 bytes each). */
const REMEMBERED = 4096;
/** SHA-256 of a verified token -> the key that verified it; oldest first. */
const verifiedTokens = new Map<string, KeyObject>();

/**
 * verifySignature for a token presented again and again (an access token on every call): a token
 * verified once under `key` is known by its SHA-256 (a few microseconds) instead of an RSA
 * verification (tens). The hash covers the whole token, header, claims and signature, so any other
 * token is verified afresh; only verified tokens are remembered, the oldest dropped first.
 */
export function verifyTokenSignature(token: string, jwt: DecodedJwt, key: KeyObject): boolean {
  const id = createHash("sha256").update(token).digest("base64url");
  if (verifiedTokens.get(id) === key) return true;
  if (!verifySignature(jwt, key)) return false;
  if (verifiedTokens.size >= REMEMBERED) verifiedTokens.delete(verifiedTokens.keys().next().value!);
  verifiedTokens.set(id, key);
  return true;
}

export function privateKeyFromPem(pem: string): KeyObject {
  return createPrivateKey(pem);
}

export function publicKeyFromJwk(jwk: Record<string, string>): KeyObject {
  return createPublicKey({ key: jwk, format: "jwk" });
}
