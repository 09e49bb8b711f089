import { initiateAuth } from "../../domain/auth/engine.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("InitiateAuth", { caller: "client" }, async (input, ctx, caller) =>
  initiateAuth(
    ctx,
    { ...caller, validationData: input.ClientMetadata },
    input.AuthFlow,
    input.AuthParameters,
    input.Session,
  ),
);
