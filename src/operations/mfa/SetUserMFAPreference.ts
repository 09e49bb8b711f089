import { setMfaPreference } from "../../domain/mfa/user-mfa.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "SetUserMFAPreference",
  { caller: "token" },
  async (input, ctx, caller) => {
    await setMfaPreference(ctx, caller.pool, caller.user.sub, input);
    return {};
  },
);
