import { adminUpdateUserAttributes } from "../../domain/users/admin.ts";
import type {
  AdminUpdateUserAttributesRequest,
  AdminUpdateUserAttributesResponse,
} from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation<AdminUpdateUserAttributesRequest, AdminUpdateUserAttributesResponse>(
  "AdminUpdateUserAttributes",
  async (input, ctx) => {
    await adminUpdateUserAttributes(ctx, input.UserPoolId, input.Username, input.UserAttributes);
    return {};
  },
);
