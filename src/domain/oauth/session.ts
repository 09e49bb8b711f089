/**
 * The managed login session: after a sign-in on the login pages the browser keeps a signed value
 * (an HMAC under the server secret) naming the pool, the user and the sign-in time, so a second
 * authorization request within the hour skips the form, as Cognito's does. It ends with the hour,
 * with /logout, or when the user's sessions end (GlobalSignOut, AdminUserGlobalSignOut, a disabled
 * or deleted user). While the pool tracks sessions, the sign-in is also an SSO session (the value
 * names it): it is listed with the user's sessions, revoking it ends the cookie, and each app
 * client reuses it only within its MaxValidityMinutes of the sign-in.
 */
import { createHmac } from "node:crypto";
import type { RequestContext } from "../../context.ts";
import { safeEqual } from "../../crypto/secret-hash.ts";
import type { ClientRecord, PoolRecord, UserRecord } from "../../storage/records.ts";
import { clientSsoValidityMinutes } from "../sessions/config.ts";
import { endSsoSession, startSsoSession, useSsoSession } from "../sessions/tracking.ts";
import type { AuthorizationRequest } from "./authorize.ts";
import { OAuthError } from "./errors.ts";

export const SESSION_LIFETIME_MS = 60 * 60_000;

interface SessionPayload {
  /** Pool id. */
  p: string;
  /** The user's sub. */
  s: string;
  /** Sign-in time, epoch ms. */
  t: number;
  /** Expiry, epoch ms. */
  e: number;
  /** The SSO session, while the pool tracks sessions. */
  i?: string;
}

function mac(ctx: RequestContext, payload: string): string {
  return createHmac("sha256", ctx.services.serverSecret)
    .update(`managed-login-session\n${payload}`)
    .digest("base64url");
}

/** The cookie value of a sign-in of `user` at `authTime`, valid until `expiresAt`. */
export function sessionValue(
  ctx: RequestContext,
  user: UserRecord,
  authTime: number,
  expiresAt = authTime + SESSION_LIFETIME_MS,
  ssoSessionId?: string,
): string {
  const payload: SessionPayload = {
    p: user.poolId,
    s: user.sub,
    t: authTime,
    e: expiresAt,
    ...(ssoSessionId === undefined ? {} : { i: ssoSessionId }),
  };
  const encoded = Buffer.from(JSON.stringify(payload)).toString("base64url");
  return `${encoded}.${mac(ctx, encoded)}`;
}

/** A fresh sign-in on the managed login (through `client`): its cookie, and its SSO session if tracked. */
export interface ManagedLoginSession {
  value: string;
  maxAgeSeconds: number;
  ssoSessionId?: string;
}

/**
 * Starts the browser session of a sign-in now. A tracked SSO session lasts as long as the signing-in
 * app client may reuse it, and never less than the hour.
 */
export async function startManagedLoginSession(
  ctx: RequestContext,
  client: ClientRecord,
  user: UserRecord,
): Promise<ManagedLoginSession> {
  const minutes = await clientSsoValidityMinutes(ctx.services.storage, client.poolId, client.clientId);
  const lifetime = Math.max(SESSION_LIFETIME_MS, minutes * 60_000);
  const ssoSessionId = await startSsoSession(ctx, client, user, ctx.now + lifetime);
  if (ssoSessionId === undefined)
    return { value: sessionValue(ctx, user, ctx.now), maxAgeSeconds: SESSION_LIFETIME_MS / 1000 };
  return {
    value: sessionValue(ctx, user, ctx.now, ctx.now + lifetime, ssoSessionId),
    maxAgeSeconds: lifetime / 1000,
    ssoSessionId,
  };
}

function payloadOf(ctx: RequestContext, value: string | undefined): SessionPayload | undefined {
  if (!value) return undefined;
  const dot = value.indexOf(".");
  if (dot < 0) return undefined;
  const encoded = value.slice(0, dot);
  if (!safeEqual(mac(ctx, encoded), value.slice(dot + 1))) return undefined;
  try {
    return JSON.parse(Buffer.from(encoded, "base64url").toString("utf8")) as SessionPayload;
  } catch {
    return undefined;
  }
}

/** The logout endpoint: the cookie's SSO session ends with it. */
export async function endManagedLoginSession(
  ctx: RequestContext,
  poolId: string,
  value: string | undefined,
): Promise<void> {
  const payload = payloadOf(ctx, value);
  if (payload?.p === poolId && payload.i !== undefined) await endSsoSession(ctx, poolId, payload.i);
}

/** The signed-in user of a session cookie for `pool`, and when they signed in; undefined when it is not good. */
export async function sessionUser(
  ctx: RequestContext,
  pool: PoolRecord,
  value: string | undefined,
): Promise<{ user: UserRecord; authTime: number; ssoSessionId?: string } | undefined> {
  const payload = payloadOf(ctx, value);
  if (!payload || payload.p !== pool.id || !(payload.e > ctx.now)) return undefined;
  const user = await ctx.services.storage.users.getUserBySub(pool.id, payload.s);
  if (!user?.enabled || user.status !== "CONFIRMED") return undefined;
  if (user.tokensValidAfter !== undefined && payload.t < user.tokensValidAfter) return undefined;
  // A revoked (or expired) SSO session ends its cookie.
  if (payload.i !== undefined && !(await useSsoSession(ctx, pool.id, payload.i))) return undefined;
  return { user, authTime: payload.t, ...(payload.i === undefined ? {} : { ssoSessionId: payload.i }) };
}

/** The cookie's name: one per pool, so pools served from one origin keep their sessions apart. */
export function sessionCookieName(poolId: string): string {
  return `lanyard_session_${poolId}`;
}

/**
 * The session an authorization request may be answered with: the pool's live session, unless (in
 * strict mode) `prompt=login` asks for the form, the sign-in is older than `max_age`, or the
 * session's user is not the one `id_token_hint` names. With
 * `prompt=none` and no such session the request fails with `login_required`.
 */
export async function usableSession(
  ctx: RequestContext,
  request: AuthorizationRequest,
  value: string | undefined,
): Promise<{ user: UserRecord; authTime: number; ssoSessionId?: string } | undefined> {
  const session = await sessionUser(ctx, request.pool, value);
  // A tracked SSO session: each app client reuses it within its MaxValidityMinutes of the sign-in.
  const pastClientValidity =
    session?.ssoSessionId !== undefined &&
    ctx.now - session.authTime >=
      (await clientSsoValidityMinutes(ctx.services.storage, request.pool.id, request.client.clientId)) *
        60_000;
  const tooOld =
    session !== undefined &&
    request.maxAge !== undefined &&
    ctx.now - session.authTime > request.maxAge * 1000;
  const otherUser =
    session !== undefined && request.hintedSub !== undefined && session.user.sub !== request.hintedSub;
  const usable =
    session && !request.prompt?.includes("login") && !tooOld && !otherUser && !pastClientValidity
      ? session
      : undefined;
  if (!usable && request.prompt?.includes("none"))
    throw new OAuthError("login_required", "The user is not signed in.", { redirect: request.errorRedirect });
  return usable;
}
