/** Pools' log delivery configurations (SetLogDeliveryConfiguration): one per pool. */
import type { LogDeliveryRecord } from "../records.ts";
import { repository } from "./common.ts";

export interface LogDeliveryReader {
  getLogDelivery(poolId: string): Promise<LogDeliveryRecord | undefined>;
}

export interface LogDeliveryRepository extends LogDeliveryReader {
  /** Inserts or replaces the pool's configuration. */
  putLogDelivery(record: LogDeliveryRecord): Promise<void>;
}

export const LOG_DELIVERY = repository<LogDeliveryReader, LogDeliveryRepository>({
  getLogDelivery: true,
});
