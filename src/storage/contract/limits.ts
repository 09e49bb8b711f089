/**
 * Request-rate limits shared by every instance on one database. Written rules:
 * - One provisioned limit per (region, category); setting it again replaces it.
 * - Each running instance that enforces limits beats its heartbeat; `liveInstances(since)` counts
 *   the instances whose last beat is at `since` or later (the instance asking included, once it beat).
 */
import type { ProvisionedLimitRecord } from "../records.ts";
import { repository } from "./common.ts";

export interface LimitsReader {
  /** Every provisioned limit, of every region. */
  listProvisionedLimits(): Promise<ProvisionedLimitRecord[]>;
  getProvisionedLimit(region: string, category: string): Promise<ProvisionedLimitRecord | undefined>;
  liveInstances(since: number): Promise<number>;
}

export interface LimitsRepository extends LimitsReader {
  putProvisionedLimit(limit: ProvisionedLimitRecord): Promise<void>;
  /** Records that the instance is alive at `at` (epoch milliseconds), and forgets long-dead ones before `forgetBefore`. */
  beat(instanceId: string, at: number, forgetBefore: number): Promise<void>;
  /** The instance stops: it no longer counts. */
  leave(instanceId: string): Promise<void>;
}

export const LIMITS = repository<LimitsReader, LimitsRepository>({
  listProvisionedLimits: true,
  getProvisionedLimit: true,
  liveInstances: true,
});
