import { describeImportJob } from "../../domain/import-jobs/jobs.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("DescribeUserImportJob", { caller: "admin" }, (input, ctx) =>
  describeImportJob(ctx, input.UserPoolId, input.JobId),
);
