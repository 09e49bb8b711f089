import { deleteClient } from "../../domain/clients/clients.ts";
import type { DeleteUserPoolClientRequest } from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation<DeleteUserPoolClientRequest, Record<string, never>>(
  "DeleteUserPoolClient",
  async (input, ctx) => {
    await deleteClient(ctx, input.UserPoolId, input.ClientId);
    return {};
  },
);
