/**
 * The token decoder's checks: a pasted ID or access token checked against the keys of the pool its
 * issuer names (signature), the issuer, the expiry and token_use, with its header and claims.
 */
import type { Services } from "../../context.ts";
import { decodeJwt, verifySignature } from "../../crypto/jwt.ts";
import { poolIssuer } from "../../domain/tokens/issuer.ts";

export interface TokenCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface DecodedToken {
  header?: Record<string, unknown>;
  claims?: Record<string, unknown>;
  checks: TokenCheck[];
  /** Every check passed. */
  valid: boolean;
}

export async function checkToken(services: Services, token: string, now: number): Promise<DecodedToken> {
  const jwt = decodeJwt(token.trim());
  if (!jwt)
    return {
      checks: [{ name: "Format", ok: false, detail: "Not a JSON Web Token (refresh tokens are opaque)." }],
      valid: false,
    };
  const { claims } = jwt;
  const header = jwt.header as unknown as Record<string, unknown>;
  const checks: TokenCheck[] = [{ name: "Format", ok: true, detail: "A JSON Web Token." }];
  const iss = typeof claims.iss === "string" ? claims.iss : "";
  const poolId = iss.slice(iss.lastIndexOf("/") + 1);
  const pool = poolId.includes("_") ? await services.storage.pools.getPool(poolId) : undefined;
  const issuerOk = pool !== undefined && iss === poolIssuer(services, poolId);
  checks.push({
    name: "Issuer",
    ok: issuerOk,
    detail: issuerOk
      ? `${iss}: user pool ${pool.name}.`
      : pool
        ? `${iss} is not this server's issuer of ${poolId} (${poolIssuer(services, poolId)}).`
        : `${iss || "(no iss)"} names no user pool of this server.`,
  });
  const kid = typeof header.kid === "string" ? header.kid : "";
  const key = issuerOk ? await services.keys.verificationKey(poolId, kid).catch(() => undefined) : undefined;
  const signatureOk = key !== undefined && verifySignature(jwt, key.publicKey);
  checks.push({
    name: "Signature",
    ok: signatureOk,
    detail: signatureOk
      ? `RS256, verified with the pool's ${key.use} key ${kid}.`
      : !issuerOk
        ? "Not checked: the issuer names no user pool of this server."
        : key
          ? `The signature does not verify with the pool's key ${kid}.`
          : `The pool has no key ${kid || "(no kid)"}.`,
  });
  const exp = typeof claims.exp === "number" ? claims.exp : undefined;
  const expiryOk = exp !== undefined && exp * 1000 > now;
  checks.push({
    name: "Expiry",
    ok: expiryOk,
    detail:
      exp === undefined
        ? "No exp claim."
        : `${expiryOk ? "Expires" : "Expired"} at ${new Date(exp * 1000).toISOString()}.`,
  });
  const use = claims.token_use;
  const useOk = (use === "id" || use === "access") && (key === undefined || key.use === use);
  checks.push({
    name: "token_use",
    ok: useOk,
    detail:
      use === "id" || use === "access"
        ? key && key.use !== use
          ? `token_use is ${use}, but the token is signed with the pool's ${key.use} key.`
          : `An ${use === "id" ? "ID" : "access"} token.`
        : `token_use is ${JSON.stringify(use ?? null)}, not id or access.`,
  });
  if (issuerOk) checks.push(await revocation(services, poolId, claims));
  return { header, claims, checks, valid: checks.every((c) => c.ok) };
}

/** Whether the token was revoked (RevokeToken, GlobalSignOut, AdminUserGlobalSignOut) or its user is gone. */
async function revocation(
  services: Services,
  poolId: string,
  claims: Record<string, unknown>,
): Promise<TokenCheck> {
  const name = "Revocation";
  const user = await services.storage.users.getUserBySub(poolId, String(claims.sub));
  if (!user) return { name, ok: false, detail: "The token's user no longer exists." };
  const originJti = typeof claims.origin_jti === "string" ? claims.origin_jti : "";
  if (originJti && (await services.storage.tokens.isOriginRevoked(poolId, originJti)))
    return { name, ok: false, detail: "Revoked: its sign-in was ended (RevokeToken or a global sign-out)." };
  if (user.tokensValidAfter !== undefined && Number(claims.iat) * 1000 < user.tokensValidAfter)
    return { name, ok: false, detail: "Revoked: the user was signed out everywhere after it was issued." };
  return { name, ok: true, detail: "Not revoked." };
}
