/** The timings and messages of user import jobs, shared by the operations and the runner. */
import type { ImportJobStatus } from "../../storage/contract/import-jobs.ts";

/** A Created job expires this long after its creation (Cognito: 24 to 48 hours). */
export const EXPIRY_MS = 24 * 60 * 60 * 1000;
/** A running job whose runner has not shown it is alive (every batch, and every 2 s) for this long is taken as interrupted. */
export const STALE_MS = 10_000;
export const ACTIVE: readonly ImportJobStatus[] = ["Pending", "InProgress", "Stopping"];

export const MESSAGES = {
  succeeded: "Import Job Completed Successfully.",
  stopped: "The Import Job was stopped by the developer.",
  expired: "The import job was not started within 24 hours of its creation.",
  interrupted:
    "The import job was interrupted: the Lanyard instance running it stopped before it finished. Users imported before the interruption stay imported.",
} as const;
