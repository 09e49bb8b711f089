import { setRiskConfiguration } from "../../domain/threats/config.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("SetRiskConfiguration", { caller: "admin" }, async (input, ctx) => ({
  RiskConfiguration: await setRiskConfiguration(ctx, input),
}));
