/** Authorization codes of the OAuth 2.0 code grant. */
import type { AuthorizationCodeRecord } from "../records.ts";
import { repository } from "./common.ts";

export type OAuthReader = object;

export interface OAuthRepository extends OAuthReader {
  insertAuthorizationCode(code: AuthorizationCodeRecord): Promise<void>;
  /**
   * Removes and returns the code if it exists and has not expired at `now`; of several concurrent
   * callers exactly one gets it (a code is redeemed once).
   */
  consumeAuthorizationCode(codeHash: string, now: number): Promise<AuthorizationCodeRecord | undefined>;
  /** Removes expired codes. */
  purgeExpiredCodes(now: number): Promise<void>;
}

export const OAUTH = repository<OAuthReader, OAuthRepository>({});
