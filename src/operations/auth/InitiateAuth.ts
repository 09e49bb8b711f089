import { publicCall } from "../../domain/auth/calls.ts";
import { initiateAuth } from "../../domain/auth/engine.ts";
import type { InitiateAuthRequest, InitiateAuthResponse } from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation<InitiateAuthRequest, InitiateAuthResponse>(
  "InitiateAuth",
  async (input, ctx) =>
    initiateAuth(ctx, await publicCall(ctx, input.ClientId), input.AuthFlow, input.AuthParameters),
);
