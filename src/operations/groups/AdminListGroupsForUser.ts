import { listGroupsForUser } from "../../domain/groups/groups.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("AdminListGroupsForUser", { caller: "admin" }, (input, ctx) =>
  listGroupsForUser(ctx, input),
);
