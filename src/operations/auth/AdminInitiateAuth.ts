import { adminCall } from "../../domain/auth/calls.ts";
import { initiateAuth } from "../../domain/auth/engine.ts";
import type { AdminInitiateAuthRequest, AdminInitiateAuthResponse } from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation<AdminInitiateAuthRequest, AdminInitiateAuthResponse>(
  "AdminInitiateAuth",
  async (input, ctx) =>
    initiateAuth(
      ctx,
      await adminCall(ctx, input.UserPoolId, input.ClientId),
      input.AuthFlow,
      input.AuthParameters,
    ),
);
