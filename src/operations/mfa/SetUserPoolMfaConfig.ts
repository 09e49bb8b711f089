import { setPoolMfaConfig } from "../../domain/mfa/pool-config.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("SetUserPoolMfaConfig", { caller: "admin" }, (input, ctx) =>
  setPoolMfaConfig(ctx, input),
);
