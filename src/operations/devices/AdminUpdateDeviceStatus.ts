import { adminTarget, updateDeviceStatus } from "../../domain/devices/devices.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "AdminUpdateDeviceStatus",
  { caller: "admin" },
  async (input, ctx) => {
    const { pool, user } = await adminTarget(ctx, input.UserPoolId, input.Username);
    await updateDeviceStatus(ctx, pool, user, input.DeviceKey, input.DeviceRememberedStatus);
    return {};
  },
);
