import { listGroups } from "../../domain/groups/groups.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("ListGroups", { caller: "admin" }, (input, ctx) =>
  listGroups(ctx, input),
);
