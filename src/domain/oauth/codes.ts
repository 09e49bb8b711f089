/**
 * Authorization codes: random, stored only as a hash, bound to the client, the redirect URI, the
 * granted scopes, the nonce and the PKCE challenge; redeemed once, within five minutes (Cognito's
 * lifetime). A redeemed code is kept until it expires, so that its reuse is recognised.
 */
import { createHash, randomBytes } from "node:crypto";
import type { RequestContext } from "../../context.ts";
import type { AuthorizationRequest, PkceMethod } from "./authorize.ts";

export const CODE_LIFETIME_MS = 5 * 60_000;

/** What a code grants, as stored with it. */
export interface CodeGrant {
  sub: string;
  redirectUri: string;
  scope: string;
  /** Epoch ms of the sign-in. */
  authTime: number;
  nonce?: string;
  codeChallenge?: string;
  codeChallengeMethod?: PkceMethod;
  resource?: string;
  /** The managed login SSO session the code came through (session tracking). */
  ssoSessionId?: string;
}

function hashCode(code: string): string {
  return createHash("sha256").update(code).digest("base64url");
}

export async function issueAuthorizationCode(
  ctx: RequestContext,
  request: AuthorizationRequest,
  sub: string,
  authTime: number,
  ssoSessionId?: string,
): Promise<string> {
  const code = randomBytes(32).toString("base64url");
  const grant: CodeGrant = {
    sub,
    redirectUri: request.redirectUri,
    scope: request.scopes.join(" "),
    authTime,
  };
  if (request.nonce !== undefined) grant.nonce = request.nonce;
  if (request.codeChallenge !== undefined) grant.codeChallenge = request.codeChallenge;
  if (request.codeChallengeMethod !== undefined) grant.codeChallengeMethod = request.codeChallengeMethod;
  if (request.resource !== undefined) grant.resource = request.resource;
  if (ssoSessionId !== undefined) grant.ssoSessionId = ssoSessionId;
  await ctx.services.storage.transaction((tx) =>
    tx.oauth.insertAuthorizationCode({
      codeHash: hashCode(code),
      poolId: request.pool.id,
      clientId: request.client.clientId,
      grant: { ...grant },
      createdAt: ctx.now,
      expiresAt: ctx.now + CODE_LIFETIME_MS,
    }),
  );
  return code;
}

/** A code redeemed now, or the reuse of one redeemed before (with its tokens' origin, if any). */
export type Redemption =
  | { kind: "redeemed"; codeHash: string; poolId: string; clientId: string; grant: CodeGrant }
  | { kind: "reused"; poolId: string; originJti?: string }
  | { kind: "unknown" };

/** Redeems the code (whoever presents it, it cannot be redeemed again). */
export async function redeemAuthorizationCode(ctx: RequestContext, code: string): Promise<Redemption> {
  const codeHash = hashCode(code);
  const { storage } = ctx.services;
  const record = await storage.transaction((tx) => tx.oauth.redeemAuthorizationCode(codeHash, ctx.now));
  if (record) {
    const { poolId, clientId } = record;
    return { kind: "redeemed", codeHash, poolId, clientId, grant: record.grant as unknown as CodeGrant };
  }
  const used = await storage.oauth.getAuthorizationCode(codeHash, ctx.now);
  if (used?.redeemedAt === undefined) return { kind: "unknown" };
  return {
    kind: "reused",
    poolId: used.poolId,
    ...(used.originJti === undefined ? {} : { originJti: used.originJti }),
  };
}

/** Records which sign-in (origin_jti) a redeemed code's tokens belong to. */
export async function recordCodeOrigin(
  ctx: RequestContext,
  codeHash: string,
  originJti: string,
): Promise<void> {
  await ctx.services.storage.transaction((tx) => tx.oauth.setAuthorizationCodeOrigin(codeHash, originJti));
}

/** RFC 7636 §4.6. */
export function pkceMatches(grant: CodeGrant, verifier: string | undefined): boolean {
  if (grant.codeChallenge === undefined) return true;
  if (verifier === undefined || !/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) return false;
  const computed =
    grant.codeChallengeMethod === "S256"
      ? createHash("sha256").update(verifier).digest("base64url")
      : verifier;
  return computed === grant.codeChallenge;
}
