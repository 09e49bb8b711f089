/** SQLite: user import jobs, their uploaded files (text chunks) and their logs. */
import type {
  ImportJobChanges,
  ImportJobRecord,
  ImportJobStatus,
  ImportJobsRepository,
  ImportLogRecord,
} from "../contract/import-jobs.ts";
import { decodeCursor, page } from "../cursor.ts";
import { IMPORT_JOB_CHANGE_COLUMNS, importJobFromRow, importLogFromRow } from "../import-job-row.ts";
import { DuplicateKeyError } from "../storage.ts";
import { isUniqueViolation, type Row, SqliteRepository } from "./sql.ts";

const seqOf = (after: string | undefined): number => (after ? Number(decodeCursor(after, 1)[0]) : 0);

export class SqliteImportJobs extends SqliteRepository implements ImportJobsRepository {
  async getImportJob(poolId: string, jobId: string) {
    const r = this.q("SELECT * FROM import_jobs WHERE pool_id = ? AND job_id = ?").get(poolId, jobId) as
      Row | undefined;
    return r && importJobFromRow(r);
  }
  async listImportJobs(poolId: string, limit: number, after?: string) {
    const rows = this.q("SELECT * FROM import_jobs WHERE pool_id = ? AND seq > ? ORDER BY seq LIMIT ?").all(
      poolId,
      seqOf(after),
      limit + 1,
    ) as Row[];
    return page(rows, limit, importJobFromRow, (r) => [Number(r.seq)]);
  }
  async getImportChunk(jobId: string, seq: number) {
    const r = this.q("SELECT data FROM import_job_chunks WHERE job_id = ? AND seq = ?").get(jobId, seq) as
      Row | undefined;
    return r ? (r.data as string) : undefined;
  }
  async listImportLog(jobId: string, limit: number, after?: string) {
    const rows = this.q("SELECT * FROM import_job_log WHERE job_id = ? AND seq > ? ORDER BY seq LIMIT ?").all(
      jobId,
      seqOf(after),
      limit + 1,
    ) as Row[];
    return page(rows, limit, importLogFromRow, (r) => [Number(r.seq)]);
  }
  async insertImportJob(j: ImportJobRecord) {
    try {
      this.q(
        "INSERT INTO import_jobs (pool_id, job_id, job_name, role_arn, password_hashing_algorithm, status, created_at, imported, skipped, failed, upload, upload_bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      ).run(
        j.poolId,
        j.jobId,
        j.jobName,
        j.roleArn,
        j.passwordHashingAlgorithm ?? null,
        j.status,
        j.createdAt,
        j.imported,
        j.skipped,
        j.failed,
        j.upload,
        j.uploadBytes,
      );
    } catch (e) {
      if (isUniqueViolation(e)) throw new DuplicateKeyError("import job exists");
      throw e;
    }
  }
  async transitionImportJob(
    poolId: string,
    jobId: string,
    from: readonly ImportJobStatus[],
    changes: ImportJobChanges,
  ) {
    const sets: string[] = [];
    const values: (string | number | null)[] = [];
    for (const [field, column] of Object.entries(IMPORT_JOB_CHANGE_COLUMNS)) {
      if (!(field in changes)) continue;
      sets.push(`${column} = ?`);
      values.push((changes as Record<string, string | number | undefined>)[field] ?? null);
    }
    if (sets.length === 0 || from.length === 0) return false;
    const r = this.q(
      `UPDATE import_jobs SET ${sets.join(", ")} WHERE pool_id = ? AND job_id = ? AND status IN (${from.map(() => "?").join(", ")})`,
    ).run(...values, poolId, jobId, ...from);
    return Number(r.changes) > 0;
  }
  async claimImportUpload(poolId: string, jobId: string) {
    const r = this.q(
      "UPDATE import_jobs SET upload = 'uploading' WHERE pool_id = ? AND job_id = ? AND upload = 'none'",
    ).run(poolId, jobId);
    return Number(r.changes) > 0;
  }
  async insertImportChunk(jobId: string, seq: number, text: string) {
    this.q("INSERT INTO import_job_chunks (job_id, seq, data) VALUES (?, ?, ?)").run(jobId, seq, text);
  }
  async finishImportUpload(poolId: string, jobId: string, bytes: number) {
    this.q(
      "UPDATE import_jobs SET upload = 'uploaded', upload_bytes = ? WHERE pool_id = ? AND job_id = ?",
    ).run(bytes, poolId, jobId);
  }
  async releaseImportUpload(poolId: string, jobId: string) {
    this.q("DELETE FROM import_job_chunks WHERE job_id = ?").run(jobId);
    this.q("UPDATE import_jobs SET upload = 'none', upload_bytes = 0 WHERE pool_id = ? AND job_id = ?").run(
      poolId,
      jobId,
    );
  }
  async deleteImportChunks(jobId: string) {
    this.q("DELETE FROM import_job_chunks WHERE job_id = ?").run(jobId);
  }
  async appendImportLog(entries: readonly ImportLogRecord[]) {
    const insert = this.q(
      "INSERT INTO import_job_log (job_id, time, result, line, message) VALUES (?, ?, ?, ?, ?)",
    );
    for (const e of entries) insert.run(e.jobId, e.time, e.result, e.line ?? null, e.message);
  }
}
