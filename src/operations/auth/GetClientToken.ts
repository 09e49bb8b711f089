import { getClientToken } from "../../domain/oauth/client-token.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "GetClientToken",
  { caller: "client" },
  async (input, ctx, caller) => ({
    ClientAuthenticationResult: await getClientToken(
      ctx,
      caller,
      input.Secret,
      input.Scopes,
      input.ClientMetadata,
    ),
  }),
);
