/** Signing keys, auth sessions, refresh tokens and their revocation. */
import type { AuthSessionRecord, RefreshTokenRecord, SigningKeyRecord } from "../records.ts";
import { repository } from "./common.ts";

export interface TokensReader {
  signingKeys(poolId: string): Promise<SigningKeyRecord[]>;
  /** The session if it exists and has not expired at `now`, left in place (see consumeAuthSession). */
  getAuthSession(id: string, now: number): Promise<AuthSessionRecord | undefined>;
  getRefreshToken(tokenHash: string): Promise<RefreshTokenRecord | undefined>;
  /** True when the tokens of this sign-in (origin_jti) were revoked. */
  isOriginRevoked(poolId: string, originJti: string): Promise<boolean>;
}

export interface TokensRepository extends TokensReader {
  /** Ignores a key whose kid exists already (two instances creating a pool's keys at once). */
  insertSigningKey(key: SigningKeyRecord): Promise<void>;

  insertAuthSession(session: AuthSessionRecord): Promise<void>;
  /** Removes and returns the session if it exists and has not expired at `now`; exactly one concurrent caller gets it. */
  consumeAuthSession(id: string, now: number): Promise<AuthSessionRecord | undefined>;

  insertRefreshToken(token: RefreshTokenRecord): Promise<void>;
  /** Marks a token replaced at `now` unless it already was; true for exactly one concurrent caller. */
  replaceRefreshToken(tokenHash: string, now: number): Promise<boolean>;
  /** Revokes every refresh token (and so every token) of one sign-in. */
  revokeOrigin(poolId: string, originJti: string, now: number): Promise<void>;
  /** Revokes every refresh token of a user. */
  revokeUserTokens(poolId: string, sub: string, now: number): Promise<void>;
  /** Removes expired sessions, codes and counters, and refresh tokens a day past expiry. */
  purgeExpired(now: number): Promise<void>;
}

export const TOKENS = repository<TokensReader, TokensRepository>({
  signingKeys: true,
  getAuthSession: true,
  getRefreshToken: true,
  isOriginRevoked: true,
});
