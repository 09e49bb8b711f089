import { requirePool, requireUser } from "../../domain/lookups.ts";
import { deleteSoftwareToken } from "../../domain/mfa/user-mfa.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "AdminDeleteSoftwareToken",
  { caller: "admin" },
  async (input, ctx) => {
    const pool = await requirePool(ctx.services.storage, input.UserPoolId);
    const user = await requireUser(ctx.services.storage, pool, input.Username);
    await deleteSoftwareToken(ctx, pool, user.sub);
    return {};
  },
);
