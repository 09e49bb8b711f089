import { updateResourceServer } from "../../domain/hosting/resource-servers.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("UpdateResourceServer", { caller: "admin" }, async (input, ctx) => ({
  ResourceServer: await updateResourceServer(ctx, input),
}));
