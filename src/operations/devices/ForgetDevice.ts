import { forgetDevice } from "../../domain/devices/devices.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("ForgetDevice", { caller: "token" }, async (input, ctx, caller) => {
  await forgetDevice(ctx, caller.pool, caller.user, input.DeviceKey);
  return {};
});
