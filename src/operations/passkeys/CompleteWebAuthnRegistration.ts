import { completeRegistration } from "../../domain/passkeys/registration.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "CompleteWebAuthnRegistration",
  { caller: "token" },
  async (input, ctx, caller) => {
    await completeRegistration(ctx, caller, input.Credential);
    return {};
  },
);
