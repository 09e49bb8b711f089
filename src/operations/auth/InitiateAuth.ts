import { initiateAuth } from "../../domain/auth/engine.ts";
import { defineOperation } from "../define.ts";
import { userContextOf } from "../../domain/threats/context.ts";

export const operation = defineOperation("InitiateAuth", { caller: "client" }, async (input, ctx, caller) =>
  initiateAuth(
    ctx,
    { ...caller, validationData: input.ClientMetadata, userContext: userContextOf(input, caller.client) },
    input.AuthFlow,
    input.AuthParameters,
    input.Session,
  ),
);
