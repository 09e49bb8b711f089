/**
 * Runs a started import job in the background, on the instance that started it: reads the file's
 * chunks in order through the CSV reader, imports the rows 1,000 at a time (each batch through the
 * bulk import, in one transaction, every row checked as AdminCreateUser checks a user), and after
 * each batch records the counts and the log's entries, shows it is alive (`heartbeatAt`), looks for
 * a Stop, and yields to the event loop, so requests go on being served while a job runs.
 *
 * Rows are SKIPPED when their user exists already (also when an earlier row of the file made it)
 * and FAILED with the reason otherwise; the job then goes on. The job itself Fails when its file's
 * header is not the pool's, when the file is empty, or when the storage fails.
 */
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import type { Services } from "../../context.ts";
import type { ImportLogRecord } from "../../storage/contract/import-jobs.ts";
import type { PoolRecord } from "../../storage/records.ts";
import { importUsersEach, type ImportUser } from "../users/bulk-import.ts";
import { CsvReader, type CsvRecord } from "./csv.ts";
import { headerProblem, readRow } from "./rows.ts";
import { ACTIVE, MESSAGES } from "./status.ts";

export const BATCH_SIZE = 1_000;
const HEARTBEAT_MS = 2_000;

/** The jobs this process is running, so that one job never runs twice here. */
const running = new Map<string, Promise<void>>();

/** Starts running a Pending job in the background; returns at once. */
export function runImportJob(services: Services, poolId: string, jobId: string): void {
  if (running.has(jobId)) return;
  // Besides each batch's record, a beat every HEARTBEAT_MS, so that a slow batch is not taken for
  // an interrupted job (status.ts STALE_MS).
  const beat = setInterval(() => {
    const now = services.clock.now();
    services.storage
      .transaction((tx) =>
        tx.importJobs.transitionImportJob(poolId, jobId, ["Pending", "InProgress", "Stopping"], {
          heartbeatAt: now,
        }),
      )
      .catch(() => {});
  }, HEARTBEAT_MS);
  beat.unref();
  const done = run(services, poolId, jobId)
    .catch(async (e: unknown) => {
      const message = `The import job failed: ${(e as Error).message}`;
      services.logger.error("import job failed", { jobId, error: (e as Error).message });
      await end(services, poolId, jobId, ACTIVE, "Failed", message).catch(() => {});
    })
    .finally(() => {
      clearInterval(beat);
      running.delete(jobId);
    });
  running.set(jobId, done);
}

/** Resolves when every job this process runs has ended (for tests and orderly shutdown). */
export async function importJobsSettled(): Promise<void> {
  await Promise.all([...running.values()]);
}

class JobGone extends Error {}

async function end(
  services: Services,
  poolId: string,
  jobId: string,
  from: typeof ACTIVE,
  status: "Succeeded" | "Failed" | "Stopped",
  message: string,
): Promise<boolean> {
  const now = services.clock.now();
  return services.storage.transaction(async (tx) => {
    const ok = await tx.importJobs.transitionImportJob(poolId, jobId, from, {
      status,
      completedAt: now,
      completionMessage: message,
      heartbeatAt: now,
    });
    if (ok) {
      await tx.importJobs.deleteImportChunks(jobId);
      await tx.importJobs.appendImportLog([
        { jobId, time: now, result: status === "Succeeded" ? "COMPLETED" : status.toUpperCase(), message },
      ]);
    }
    return ok;
  });
}

async function run(services: Services, poolId: string, jobId: string): Promise<void> {
  const { storage } = services;
  const now = services.clock.now();
  const began = await storage.transaction(async (tx) => {
    const ok = await tx.importJobs.transitionImportJob(poolId, jobId, ["Pending"], {
      status: "InProgress",
      heartbeatAt: now,
    });
    if (ok)
      await tx.importJobs.appendImportLog([
        { jobId, time: now, result: "STARTED", message: "The import job started." },
      ]);
    return ok;
  });
  if (!began) {
    // Stopped before it began.
    await end(services, poolId, jobId, ["Stopping"], "Stopped", MESSAGES.stopped);
    return;
  }
  const pool = await storage.pools.getPool(poolId);
  if (!pool) return; // deleted, and the job with it
  const counts = { imported: 0, skipped: 0, failed: 0 };
  const reader = new CsvReader();
  let header: string[] | undefined;
  let pending: CsvRecord[] = [];
  try {
    for (let seq = 0; ; seq++) {
      const text = await storage.importJobs.getImportChunk(jobId, seq);
      const records = text === undefined ? reader.end() : reader.push(text);
      for (const record of records) {
        if (header) {
          pending.push(record);
          continue;
        }
        // A byte order mark (as spreadsheet programs write one) is no part of the first column's name.
        header = record.fields.map((f, i) => (i === 0 ? f.replace(/^\uFEFF/, "") : f));
        const problem = headerProblem(pool, header);
        if (problem) {
          await end(
            services,
            poolId,
            jobId,
            ACTIVE,
            "Failed",
            `The CSV file could not be parsed: ${problem}`,
          );
          return;
        }
      }
      while (pending.length >= BATCH_SIZE || (text === undefined && pending.length > 0)) {
        const batch = pending.slice(0, BATCH_SIZE);
        pending = pending.slice(BATCH_SIZE);
        if (await importBatch(services, pool, jobId, header!, batch, counts)) return;
        await yieldToEventLoop();
      }
      if (text === undefined) break;
    }
  } catch (e) {
    if (e instanceof JobGone) return;
    throw e;
  }
  if (!header) {
    await end(
      services,
      poolId,
      jobId,
      ACTIVE,
      "Failed",
      "The CSV file could not be parsed: the file is empty.",
    );
    return;
  }
  if (!(await end(services, poolId, jobId, ["InProgress"], "Succeeded", MESSAGES.succeeded)))
    await end(services, poolId, jobId, ["Stopping"], "Stopped", MESSAGES.stopped);
}

/**
 * Imports one batch of rows and records it; true when the job was stopped meanwhile (it is Stopped
 * now). JobGone when the job is no longer this runner's (settled as interrupted, or deleted).
 */
async function importBatch(
  services: Services,
  pool: PoolRecord,
  jobId: string,
  header: readonly string[],
  batch: readonly CsvRecord[],
  counts: { imported: number; skipped: number; failed: number },
): Promise<boolean> {
  const { storage } = services;
  const now = services.clock.now();
  const log: ImportLogRecord[] = [];
  const users: ImportUser[] = [];
  const rows: { line: number; mfa: boolean }[] = [];
  for (const record of batch) {
    const reading = readRow(pool, header, record.fields);
    if ("failure" in reading) {
      counts.failed++;
      log.push({ jobId, time: now, result: "FAILED", line: record.line, message: reading.failure });
      continue;
    }
    users.push(reading.user);
    rows.push({ line: record.line, mfa: reading.mfa });
  }
  const outcomes = await importUsersEach(storage, pool, users, { now });
  const withMfa: string[] = [];
  outcomes.forEach((o, i) => {
    const row = rows[i]!;
    if (o.imported) {
      counts.imported++;
      if (row.mfa) withMfa.push(o.sub);
    } else if (o.exists) {
      counts.skipped++;
      log.push({ jobId, time: now, result: "SKIPPED", line: row.line, message: "The user already exists." });
    } else {
      counts.failed++;
      log.push({
        jobId,
        time: now,
        result: "FAILED",
        line: row.line,
        message: `${o.error.type}: ${o.error.message}`,
      });
    }
  });
  log.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  const status = await storage.transaction(async (tx) => {
    for (const sub of withMfa)
      await tx.mfa.putUserMfa({
        poolId: pool.id,
        sub,
        totpVerified: false,
        totpEnabled: false,
        smsEnabled: true,
        emailEnabled: false,
        updatedAt: now,
      });
    const ok = await tx.importJobs.transitionImportJob(pool.id, jobId, ["InProgress", "Stopping"], {
      ...counts,
      heartbeatAt: now,
    });
    if (!ok) return undefined;
    await tx.importJobs.appendImportLog(log);
    return (await tx.importJobs.getImportJob(pool.id, jobId))?.status;
  });
  if (status === undefined) throw new JobGone();
  if (status !== "Stopping") return false;
  await end(services, pool.id, jobId, ["Stopping"], "Stopped", MESSAGES.stopped);
  return true;
}
