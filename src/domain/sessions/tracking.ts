/**
 * Session tracking (when the pool turns it on): a sign-in that issues a refresh token starts a
 * token session, named by the sign-in's origin_jti; each refresh or rotation of that sign-in
 * updates it; ending it revokes the sign-in's refresh and access tokens at once. A user holds at
 * most the pool's MaxPerUser token sessions: a new sign-in past that evicts the least recently
 * used. A sign-in on the managed login pages also starts an SSO session (the browser's cookie),
 * through which the token sessions of its authorization codes come.
 */
import { randomInt } from "node:crypto";
import type { RequestContext } from "../../context.ts";
import type { ClientRecord, PoolRecord, UserRecord, UserSessionRecord } from "../../storage/records.ts";
import type { Transaction } from "../../storage/storage.ts";
import { poolSessionConfig } from "./config.ts";
import { deviceType } from "./device-type.ts";

const ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

/** `tkn` or `sso` and 25 lowercase letters and digits: 28 characters, as Cognito's. */
export function newSessionId(type: "TOKEN" | "SSO"): string {
  let s = type === "TOKEN" ? "tkn" : "sso";
  for (let i = 0; i < 25; i++) s += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return s;
}

function activity(ctx: RequestContext): Pick<UserSessionRecord, "deviceType" | "lastIp"> {
  return {
    deviceType: deviceType(ctx.userAgent),
    ...(ctx.clientIp === undefined ? {} : { lastIp: ctx.clientIp.slice(0, 128) }),
  };
}

/** Ends one session: a token session's sign-in is revoked (its refresh and access tokens), and the record goes. */
export async function endSession(tx: Transaction, session: UserSessionRecord, now: number): Promise<void> {
  if (session.originJti !== undefined) await tx.tokens.revokeOrigin(session.poolId, session.originJti, now);
  await tx.sessions.deleteUserSession(session.poolId, session.sessionId);
}

/**
 * Revokes one sign-in's tokens (RevokeToken, the revocation endpoint, a reused authorization code)
 * and ends its token session; with `linked`, the SSO session it came through too.
 */
export async function revokeSignIn(
  tx: Transaction,
  poolId: string,
  originJti: string,
  now: number,
  linked = false,
): Promise<void> {
  await tx.tokens.revokeOrigin(poolId, originJti, now);
  const session = await tx.sessions.getSessionByOrigin(poolId, originJti);
  if (!session) return;
  await tx.sessions.deleteUserSession(poolId, session.sessionId);
  if (linked && session.originSessionId !== undefined)
    await tx.sessions.deleteUserSession(poolId, session.originSessionId);
}

export interface TokenIssue {
  pool: PoolRecord;
  client: ClientRecord;
  user: UserRecord;
  originJti: string;
  /** True for a refresh (or rotation) of an existing sign-in. */
  refresh: boolean;
  /** Expiry of the refresh token issued now, if one was. */
  refreshExpiresAt?: number;
  /** The SSO session the sign-in came through (the managed login's authorization code). */
  ssoSessionId?: string;
}

/** The token issuer's one call: starts or continues the sign-in's token session. */
export async function trackTokenSession(ctx: RequestContext, t: TokenIssue): Promise<void> {
  const { storage } = ctx.services;
  const config = await poolSessionConfig(storage, t.pool.id);
  if (!config.tracking) return;
  if (t.refresh) {
    await storage.transaction(async (tx) => {
      const session = await tx.sessions.getSessionByOrigin(t.pool.id, t.originJti);
      if (!session) return;
      await tx.sessions.updateUserSession({
        ...session,
        ...activity(ctx),
        lastActiveAt: ctx.now,
        expiresAt: t.refreshExpiresAt ?? session.expiresAt,
      });
      // A rotation is activity of the SSO session the sign-in came through, too.
      if (t.refreshExpiresAt !== undefined && session.originSessionId !== undefined)
        await touchSso(tx, ctx, t.pool.id, session.originSessionId);
    });
    return;
  }
  // A sign-in without a refresh token (the implicit grant) starts no token session.
  if (t.refreshExpiresAt === undefined) return;
  const session: UserSessionRecord = {
    poolId: t.pool.id,
    sessionId: newSessionId("TOKEN"),
    sub: t.user.sub,
    type: "TOKEN",
    clientId: t.client.clientId,
    originJti: t.originJti,
    ...(t.ssoSessionId === undefined ? {} : { originSessionId: t.ssoSessionId }),
    createdAt: ctx.now,
    lastActiveAt: ctx.now,
    expiresAt: t.refreshExpiresAt,
    ...activity(ctx),
  };
  await storage.transaction(async (tx) => {
    const live = (await tx.sessions.listUserSessions(t.pool.id, t.user.sub, ctx.now)).filter(
      (s) => s.type === "TOKEN",
    );
    const excess = live.length + 1 - config.maxPerUser;
    if (excess > 0) {
      const leastRecent = [...live].sort((a, b) => a.lastActiveAt - b.lastActiveAt).slice(0, excess);
      for (const s of leastRecent) await endSession(tx, s, ctx.now);
    }
    await tx.sessions.insertUserSession(session);
    // The token grant is activity of its SSO session.
    if (t.ssoSessionId !== undefined) await touchSso(tx, ctx, t.pool.id, t.ssoSessionId);
  });
}

async function touchSso(
  tx: Transaction,
  ctx: RequestContext,
  poolId: string,
  sessionId: string,
): Promise<void> {
  const sso = await tx.sessions.getUserSession(poolId, sessionId);
  if (sso) await tx.sessions.updateUserSession({ ...sso, lastActiveAt: ctx.now });
}

/** Starts the SSO session of a managed login sign-in; undefined while the pool tracks no sessions. */
export async function startSsoSession(
  ctx: RequestContext,
  client: ClientRecord,
  user: UserRecord,
  expiresAt: number,
): Promise<string | undefined> {
  const { storage } = ctx.services;
  if (!(await poolSessionConfig(storage, user.poolId)).tracking) return undefined;
  const sessionId = newSessionId("SSO");
  await storage.transaction((tx) =>
    tx.sessions.insertUserSession({
      poolId: user.poolId,
      sessionId,
      sub: user.sub,
      type: "SSO",
      clientId: client.clientId,
      createdAt: ctx.now,
      lastActiveAt: ctx.now,
      expiresAt,
      ...activity(ctx),
    }),
  );
  return sessionId;
}

/** Whether an SSO session is still live (not revoked, not expired), and marks its use now. */
export async function useSsoSession(
  ctx: RequestContext,
  poolId: string,
  sessionId: string,
): Promise<boolean> {
  const { storage } = ctx.services;
  return storage.transaction(async (tx) => {
    const session = await tx.sessions.getUserSession(poolId, sessionId);
    if (!session || session.expiresAt <= ctx.now) return false;
    await tx.sessions.updateUserSession({ ...session, ...activity(ctx), lastActiveAt: ctx.now });
    return true;
  });
}

/** Ends an SSO session (the logout endpoint), and with it nothing else. */
export async function endSsoSession(ctx: RequestContext, poolId: string, sessionId: string): Promise<void> {
  await ctx.services.storage.transaction((tx) => tx.sessions.deleteUserSession(poolId, sessionId));
}
