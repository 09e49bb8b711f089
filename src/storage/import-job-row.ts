/** Rows of the user import job tables to records, shared by both backends. */
import type {
  ImportJobRecord,
  ImportJobStatus,
  ImportLogRecord,
  ImportUploadState,
} from "./contract/import-jobs.ts";
import type { Row } from "./rows.ts";

const str = (v: unknown): string => v as string;
const num = (v: unknown): number => Number(v);
const present = (v: unknown): boolean => v !== null && v !== undefined;

export function importJobFromRow(r: Row): ImportJobRecord {
  const j: ImportJobRecord = {
    poolId: str(r.pool_id),
    jobId: str(r.job_id),
    jobName: str(r.job_name),
    roleArn: str(r.role_arn),
    status: str(r.status) as ImportJobStatus,
    createdAt: num(r.created_at),
    imported: num(r.imported),
    skipped: num(r.skipped),
    failed: num(r.failed),
    upload: str(r.upload) as ImportUploadState,
    uploadBytes: num(r.upload_bytes),
  };
  if (present(r.password_hashing_algorithm)) j.passwordHashingAlgorithm = str(r.password_hashing_algorithm);
  if (present(r.started_at)) j.startedAt = num(r.started_at);
  if (present(r.completed_at)) j.completedAt = num(r.completed_at);
  if (present(r.completion_message)) j.completionMessage = str(r.completion_message);
  if (present(r.heartbeat_at)) j.heartbeatAt = num(r.heartbeat_at);
  return j;
}

export function importLogFromRow(r: Row): ImportLogRecord {
  const e: ImportLogRecord = {
    jobId: str(r.job_id),
    time: num(r.time),
    result: str(r.result),
    message: str(r.message),
  };
  if (present(r.line)) e.line = num(r.line);
  return e;
}

/** The columns `transitionImportJob` may set, by field. */
export const IMPORT_JOB_CHANGE_COLUMNS = {
  status: "status",
  startedAt: "started_at",
  completedAt: "completed_at",
  completionMessage: "completion_message",
  imported: "imported",
  skipped: "skipped",
  failed: "failed",
  heartbeatAt: "heartbeat_at",
} as const;
