import { createClient } from "../../domain/clients/clients.ts";
import type { CreateUserPoolClientRequest, CreateUserPoolClientResponse } from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation<CreateUserPoolClientRequest, CreateUserPoolClientResponse>(
  "CreateUserPoolClient",
  async (input, ctx) => ({ UserPoolClient: await createClient(ctx, input) }),
);
