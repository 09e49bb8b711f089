import { listClientSecrets } from "../../domain/clients/secrets.ts";
import { defineOperation } from "../define.ts";

/** A client holds at most two secrets, so the answer is always one page (no NextToken), as in Cognito. */
export const operation = defineOperation(
  "ListUserPoolClientSecrets",
  { caller: "admin" },
  async (input, ctx) => ({ ClientSecrets: await listClientSecrets(ctx, input.UserPoolId, input.ClientId) }),
);
