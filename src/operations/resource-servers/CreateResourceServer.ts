import { createResourceServer } from "../../domain/hosting/resource-servers.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("CreateResourceServer", { caller: "admin" }, async (input, ctx) => ({
  ResourceServer: await createResourceServer(ctx, input),
}));
