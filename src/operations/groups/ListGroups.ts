import { listGroups } from "../../domain/groups/groups.ts";
import type { ListGroupsRequest, ListGroupsResponse } from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation<ListGroupsRequest, ListGroupsResponse>("ListGroups", (input, ctx) =>
  listGroups(ctx, input),
);
