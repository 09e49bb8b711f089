import { listResourceServers } from "../../domain/hosting/resource-servers.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("ListResourceServers", { caller: "admin" }, async (input, ctx) =>
  listResourceServers(ctx, input),
);
