import { listTags } from "../../domain/pools/tags.ts";
import type { ListTagsForResourceRequest, ListTagsForResourceResponse } from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation<ListTagsForResourceRequest, ListTagsForResourceResponse>(
  "ListTagsForResource",
  async (input, ctx) => ({ Tags: await listTags(ctx, input.ResourceArn) }),
);
