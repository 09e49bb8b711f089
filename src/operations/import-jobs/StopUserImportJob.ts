import { stopImportJob } from "../../domain/import-jobs/jobs.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("StopUserImportJob", { caller: "admin" }, (input, ctx) =>
  stopImportJob(ctx, input.UserPoolId, input.JobId),
);
