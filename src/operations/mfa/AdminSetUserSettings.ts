import { requirePool, requireUser } from "../../domain/lookups.ts";
import { setMfaOptions } from "../../domain/mfa/user-mfa.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("AdminSetUserSettings", { caller: "admin" }, async (input, ctx) => {
  const pool = await requirePool(ctx.services.storage, input.UserPoolId);
  const user = await requireUser(ctx.services.storage, pool, input.Username);
  await setMfaOptions(ctx, pool, user.sub, input.MFAOptions);
  return {};
});
