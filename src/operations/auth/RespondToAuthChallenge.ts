import { respondToAuthChallenge } from "../../domain/auth/engine.ts";
import { defineOperation } from "../define.ts";
import { userContextOf } from "../../domain/threats/context.ts";

export const operation = defineOperation(
  "RespondToAuthChallenge",
  { caller: "client" },
  async (input, ctx, caller) =>
    respondToAuthChallenge(
      ctx,
      { ...caller, clientMetadata: input.ClientMetadata, userContext: userContextOf(input, caller.client) },
      input.ChallengeName,
      input.ChallengeResponses,
      input.Session,
    ),
);
