import { deleteResourceServer } from "../../domain/hosting/resource-servers.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("DeleteResourceServer", { caller: "admin" }, async (input, ctx) => {
  await deleteResourceServer(ctx, input.UserPoolId, input.Identifier);
  return {};
});
