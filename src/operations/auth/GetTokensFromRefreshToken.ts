import { safeEqual } from "../../crypto/secret-hash.ts";
import { publicCall } from "../../domain/auth/calls.ts";
import { refreshTokens } from "../../domain/auth/flows/refresh.ts";
import { NotAuthorizedException } from "../../generated/exceptions.ts";
import type {
  GetTokensFromRefreshTokenRequest,
  GetTokensFromRefreshTokenResponse,
} from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation<GetTokensFromRefreshTokenRequest, GetTokensFromRefreshTokenResponse>(
  "GetTokensFromRefreshToken",
  async (input, ctx) => {
    const call = await publicCall(ctx, input.ClientId);
    const secrets = await ctx.services.storage.pools.listClientSecrets(call.pool.id, call.client.clientId);
    if (secrets.length > 0) {
      const given = input.ClientSecret ?? "";
      if (!secrets.some((s) => safeEqual(s.secret, given)))
        throw new NotAuthorizedException(`Unable to verify secret for client ${call.client.clientId}`);
    }
    const result = await refreshTokens(ctx, call, { token: input.RefreshToken, secretChecked: true });
    return { AuthenticationResult: result };
  },
);
