/**
 * Users' MFA settings: one row per user, removed with the user (and the pool).
 * `acceptTotpStep` is the replay guard: of concurrent callers presenting codes of one time step,
 * exactly one gets true.
 */
import type { UserMfaRecord } from "../records.ts";
import { repository } from "./common.ts";

export interface MfaReader {
  getUserMfa(poolId: string, sub: string): Promise<UserMfaRecord | undefined>;
}

export interface MfaRepository extends MfaReader {
  /** Inserts or replaces the user's row (the user must exist). */
  putUserMfa(record: UserMfaRecord): Promise<void>;
  deleteUserMfa(poolId: string, sub: string): Promise<void>;
  /**
   * Records `step` as the user's last accepted TOTP step if it is later than the one recorded:
   * true when it was, false when a code of this step (or a later one) was already accepted.
   */
  acceptTotpStep(poolId: string, sub: string, step: number, now: number): Promise<boolean>;
}

export const MFA = repository<MfaReader, MfaRepository>({ getUserMfa: true });
