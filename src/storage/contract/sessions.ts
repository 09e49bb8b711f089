/**
 * User sessions of session tracking, and the pools' and app clients' session configurations.
 * Written rules:
 * - A session id is unique within its pool; a session belongs to one user and is deleted with the
 *   user and with the pool; a configuration is deleted with its pool.
 * - `listUserSessions` lists the sessions that have not expired at `now`, oldest first.
 * - A pool's own configuration is kept under the client id "".
 */
import type { SessionSettingsRecord, UserSessionRecord } from "../records.ts";
import { repository } from "./common.ts";

export interface SessionsReader {
  getSessionSettings(poolId: string, clientId: string): Promise<SessionSettingsRecord | undefined>;
  getUserSession(poolId: string, sessionId: string): Promise<UserSessionRecord | undefined>;
  /** The token session of a sign-in (its origin_jti). */
  getSessionByOrigin(poolId: string, originJti: string): Promise<UserSessionRecord | undefined>;
  /** The user's sessions live at `now`, oldest first. */
  listUserSessions(poolId: string, sub: string, now: number): Promise<UserSessionRecord[]>;
  /** The token sessions that came through an SSO session. */
  listLinkedSessions(poolId: string, ssoSessionId: string): Promise<UserSessionRecord[]>;
}

export interface SessionsRepository extends SessionsReader {
  /** Replaces the configuration of the pool (clientId "") or of one app client. */
  putSessionSettings(poolId: string, clientId: string, settings: SessionSettingsRecord): Promise<void>;
  insertUserSession(session: UserSessionRecord): Promise<void>;
  /** Writes the activity fields: last active, expiry, device type, IP address. */
  updateUserSession(session: UserSessionRecord): Promise<void>;
  deleteUserSession(poolId: string, sessionId: string): Promise<void>;
  /** Deletes every session of a user (global sign-out). */
  deleteUserSessions(poolId: string, sub: string): Promise<void>;
}

export const SESSIONS = repository<SessionsReader, SessionsRepository>({
  getSessionSettings: true,
  getUserSession: true,
  getSessionByOrigin: true,
  listUserSessions: true,
  listLinkedSessions: true,
});
