import { startImportJob } from "../../domain/import-jobs/jobs.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("StartUserImportJob", { caller: "admin" }, (input, ctx) =>
  startImportJob(ctx, input.UserPoolId, input.JobId),
);
