import { addClientSecret } from "../../domain/clients/secrets.ts";
import type {
  AddUserPoolClientSecretRequest,
  AddUserPoolClientSecretResponse,
} from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation<AddUserPoolClientSecretRequest, AddUserPoolClientSecretResponse>(
  "AddUserPoolClientSecret",
  async (input, ctx) => ({
    ClientSecretDescriptor: await addClientSecret(ctx, input.UserPoolId, input.ClientId, input.ClientSecret),
  }),
);
