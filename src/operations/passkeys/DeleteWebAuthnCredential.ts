import { deleteCredential } from "../../domain/passkeys/credentials.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "DeleteWebAuthnCredential",
  { caller: "token" },
  async (input, ctx, caller) => {
    await deleteCredential(ctx, caller, input.CredentialId);
    return {};
  },
);
