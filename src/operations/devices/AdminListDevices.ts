import { adminTarget, listDevices } from "../../domain/devices/devices.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("AdminListDevices", { caller: "admin" }, async (input, ctx) => {
  const { pool, user } = await adminTarget(ctx, input.UserPoolId, input.Username);
  return listDevices(ctx, pool, user, input, "admin");
});
