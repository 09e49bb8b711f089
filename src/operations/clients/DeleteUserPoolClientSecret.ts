import { deleteClientSecret } from "../../domain/clients/secrets.ts";
import type {
  DeleteUserPoolClientSecretRequest,
  DeleteUserPoolClientSecretResponse,
} from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation<
  DeleteUserPoolClientSecretRequest,
  DeleteUserPoolClientSecretResponse
>("DeleteUserPoolClientSecret", async (input, ctx) => {
  await deleteClientSecret(ctx, input.UserPoolId, input.ClientId, input.ClientSecretId);
  return {};
});
