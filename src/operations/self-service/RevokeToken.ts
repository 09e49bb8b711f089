import { revokeRefreshToken } from "../../domain/tokens/revocation.ts";
import type { RevokeTokenRequest, RevokeTokenResponse } from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation<RevokeTokenRequest, RevokeTokenResponse>(
  "RevokeToken",
  async (input, ctx) => {
    await revokeRefreshToken(ctx, input);
    return {};
  },
);
