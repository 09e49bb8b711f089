import { createGroup, toGroupType } from "../../domain/groups/groups.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("CreateGroup", { caller: "admin" }, async (input, ctx) => ({
  Group: toGroupType(await createGroup(ctx, input)),
}));
