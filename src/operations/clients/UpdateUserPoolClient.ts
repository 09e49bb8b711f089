import { updateClient } from "../../domain/clients/clients.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("UpdateUserPoolClient", { caller: "admin" }, async (input, ctx) => ({
  UserPoolClient: await updateClient(ctx, input),
}));
