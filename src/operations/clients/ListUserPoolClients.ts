import { listClients } from "../../domain/clients/clients.ts";
import type { ListUserPoolClientsRequest, ListUserPoolClientsResponse } from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation<ListUserPoolClientsRequest, ListUserPoolClientsResponse>(
  "ListUserPoolClients",
  (input, ctx) => listClients(ctx, input),
);
