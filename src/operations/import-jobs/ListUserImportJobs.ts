import { listImportJobs } from "../../domain/import-jobs/jobs.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("ListUserImportJobs", { caller: "admin" }, (input, ctx) =>
  listImportJobs(ctx, input),
);
