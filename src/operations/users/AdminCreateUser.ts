import { adminCreateUser } from "../../domain/users/admin.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("AdminCreateUser", { caller: "admin" }, async (input, ctx) => ({
  User: await adminCreateUser(ctx, input),
}));
