import { untagResource } from "../../domain/pools/tags.ts";
import type { UntagResourceRequest } from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation<UntagResourceRequest, Record<string, never>>(
  "UntagResource",
  async (input, ctx) => {
    await untagResource(ctx, input.ResourceArn, input.TagKeys);
    return {};
  },
);
