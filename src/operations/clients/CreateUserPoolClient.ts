import { createClient } from "../../domain/clients/clients.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("CreateUserPoolClient", { caller: "admin" }, async (input, ctx) => ({
  UserPoolClient: await createClient(ctx, input),
}));
