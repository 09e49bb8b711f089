import { listDevices } from "../../domain/devices/devices.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("ListDevices", { caller: "token" }, (input, ctx, caller) =>
  listDevices(ctx, caller.pool, caller.user, input, "user"),
);
