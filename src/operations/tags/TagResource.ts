import { tagResource } from "../../domain/pools/tags.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("TagResource", { caller: "admin" }, async (input, ctx) => {
  await tagResource(ctx, input.ResourceArn, input.Tags);
  return {};
});
