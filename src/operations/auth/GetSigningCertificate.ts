import { selfSignedCertificate } from "../../crypto/x509.ts";
import { defineOperation } from "../define.ts";
import { requirePool } from "../../domain/lookups.ts";

export const operation = defineOperation("GetSigningCertificate", { caller: "admin" }, async (input, ctx) => {
  const pool = await requirePool(ctx.services.storage, input.UserPoolId);
  const key = await ctx.services.keys.signingKey(pool.id, "id", ctx.now);
  return {
    Certificate: selfSignedCertificate(key.privateKey, key.publicKey, pool.id, new Date(pool.createdAt)),
  };
});
