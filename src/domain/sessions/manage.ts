/**
 * Listing and revoking a user's sessions: AdminListUserSessions and ListUserSessions,
 * AdminRevokeUserSession and RevokeUserSession. Only live sessions are listed (revoked ones are
 * deleted, expired ones are past their refresh token or cookie), all in one page: a user holds at
 * most 100 token sessions.
 */
import type { RequestContext } from "../../context.ts";
import { InvalidParameterException, ResourceNotFoundException } from "../../generated/exceptions.ts";
import type {
  AdminListUserSessionsRequest,
  AdminRevokeUserSessionRequest,
  RevokeAssociatedSessionsType,
  SessionDescriptionType,
} from "../../generated/types.ts";
import type { PoolRecord, UserRecord, UserSessionRecord } from "../../storage/records.ts";
import type { TokenCaller } from "../caller.ts";
import { wireTime } from "../ids.ts";
import { requirePool, requireUser } from "../lookups.ts";
import { invalidToken } from "../pagination.ts";
import { poolSessionConfig, trackingDisabled } from "./config.ts";
import { endSession } from "./tracking.ts";

function describe(s: UserSessionRecord, currentOrigin: string | undefined): SessionDescriptionType {
  return {
    SessionId: s.sessionId,
    SessionType: s.type,
    ClientId: s.clientId,
    CreateDate: wireTime(s.createdAt),
    LastActiveDate: wireTime(s.lastActiveAt),
    DeviceType: s.deviceType ?? "unknown",
    ...(s.lastIp === undefined ? {} : { LastIPAddress: s.lastIp }),
    // No geo-IP database: the location is Cognito's answer when resolution fails.
    LastLocation: { Country: "unknown" },
    ...(s.originSessionId === undefined ? {} : { OriginSessionId: s.originSessionId }),
    IsCurrentSession: currentOrigin !== undefined && s.originJti === currentOrigin,
  };
}

async function listSessions(
  ctx: RequestContext,
  pool: PoolRecord,
  user: UserRecord,
  nextToken: string | undefined,
  currentOrigin: string | undefined,
): Promise<{ Sessions: SessionDescriptionType[] }> {
  const { storage } = ctx.services;
  if (!(await poolSessionConfig(storage, pool.id)).tracking) throw trackingDisabled();
  // Every session comes in the first page, so no pagination token is ever handed out.
  if (nextToken !== undefined && nextToken !== "") throw invalidToken();
  const sessions = await storage.sessions.listUserSessions(pool.id, user.sub, ctx.now);
  return { Sessions: sessions.map((s) => describe(s, currentOrigin)) };
}

export async function adminListUserSessions(
  ctx: RequestContext,
  input: AdminListUserSessionsRequest,
): Promise<{ Sessions: SessionDescriptionType[] }> {
  const { storage } = ctx.services;
  const pool = await requirePool(storage, input.UserPoolId!);
  const user = await requireUser(storage, pool, input.Username!);
  return listSessions(ctx, pool, user, input.NextToken, undefined);
}

function originOf(caller: TokenCaller): string | undefined {
  return typeof caller.claims.origin_jti === "string" ? caller.claims.origin_jti : undefined;
}

export async function listOwnSessions(
  ctx: RequestContext,
  caller: TokenCaller,
  nextToken: string | undefined,
): Promise<{ Sessions: SessionDescriptionType[] }> {
  return listSessions(ctx, caller.pool, caller.user, nextToken, originOf(caller));
}

function sessionNotFound(): ResourceNotFoundException {
  return new ResourceNotFoundException("Session not found.");
}

/**
 * Ends the user's session `sessionId` and, with LINKED, the sessions linked to it: a token
 * session's SSO session, or the token sessions that came through an SSO session.
 */
async function revokeSession(
  ctx: RequestContext,
  pool: PoolRecord,
  user: UserRecord,
  sessionId: string,
  associated: RevokeAssociatedSessionsType | undefined,
  currentOrigin: string | undefined,
): Promise<void> {
  const { storage } = ctx.services;
  if (!(await poolSessionConfig(storage, pool.id)).tracking) throw trackingDisabled();
  await storage.transaction(async (tx) => {
    const session = await tx.sessions.getUserSession(pool.id, sessionId);
    if (!session || session.sub !== user.sub || session.expiresAt <= ctx.now) throw sessionNotFound();
    if (currentOrigin !== undefined && session.originJti === currentOrigin)
      throw new InvalidParameterException(
        "The session of the access token in the request cannot be revoked.",
      );
    await endSession(tx, session, ctx.now);
    if (associated !== "LINKED") return;
    if (session.type === "TOKEN") {
      if (session.originSessionId === undefined) return;
      const parent = await tx.sessions.getUserSession(pool.id, session.originSessionId);
      if (parent) await endSession(tx, parent, ctx.now);
      return;
    }
    for (const child of await tx.sessions.listLinkedSessions(pool.id, session.sessionId))
      await endSession(tx, child, ctx.now);
  });
}

export async function adminRevokeUserSession(
  ctx: RequestContext,
  input: AdminRevokeUserSessionRequest,
): Promise<void> {
  const { storage } = ctx.services;
  const pool = await requirePool(storage, input.UserPoolId!);
  const user = await requireUser(storage, pool, input.Username!);
  await revokeSession(ctx, pool, user, input.SessionId!, input.RevokeAssociatedSessions, undefined);
}

export async function revokeOwnSession(
  ctx: RequestContext,
  caller: TokenCaller,
  sessionId: string,
  associated: RevokeAssociatedSessionsType | undefined,
): Promise<void> {
  await revokeSession(ctx, caller.pool, caller.user, sessionId, associated, originOf(caller) ?? "");
}
