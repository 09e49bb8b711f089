import { respondToAuthChallenge } from "../../domain/auth/engine.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "AdminRespondToAuthChallenge",
  { caller: "adminClient" },
  async (input, ctx, caller) =>
    respondToAuthChallenge(
      ctx,
      { ...caller, clientMetadata: input.ClientMetadata },
      input.ChallengeName,
      input.ChallengeResponses,
      input.Session,
    ),
);
