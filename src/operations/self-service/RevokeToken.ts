import { revokeRefreshToken } from "../../domain/tokens/revocation.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("RevokeToken", { caller: "none" }, async (input, ctx) => {
  await revokeRefreshToken(ctx, input);
  return {};
});
