import { listUsersInGroup } from "../../domain/groups/groups.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("ListUsersInGroup", { caller: "admin" }, (input, ctx) =>
  listUsersInGroup(ctx, input),
);
