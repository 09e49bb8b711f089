/**
 * User import jobs: CreateUserImportJob, StartUserImportJob, StopUserImportJob,
 * DescribeUserImportJob and ListUserImportJobs, and GetCSVHeader.
 *
 * A job is Created with its upload URL; the CSV file is PUT there (http/import-upload.ts); Start
 * makes it Pending and runs it in the background (runner.ts): InProgress, then Succeeded, Failed,
 * or (after Stop: Stopping) Stopped. Two states are settled when a job is read:
 * - a Created job not started within 24 hours is Expired, and its file removed, as Cognito's are;
 * - a Pending, InProgress or Stopping job whose runner has shown no sign of life for STALE_MS (the
 *   instance running it stopped or was killed) is Failed, so no job stays InProgress for ever.
 */
import { randomInt } from "node:crypto";
import type { RequestContext, Services } from "../../context.ts";
import { PreconditionNotMetException, ResourceNotFoundException } from "../../generated/exceptions.ts";
import type {
  CreateUserImportJobRequest,
  ListUserImportJobsRequest,
  ListUserImportJobsResponse,
  UserImportJobType,
} from "../../generated/types.ts";
import type { ImportJobRecord } from "../../storage/contract/import-jobs.ts";
import { DuplicateKeyError } from "../../storage/storage.ts";
import { wireTime } from "../ids.ts";
import { requirePool } from "../lookups.ts";
import { fromToken, readPage, toToken } from "../pagination.ts";
import { csvHeader } from "./rows.ts";
import { uploadUrl } from "./upload-url.ts";
import { runImportJob } from "./runner.ts";
import { ACTIVE, EXPIRY_MS, MESSAGES, STALE_MS } from "./status.ts";

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

function newJobId(): string {
  let s = "import-";
  for (let i = 0; i < 10; i++) s += ALNUM[randomInt(ALNUM.length)];
  return s;
}

export function jobNotFound(jobId: string): ResourceNotFoundException {
  return new ResourceNotFoundException(`Import job ${jobId} not found.`);
}

export function toUserImportJobType(services: Services, job: ImportJobRecord): UserImportJobType {
  const out: UserImportJobType = {
    JobName: job.jobName,
    JobId: job.jobId,
    UserPoolId: job.poolId,
    PreSignedUrl: uploadUrl(
      services.publicUrl(),
      services.serverSecret,
      job.poolId,
      job.jobId,
      job.createdAt,
    ),
    CreationDate: wireTime(job.createdAt),
    Status: job.status,
    CloudWatchLogsRoleArn: job.roleArn,
    ImportedUsers: job.imported,
    SkippedUsers: job.skipped,
    FailedUsers: job.failed,
  };
  if (job.startedAt !== undefined) out.StartDate = wireTime(job.startedAt);
  if (job.completedAt !== undefined) out.CompletionDate = wireTime(job.completedAt);
  if (job.completionMessage !== undefined) out.CompletionMessage = job.completionMessage;
  if (job.passwordHashingAlgorithm !== undefined)
    out.PasswordHashingAlgorithm =
      job.passwordHashingAlgorithm as UserImportJobType["PasswordHashingAlgorithm"];
  return out;
}

/** The job as it stands now: expired or interrupted jobs are settled first (see the file's top). */
async function settle(services: Services, job: ImportJobRecord, now: number): Promise<ImportJobRecord> {
  if (job.status === "Created" && now - job.createdAt > EXPIRY_MS) {
    const done = await services.storage.transaction(async (tx) => {
      const ok = await tx.importJobs.transitionImportJob(job.poolId, job.jobId, ["Created"], {
        status: "Expired",
        completedAt: now,
        completionMessage: MESSAGES.expired,
      });
      if (ok) await tx.importJobs.deleteImportChunks(job.jobId);
      return ok;
    });
    if (done) return { ...job, status: "Expired", completedAt: now, completionMessage: MESSAGES.expired };
  }
  const alive = job.heartbeatAt ?? job.startedAt ?? job.createdAt;
  if (ACTIVE.includes(job.status) && now - alive > STALE_MS) {
    const done = await services.storage.transaction(async (tx) => {
      const ok = await tx.importJobs.transitionImportJob(job.poolId, job.jobId, [job.status], {
        status: "Failed",
        completedAt: now,
        completionMessage: MESSAGES.interrupted,
      });
      if (ok) {
        await tx.importJobs.deleteImportChunks(job.jobId);
        await tx.importJobs.appendImportLog([
          { jobId: job.jobId, time: now, result: "FAILED", message: MESSAGES.interrupted },
        ]);
      }
      return ok;
    });
    if (done) return { ...job, status: "Failed", completedAt: now, completionMessage: MESSAGES.interrupted };
  }
  return job;
}

async function requireJob(ctx: RequestContext, poolId: string, jobId: string): Promise<ImportJobRecord> {
  const { storage } = ctx.services;
  const pool = await requirePool(storage, poolId);
  const job = await storage.importJobs.getImportJob(pool.id, jobId);
  if (!job) throw jobNotFound(jobId);
  return settle(ctx.services, job, ctx.services.clock.now());
}

export async function getCsvHeader(ctx: RequestContext, poolId: string) {
  const pool = await requirePool(ctx.services.storage, poolId);
  return { UserPoolId: pool.id, CSVHeader: csvHeader(pool) };
}

export async function createImportJob(ctx: RequestContext, input: CreateUserImportJobRequest) {
  const { storage } = ctx.services;
  const pool = await requirePool(storage, input.UserPoolId);
  const now = ctx.services.clock.now();
  for (;;) {
    const job: ImportJobRecord = {
      poolId: pool.id,
      jobId: newJobId(),
      jobName: input.JobName,
      roleArn: input.CloudWatchLogsRoleArn,
      status: "Created",
      createdAt: now,
      imported: 0,
      skipped: 0,
      failed: 0,
      upload: "none",
      uploadBytes: 0,
    };
    if (input.PasswordHashingAlgorithm !== undefined)
      job.passwordHashingAlgorithm = input.PasswordHashingAlgorithm;
    try {
      await storage.transaction((tx) => tx.importJobs.insertImportJob(job));
      return { UserImportJob: toUserImportJobType(ctx.services, job) };
    } catch (e) {
      if (!(e instanceof DuplicateKeyError)) throw e;
    }
  }
}

export async function describeImportJob(ctx: RequestContext, poolId: string, jobId: string) {
  return { UserImportJob: toUserImportJobType(ctx.services, await requireJob(ctx, poolId, jobId)) };
}

export async function listImportJobs(
  ctx: RequestContext,
  input: ListUserImportJobsRequest,
): Promise<ListUserImportJobsResponse> {
  const { storage } = ctx.services;
  const pool = await requirePool(storage, input.UserPoolId);
  const scope = `import-jobs:${pool.id}`;
  const page = await readPage(() =>
    storage.importJobs.listImportJobs(pool.id, input.MaxResults, fromToken(input.PaginationToken, scope)),
  );
  const now = ctx.services.clock.now();
  const jobs: UserImportJobType[] = [];
  for (const job of page.items)
    jobs.push(toUserImportJobType(ctx.services, await settle(ctx.services, job, now)));
  const out: ListUserImportJobsResponse = { UserImportJobs: jobs };
  if (page.next) out.PaginationToken = toToken(page.next, scope);
  return out;
}

export async function startImportJob(ctx: RequestContext, poolId: string, jobId: string) {
  const job = await requireJob(ctx, poolId, jobId);
  if (job.status !== "Created")
    throw new PreconditionNotMetException(
      `Import job ${jobId} is ${job.status}: only a Created job can be started.`,
    );
  if (job.upload !== "uploaded")
    throw new PreconditionNotMetException(
      `The CSV file of import job ${jobId} has not been uploaded to its pre-signed URL.`,
    );
  const now = ctx.services.clock.now();
  const started = await ctx.services.storage.transaction((tx) =>
    tx.importJobs.transitionImportJob(job.poolId, job.jobId, ["Created"], {
      status: "Pending",
      startedAt: now,
      heartbeatAt: now,
    }),
  );
  if (!started) throw new PreconditionNotMetException(`Import job ${jobId} has already been started.`);
  runImportJob(ctx.services, job.poolId, job.jobId);
  return {
    UserImportJob: toUserImportJobType(ctx.services, {
      ...job,
      status: "Pending",
      startedAt: now,
      heartbeatAt: now,
    }),
  };
}

export async function stopImportJob(ctx: RequestContext, poolId: string, jobId: string) {
  const job = await requireJob(ctx, poolId, jobId);
  if (job.status !== "Pending" && job.status !== "InProgress")
    throw new PreconditionNotMetException(
      `Import job ${jobId} is ${job.status}: only a Pending or InProgress job can be stopped.`,
    );
  const stopped = await ctx.services.storage.transaction((tx) =>
    tx.importJobs.transitionImportJob(job.poolId, job.jobId, ["Pending", "InProgress"], {
      status: "Stopping",
    }),
  );
  if (!stopped) throw new PreconditionNotMetException(`Import job ${jobId} is no longer running.`);
  return { UserImportJob: toUserImportJobType(ctx.services, { ...job, status: "Stopping" }) };
}

/** The job's log, for the log endpoint (http/import-upload.ts): its records, oldest first. */
export async function readImportLog(
  services: Services,
  poolId: string,
  jobId: string,
  limit: number,
  after?: string,
) {
  const job = await services.storage.importJobs.getImportJob(poolId, jobId);
  if (!job) return undefined;
  return services.storage.importJobs.listImportLog(job.jobId, limit, after);
}
