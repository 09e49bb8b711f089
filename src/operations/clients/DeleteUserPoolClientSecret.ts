import { deleteClientSecret } from "../../domain/clients/secrets.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "DeleteUserPoolClientSecret",
  { caller: "admin" },
  async (input, ctx) => {
    await deleteClientSecret(ctx, input.UserPoolId, input.ClientId, input.ClientSecretId);
    return {};
  },
);
