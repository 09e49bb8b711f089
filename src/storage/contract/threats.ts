/**
 * Threat protection: risk configurations (a pool's, and an app client's own) and users' auth
 * events. Written rules:
 * - A risk configuration is keyed by (pool, client id); the pool's own has the client id "". It
 *   goes with the pool.
 * - An auth event belongs to one user of one pool and goes with the user; its id is unique in the
 *   pool. `listAuthEvents` lists a user's events newest first (creation time, then id), keyset-paged.
 */
import type { AuthEventRecord, RiskConfigurationRecord } from "../records.ts";
import { type Page, repository } from "./common.ts";

export interface ThreatsReader {
  getRiskConfiguration(poolId: string, clientId: string): Promise<RiskConfigurationRecord | undefined>;
  getAuthEvent(poolId: string, eventId: string): Promise<AuthEventRecord | undefined>;
  /** The user's auth events, newest first. */
  listAuthEvents(poolId: string, sub: string, limit: number, after?: string): Promise<Page<AuthEventRecord>>;
}

export interface ThreatsRepository extends ThreatsReader {
  /** Inserts or replaces the configuration of (pool, client id). */
  putRiskConfiguration(config: RiskConfigurationRecord): Promise<void>;
  /** False when there was none. */
  deleteRiskConfiguration(poolId: string, clientId: string): Promise<boolean>;
  insertAuthEvent(event: AuthEventRecord): Promise<void>;
  /** Writes the event's data (response, risk, challenges, feedback); the keys stay. */
  updateAuthEvent(event: AuthEventRecord): Promise<void>;
}

export const THREATS = repository<ThreatsReader, ThreatsRepository>({
  getRiskConfiguration: true,
  getAuthEvent: true,
  listAuthEvents: true,
});
