import { adminTarget, forgetDevice } from "../../domain/devices/devices.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("AdminForgetDevice", { caller: "admin" }, async (input, ctx) => {
  const { pool, user } = await adminTarget(ctx, input.UserPoolId, input.Username);
  await forgetDevice(ctx, pool, user, input.DeviceKey);
  return {};
});
