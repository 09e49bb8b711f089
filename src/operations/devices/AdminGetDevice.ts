import { adminTarget, getDevice } from "../../domain/devices/devices.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("AdminGetDevice", { caller: "admin" }, async (input, ctx) => {
  const { pool, user } = await adminTarget(ctx, input.UserPoolId, input.Username);
  return { Device: await getDevice(ctx, pool, user, input.DeviceKey, "admin") };
});
