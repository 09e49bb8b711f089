/** Authorization codes of the OAuth 2.0 code grant. */
import type { AuthorizationCodeRecord } from "../records.ts";
import { repository } from "./common.ts";

export interface OAuthReader {
  /** The code, redeemed or not, until it expires at `now`. */
  getAuthorizationCode(codeHash: string, now: number): Promise<AuthorizationCodeRecord | undefined>;
}

export interface OAuthRepository extends OAuthReader {
  insertAuthorizationCode(code: AuthorizationCodeRecord): Promise<void>;
  /**
   * Marks the code redeemed at `now` and returns it, if it exists, has not expired and was not
   * redeemed before; of several concurrent callers exactly one gets it (a code is redeemed once).
   */
  redeemAuthorizationCode(codeHash: string, now: number): Promise<AuthorizationCodeRecord | undefined>;
  /** Records the origin_jti of the tokens issued for a redeemed code. */
  setAuthorizationCodeOrigin(codeHash: string, originJti: string): Promise<void>;
  /** Removes expired codes (redeemed or not). */
  purgeExpiredCodes(now: number): Promise<void>;
}

export const OAUTH = repository<OAuthReader, OAuthRepository>({ getAuthorizationCode: true });
