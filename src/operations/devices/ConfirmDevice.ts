import { confirmDevice } from "../../domain/devices/devices.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("ConfirmDevice", { caller: "token" }, (input, ctx, caller) =>
  confirmDevice(ctx, caller, input),
);
