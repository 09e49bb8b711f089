import { adminDisableProviderForUser } from "../../domain/federation/linking.ts";
import type {
  AdminDisableProviderForUserRequest,
  AdminDisableProviderForUserResponse,
} from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation<
  AdminDisableProviderForUserRequest,
  AdminDisableProviderForUserResponse
>("AdminDisableProviderForUser", async (input, ctx) => {
  await adminDisableProviderForUser(ctx, input.UserPoolId, input.User);
  return {};
});
