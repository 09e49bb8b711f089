import { addClientSecret } from "../../domain/clients/secrets.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "AddUserPoolClientSecret",
  { caller: "admin" },
  async (input, ctx) => ({
    ClientSecretDescriptor: await addClientSecret(ctx, input.UserPoolId, input.ClientId, input.ClientSecret),
  }),
);
