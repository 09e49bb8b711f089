import { listCredentials } from "../../domain/passkeys/credentials.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "ListWebAuthnCredentials",
  { caller: "token" },
  async (input, ctx, caller) => listCredentials(ctx, caller, input.MaxResults, input.NextToken),
);
