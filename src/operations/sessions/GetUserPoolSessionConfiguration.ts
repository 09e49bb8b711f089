import { getPoolSessionConfiguration } from "../../domain/sessions/config.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "GetUserPoolSessionConfiguration",
  { caller: "admin" },
  async (input, ctx) => getPoolSessionConfiguration(ctx, input.UserPoolId!),
);
