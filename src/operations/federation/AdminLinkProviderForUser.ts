import { adminLinkProviderForUser } from "../../domain/federation/linking.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "AdminLinkProviderForUser",
  { caller: "admin" },
  async (input, ctx) => {
    await adminLinkProviderForUser(ctx, input.UserPoolId, input.DestinationUser, input.SourceUser);
    return {};
  },
);
