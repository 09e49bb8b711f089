import { tagResource } from "../../domain/pools/tags.ts";
import type { TagResourceRequest } from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation<TagResourceRequest, Record<string, never>>(
  "TagResource",
  async (input, ctx) => {
    await tagResource(ctx, input.ResourceArn, input.Tags);
    return {};
  },
);
