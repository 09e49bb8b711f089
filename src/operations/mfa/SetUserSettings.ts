import { setMfaOptions } from "../../domain/mfa/user-mfa.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "SetUserSettings",
  { caller: "token" },
  async (input, ctx, caller) => {
    await setMfaOptions(ctx, caller.pool, caller.user.sub, input.MFAOptions);
    return {};
  },
);
