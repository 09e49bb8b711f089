import { adminLinkProviderForUser } from "../../domain/federation/linking.ts";
import type {
  AdminLinkProviderForUserRequest,
  AdminLinkProviderForUserResponse,
} from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation<AdminLinkProviderForUserRequest, AdminLinkProviderForUserResponse>(
  "AdminLinkProviderForUser",
  async (input, ctx) => {
    await adminLinkProviderForUser(ctx, input.UserPoolId, input.DestinationUser, input.SourceUser);
    return {};
  },
);
