import { createImportJob } from "../../domain/import-jobs/jobs.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("CreateUserImportJob", { caller: "admin" }, (input, ctx) =>
  createImportJob(ctx, input),
);
