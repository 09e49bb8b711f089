import { safeEqual } from "../../crypto/secret-hash.ts";
import { publicCall } from "../../domain/auth/calls.ts";
import { refreshTokens } from "../../domain/auth/flows/refresh.ts";
import { NotAuthorizedException } from "../../generated/exceptions.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "GetTokensFromRefreshToken",
  { caller: "client" },
  async (input, ctx, caller) => {
    const call = publicCall(caller);
    const secrets = await ctx.services.storage.pools.listClientSecrets(call.pool.id, call.client.clientId);
    if (secrets.length > 0) {
      const given = input.ClientSecret ?? "";
      if (!secrets.some((s) => safeEqual(s.secret, given)))
        throw new NotAuthorizedException(`Unable to verify secret for client ${call.client.clientId}`);
    }
    const result = await refreshTokens(ctx, call, input.RefreshToken);
    return { AuthenticationResult: result };
  },
);
