import { listClients } from "../../domain/clients/clients.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("ListUserPoolClients", { caller: "admin" }, (input, ctx) =>
  listClients(ctx, input),
);
