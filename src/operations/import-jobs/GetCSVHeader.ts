import { getCsvHeader } from "../../domain/import-jobs/jobs.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("GetCSVHeader", { caller: "admin" }, (input, ctx) =>
  getCsvHeader(ctx, input.UserPoolId),
);
