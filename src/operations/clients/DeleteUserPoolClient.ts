import { deleteClient } from "../../domain/clients/clients.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("DeleteUserPoolClient", { caller: "admin" }, async (input, ctx) => {
  await deleteClient(ctx, input.UserPoolId, input.ClientId);
  return {};
});
