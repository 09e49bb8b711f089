import { refreshTokens } from "../../domain/auth/flows/refresh.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "GetTokensFromRefreshToken",
  { caller: "client" },
  async (input, ctx, caller) => ({
    AuthenticationResult: await refreshTokens(
      ctx,
      caller,
      input.RefreshToken,
      input.ClientSecret,
      input.DeviceKey,
    ),
  }),
);
