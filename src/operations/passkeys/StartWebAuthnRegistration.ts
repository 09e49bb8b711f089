import { startRegistration } from "../../domain/passkeys/registration.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "StartWebAuthnRegistration",
  { caller: "token" },
  async (_input, ctx, caller) => startRegistration(ctx, caller),
);
