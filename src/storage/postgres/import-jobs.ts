/** PostgreSQL: user import jobs, their uploaded files (text chunks) and their logs. */
import type {
  ImportJobChanges,
  ImportJobRecord,
  ImportJobStatus,
  ImportJobsRepository,
  ImportLogRecord,
} from "../contract/import-jobs.ts";
import { page } from "../cursor.ts";
import { IMPORT_JOB_CHANGE_COLUMNS, importJobFromRow, importLogFromRow } from "../import-job-row.ts";
import { DuplicateKeyError } from "../storage.ts";
import { PgRepository, seqOf } from "./db.ts";
import type { Param } from "./rows.ts";

export class PostgresImportJobs extends PgRepository implements ImportJobsRepository {
  async getImportJob(poolId: string, jobId: string) {
    const r = await this.one(`SELECT * FROM import_jobs WHERE pool_id = $1 AND job_id = $2${this.lock}`, [
      poolId,
      jobId,
    ]);
    return r && importJobFromRow(r);
  }
  async listImportJobs(poolId: string, limit: number, after?: string) {
    const rows = await this.rows(
      "SELECT * FROM import_jobs WHERE pool_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
      [poolId, seqOf(after), limit + 1],
    );
    return page(rows, limit, importJobFromRow, (r) => [Number(r.seq)]);
  }
  async getImportChunk(jobId: string, seq: number) {
    const r = await this.one("SELECT data FROM import_job_chunks WHERE job_id = $1 AND seq = $2", [
      jobId,
      seq,
    ]);
    return r ? (r.data as string) : undefined;
  }
  async listImportLog(jobId: string, limit: number, after?: string) {
    const rows = await this.rows(
      "SELECT * FROM import_job_log WHERE job_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
      [jobId, seqOf(after), limit + 1],
    );
    return page(rows, limit, importLogFromRow, (r) => [Number(r.seq)]);
  }
  async insertImportJob(j: ImportJobRecord) {
    const n = await this.run(
      "INSERT INTO import_jobs (pool_id, job_id, job_name, role_arn, password_hashing_algorithm, status, created_at, imported, skipped, failed, upload, upload_bytes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING",
      [
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
      ],
    );
    if (n === 0) throw new DuplicateKeyError("import job exists");
  }
  async transitionImportJob(
    poolId: string,
    jobId: string,
    from: readonly ImportJobStatus[],
    changes: ImportJobChanges,
  ) {
    const sets: string[] = [];
    const values: Param[] = [];
    for (const [field, column] of Object.entries(IMPORT_JOB_CHANGE_COLUMNS)) {
      if (!(field in changes)) continue;
      values.push((changes as Record<string, string | number | undefined>)[field] ?? null);
      sets.push(`${column} = $${values.length}`);
    }
    if (sets.length === 0 || from.length === 0) return false;
    values.push(poolId, jobId, [...from]);
    const n = await this.run(
      `UPDATE import_jobs SET ${sets.join(", ")} WHERE pool_id = $${values.length - 2} AND job_id = $${values.length - 1} AND status = ANY($${values.length}::text[])`,
      values,
    );
    return n > 0;
  }
  async claimImportUpload(poolId: string, jobId: string) {
    const n = await this.run(
      "UPDATE import_jobs SET upload = 'uploading' WHERE pool_id = $1 AND job_id = $2 AND upload = 'none'",
      [poolId, jobId],
    );
    return n > 0;
  }
  async insertImportChunk(jobId: string, seq: number, text: string) {
    await this.run("INSERT INTO import_job_chunks (job_id, seq, data) VALUES ($1, $2, $3)", [
      jobId,
      seq,
      text,
    ]);
  }
  async finishImportUpload(poolId: string, jobId: string, bytes: number) {
    await this.run(
      "UPDATE import_jobs SET upload = 'uploaded', upload_bytes = $1 WHERE pool_id = $2 AND job_id = $3",
      [bytes, poolId, jobId],
    );
  }
  async releaseImportUpload(poolId: string, jobId: string) {
    await this.run("DELETE FROM import_job_chunks WHERE job_id = $1", [jobId]);
    await this.run(
      "UPDATE import_jobs SET upload = 'none', upload_bytes = 0 WHERE pool_id = $1 AND job_id = $2",
      [poolId, jobId],
    );
  }
  async deleteImportChunks(jobId: string) {
    await this.run("DELETE FROM import_job_chunks WHERE job_id = $1", [jobId]);
  }
  async appendImportLog(entries: readonly ImportLogRecord[]) {
    if (entries.length === 0) return;
    await this.run(
      "INSERT INTO import_job_log (job_id, time, result, line, message) SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::int[], $5::text[])",
      [
        entries.map((e) => e.jobId),
        entries.map((e) => String(e.time)),
        entries.map((e) => e.result),
        entries.map((e) => (e.line === undefined ? null : String(e.line))),
        entries.map((e) => e.message),
      ],
    );
  }
}
