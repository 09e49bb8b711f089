import { adminDeleteUserAttributes } from "../../domain/users/admin.ts";
import type {
  AdminDeleteUserAttributesRequest,
  AdminDeleteUserAttributesResponse,
} from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation<AdminDeleteUserAttributesRequest, AdminDeleteUserAttributesResponse>(
  "AdminDeleteUserAttributes",
  async (input, ctx) => {
    await adminDeleteUserAttributes(ctx, input.UserPoolId, input.Username, input.UserAttributeNames);
    return {};
  },
);
