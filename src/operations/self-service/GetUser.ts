import { getUser } from "../../domain/users/account.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("GetUser", { caller: "token" }, async (_input, ctx, caller) =>
  getUser(ctx, caller),
);
