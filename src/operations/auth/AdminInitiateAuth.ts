import { adminCall } from "../../domain/auth/calls.ts";
import { initiateAuth } from "../../domain/auth/engine.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("AdminInitiateAuth", { caller: "admin" }, async (input, ctx) =>
  initiateAuth(
    ctx,
    await adminCall(ctx, input.UserPoolId, input.ClientId),
    input.AuthFlow,
    input.AuthParameters,
  ),
);
