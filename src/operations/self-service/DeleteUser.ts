import { deleteSelf } from "../../domain/users/account.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("DeleteUser", { caller: "token" }, async (_input, ctx, caller) => {
  await deleteSelf(ctx, caller);
  return {};
});
