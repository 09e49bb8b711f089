/** Codes sent to users (confirmation, recovery, verification) and counters (lockouts, limits). */
import type { CodeRecord, CounterRecord } from "../records.ts";
import { repository } from "./common.ts";

export interface CodesReader {
  getCode(poolId: string, sub: string, purpose: string): Promise<CodeRecord | undefined>;
}

export interface CodesRepository extends CodesReader {
  /** Replaces any earlier code of the same user and purpose. */
  putCode(code: CodeRecord): Promise<void>;
  /** Removes the code if its hash matches; true for exactly one concurrent caller. */
  consumeCode(poolId: string, sub: string, purpose: string, codeHash: string): Promise<boolean>;
  /** Counts a wrong guess; returns the new attempt count. */
  countCodeAttempt(poolId: string, sub: string, purpose: string): Promise<number>;
  deleteCode(poolId: string, sub: string, purpose: string): Promise<void>;

  /**
   * The counter, locked until the transaction ends (it exists from now on: a counter never written
   * reads as count 0, expired). See the contract in storage.ts.
   */
  lockCounter(poolId: string, key: string): Promise<CounterRecord>;
  putCounter(counter: CounterRecord): Promise<void>;
  deleteCounter(poolId: string, key: string): Promise<void>;
}

export const CODES = repository<CodesReader, CodesRepository>({
  getCode: true,
});
