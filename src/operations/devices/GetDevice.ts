import { getDevice } from "../../domain/devices/devices.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("GetDevice", { caller: "token" }, async (input, ctx, caller) => ({
  Device: await getDevice(ctx, caller.pool, caller.user, input.DeviceKey, "user"),
}));
