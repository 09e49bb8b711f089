import { getClientSessionConfiguration } from "../../domain/sessions/config.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "GetUserPoolClientSessionConfiguration",
  { caller: "admin" },
  async (input, ctx) => getClientSessionConfiguration(ctx, input.UserPoolId!, input.ClientId!),
);
