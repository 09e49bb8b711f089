/**
 * User import jobs (CreateUserImportJob and the rest): the jobs, the CSV file uploaded to each
 * (kept in the database as text chunks, so any instance sharing the storage can run the job), and
 * each job's log of the rows it skipped or failed. Written rules:
 * - A job id is unique; a job belongs to one pool and is deleted with it, with its file and log.
 * - `claimImportUpload` moves a job's upload from `none` to `uploading` for exactly one of
 *   concurrent callers; `finishImportUpload` to `uploaded`, `releaseImportUpload` back to `none`
 *   (its chunks removed).
 * - `transitionImportJob` changes a job only while its status is one of `from`: of concurrent
 *   transitions from one status exactly one succeeds.
 * - `listImportJobs` lists a pool's jobs in the order they were created, keyset-paged.
 * - Chunks are numbered from 0; the log's entries in the order they were appended.
 */
import { type Page, repository } from "./common.ts";

export type ImportJobStatus =
  "Created" | "Pending" | "InProgress" | "Stopping" | "Stopped" | "Succeeded" | "Failed" | "Expired";

export type ImportUploadState = "none" | "uploading" | "uploaded";

export interface ImportJobRecord {
  poolId: string;
  /** `import-` and 10 alphanumerics, as Cognito's. */
  jobId: string;
  jobName: string;
  /** CloudWatchLogsRoleArn, kept as given (Lanyard writes its own log, see import-jobs/log.ts). */
  roleArn: string;
  passwordHashingAlgorithm?: string;
  status: ImportJobStatus;
  createdAt: number;
  startedAt?: number;
  completedAt?: number;
  completionMessage?: string;
  imported: number;
  skipped: number;
  failed: number;
  upload: ImportUploadState;
  /** Bytes of the uploaded file. */
  uploadBytes: number;
  /** Epoch ms at which the instance running the job last showed it is alive. */
  heartbeatAt?: number;
}

/** The mutable fields of a job, as `transitionImportJob` writes them. */
export type ImportJobChanges = Partial<
  Pick<
    ImportJobRecord,
    | "status"
    | "startedAt"
    | "completedAt"
    | "completionMessage"
    | "imported"
    | "skipped"
    | "failed"
    | "heartbeatAt"
  >
>;

/** One line of a job's log: a row skipped or failed (with its line number), or a job event. */
export interface ImportLogRecord {
  jobId: string;
  /** Epoch ms. */
  time: number;
  /** SUCCEEDED, SKIPPED or FAILED for a row; STARTED, COMPLETED, STOPPED or FAILED for the job. */
  result: string;
  /** The CSV line number (the header is line 1); absent for job events. */
  line?: number;
  message: string;
}

export interface ImportJobsReader {
  getImportJob(poolId: string, jobId: string): Promise<ImportJobRecord | undefined>;
  listImportJobs(poolId: string, limit: number, after?: string): Promise<Page<ImportJobRecord>>;
  /** The chunk `seq` of the job's file (undefined past the last). */
  getImportChunk(jobId: string, seq: number): Promise<string | undefined>;
  listImportLog(jobId: string, limit: number, after?: string): Promise<Page<ImportLogRecord>>;
}

export interface ImportJobsRepository extends ImportJobsReader {
  /** DuplicateKeyError when the job id exists. */
  insertImportJob(job: ImportJobRecord): Promise<void>;
  /** Applies `changes` when the job's status is one of `from`; false (nothing changed) otherwise. */
  transitionImportJob(
    poolId: string,
    jobId: string,
    from: readonly ImportJobStatus[],
    changes: ImportJobChanges,
  ): Promise<boolean>;
  claimImportUpload(poolId: string, jobId: string): Promise<boolean>;
  insertImportChunk(jobId: string, seq: number, text: string): Promise<void>;
  finishImportUpload(poolId: string, jobId: string, bytes: number): Promise<void>;
  releaseImportUpload(poolId: string, jobId: string): Promise<void>;
  /** Removes the job's file (its log stays). */
  deleteImportChunks(jobId: string): Promise<void>;
  appendImportLog(entries: readonly ImportLogRecord[]): Promise<void>;
}

export const IMPORT_JOBS = repository<ImportJobsReader, ImportJobsRepository>({
  getImportJob: true,
  listImportJobs: true,
  getImportChunk: true,
  listImportLog: true,
});
