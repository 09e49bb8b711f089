/** RS256 JSON Web Tokens on node:crypto: the hot path of every sign-in and every token check. */
import { createPrivateKey, createPublicKey, type KeyObject, sign, verify } from "node:crypto";

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

export function privateKeyFromPem(pem: string): KeyObject {
  return createPrivateKey(pem);
}

export function publicKeyFromJwk(jwk: Record<string, string>): KeyObject {
  return createPublicKey({ key: jwk, format: "jwk" });
}
