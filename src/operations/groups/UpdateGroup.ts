import { toGroupType, updateGroup } from "../../domain/groups/groups.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("UpdateGroup", { caller: "admin" }, async (input, ctx) => ({
  Group: toGroupType(await updateGroup(ctx, input)),
}));
