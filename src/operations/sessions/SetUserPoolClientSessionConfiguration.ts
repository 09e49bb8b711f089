import { setClientSessionConfiguration } from "../../domain/sessions/config.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "SetUserPoolClientSessionConfiguration",
  { caller: "admin" },
  async (input, ctx) => setClientSessionConfiguration(ctx, input),
);
