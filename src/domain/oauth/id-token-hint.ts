/**
 * `id_token_hint` (strict mode, at authorize and logout): an ID token this server signed, expired
 * ones included (OpenID Connect allows them as hints); whom it names and for which client.
 */
import type { RequestContext } from "../../context.ts";
import { decodeJwt, verifySignature } from "../../crypto/jwt.ts";
import { issuerFor } from "../tokens/issuer.ts";

export async function verifyIdTokenHint(
  ctx: RequestContext,
  hint: string,
): Promise<{ clientId: string; sub: string } | undefined> {
  const jwt = decodeJwt(hint);
  if (!jwt || jwt.claims.token_use !== "id" || typeof jwt.claims.aud !== "string") return undefined;
  if (typeof jwt.claims.sub !== "string") return undefined;
  const iss = typeof jwt.claims.iss === "string" ? jwt.claims.iss : "";
  const poolId = iss.slice(iss.lastIndexOf("/") + 1);
  if (!poolId || iss !== issuerFor(ctx, poolId)) return undefined;
  const key = await ctx.services.keys.verificationKey(poolId, String(jwt.header.kid)).catch(() => undefined);
  if (key?.use !== "id" || !verifySignature(jwt, key.publicKey)) return undefined;
  return { clientId: jwt.claims.aud, sub: jwt.claims.sub };
}
