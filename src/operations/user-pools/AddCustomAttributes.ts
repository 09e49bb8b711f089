import { addCustomAttributes } from "../../domain/pools/pools.ts";
import type { AddCustomAttributesRequest, AddCustomAttributesResponse } from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation<AddCustomAttributesRequest, AddCustomAttributesResponse>(
  "AddCustomAttributes",
  async (input, ctx) => {
    await addCustomAttributes(ctx, input.UserPoolId, input.CustomAttributes);
    return {};
  },
);
