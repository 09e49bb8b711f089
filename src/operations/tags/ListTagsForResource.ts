import { listTags } from "../../domain/pools/tags.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("ListTagsForResource", { caller: "admin" }, async (input, ctx) => ({
  Tags: await listTags(ctx, input.ResourceArn),
}));
