import { globalSignOut } from "../../domain/users/account.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "GlobalSignOut",
  { caller: "token" },
  async (_input, ctx, caller) => {
    await globalSignOut(ctx, caller);
    return {};
  },
);
