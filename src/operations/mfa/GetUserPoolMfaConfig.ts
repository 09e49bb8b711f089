import { getPoolMfaConfig } from "../../domain/mfa/pool-config.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("GetUserPoolMfaConfig", { caller: "admin" }, (input, ctx) =>
  getPoolMfaConfig(ctx, input.UserPoolId),
);
