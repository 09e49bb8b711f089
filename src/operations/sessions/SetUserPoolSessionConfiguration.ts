import { setPoolSessionConfiguration } from "../../domain/sessions/config.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "SetUserPoolSessionConfiguration",
  { caller: "admin" },
  async (input, ctx) => setPoolSessionConfiguration(ctx, input),
);
