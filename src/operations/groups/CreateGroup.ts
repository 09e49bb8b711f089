import { createGroup, toGroupType } from "../../domain/groups/groups.ts";
import type { CreateGroupRequest, CreateGroupResponse } from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation<CreateGroupRequest, CreateGroupResponse>(
  "CreateGroup",
  async (input, ctx) => ({ Group: toGroupType(await createGroup(ctx, input)) }),
);
