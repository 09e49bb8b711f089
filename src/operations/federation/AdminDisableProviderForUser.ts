import { adminDisableProviderForUser } from "../../domain/federation/linking.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "AdminDisableProviderForUser",
  { caller: "admin" },
  async (input, ctx) => {
    await adminDisableProviderForUser(ctx, input.UserPoolId, input.User);
    return {};
  },
);
