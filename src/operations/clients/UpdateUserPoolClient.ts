import { updateClient } from "../../domain/clients/clients.ts";
import type { UpdateUserPoolClientRequest, UpdateUserPoolClientResponse } from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation<UpdateUserPoolClientRequest, UpdateUserPoolClientResponse>(
  "UpdateUserPoolClient",
  async (input, ctx) => ({ UserPoolClient: await updateClient(ctx, input) }),
);
