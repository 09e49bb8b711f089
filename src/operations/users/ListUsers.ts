import { listUsers } from "../../domain/users/admin.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("ListUsers", { caller: "admin" }, (input, ctx) =>
  listUsers(ctx, input),
);
