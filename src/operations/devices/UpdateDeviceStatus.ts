import { updateDeviceStatus } from "../../domain/devices/devices.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "UpdateDeviceStatus",
  { caller: "token" },
  async (input, ctx, caller) => {
    await updateDeviceStatus(ctx, caller.pool, caller.user, input.DeviceKey, input.DeviceRememberedStatus);
    return {};
  },
);
