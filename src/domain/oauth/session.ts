/**
 * The managed login session: after a sign-in on the login pages the browser keeps a signed value
 * (an HMAC under the server secret) naming the pool, the user and the sign-in time, so a second
 * authorization request within the hour skips the form, as Cognito's does. It ends with the hour,
 * with /logout, or when the user's sessions end (GlobalSignOut, AdminUserGlobalSignOut, a disabled
 * or deleted user).
 */
import { createHmac } from "node:crypto";
import type { RequestContext } from "../../context.ts";
import { safeEqual } from "../../crypto/secret-hash.ts";
import type { PoolRecord, UserRecord } from "../../storage/records.ts";
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
}

function mac(ctx: RequestContext, payload: string): string {
  return createHmac("sha256", ctx.services.serverSecret)
    .update(`managed-login-session\n${payload}`)
    .digest("base64url");
}

/** The cookie value of a sign-in of `user` at `authTime`. */
export function sessionValue(ctx: RequestContext, user: UserRecord, authTime: number): string {
  const payload: SessionPayload = {
    p: user.poolId,
    s: user.sub,
    t: authTime,
    e: authTime + SESSION_LIFETIME_MS,
  };
  const encoded = Buffer.from(JSON.stringify(payload)).toString("base64url");
  return `${encoded}.${mac(ctx, encoded)}`;
}

/** The signed-in user of a session cookie for `pool`, and when they signed in; undefined when it is not good. */
export async function sessionUser(
  ctx: RequestContext,
  pool: PoolRecord,
  value: string | undefined,
): Promise<{ user: UserRecord; authTime: number } | undefined> {
  if (!value) return undefined;
  const dot = value.indexOf(".");
  if (dot < 0) return undefined;
  const encoded = value.slice(0, dot);
  if (!safeEqual(mac(ctx, encoded), value.slice(dot + 1))) return undefined;
  let payload: SessionPayload;
  try {
    payload = JSON.parse(Buffer.from(encoded, "base64url").toString("utf8")) as SessionPayload;
  } catch {
    return undefined;
  }
  if (payload.p !== pool.id || !(payload.e > ctx.now)) return undefined;
  const user = await ctx.services.storage.users.getUserBySub(pool.id, payload.s);
  if (!user?.enabled || user.status !== "CONFIRMED") return undefined;
  if (user.tokensValidAfter !== undefined && payload.t < user.tokensValidAfter) return undefined;
  return { user, authTime: payload.t };
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
): Promise<{ user: UserRecord; authTime: number } | undefined> {
  const session = await sessionUser(ctx, request.pool, value);
  const tooOld =
    session !== undefined &&
    request.maxAge !== undefined &&
    ctx.now - session.authTime > request.maxAge * 1000;
  const otherUser =
    session !== undefined && request.hintedSub !== undefined && session.user.sub !== request.hintedSub;
  const usable = session && !request.prompt?.includes("login") && !tooOld && !otherUser ? session : undefined;
  if (!usable && request.prompt?.includes("none"))
    throw new OAuthError("login_required", "The user is not signed in.", { redirect: request.errorRedirect });
  return usable;
}
