import { untagResource } from "../../domain/pools/tags.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("UntagResource", { caller: "admin" }, async (input, ctx) => {
  await untagResource(ctx, input.ResourceArn, input.TagKeys);
  return {};
});
