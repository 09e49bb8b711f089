import { requirePool, requireUser } from "../../domain/lookups.ts";
import { setMfaPreference } from "../../domain/mfa/user-mfa.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "AdminSetUserMFAPreference",
  { caller: "admin" },
  async (input, ctx) => {
    const pool = await requirePool(ctx.services.storage, input.UserPoolId);
    const user = await requireUser(ctx.services.storage, pool, input.Username);
    await setMfaPreference(ctx, pool, user.sub, input);
    return {};
  },
);
