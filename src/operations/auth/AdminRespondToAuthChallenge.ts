import { respondToAuthChallenge } from "../../domain/auth/engine.ts";
import { defineOperation } from "../define.ts";
import { userContextOf } from "../../domain/threats/context.ts";

export const operation = defineOperation(
  "AdminRespondToAuthChallenge",
  { caller: "adminClient" },
  async (input, ctx, caller) =>
    respondToAuthChallenge(
      ctx,
      { ...caller, clientMetadata: input.ClientMetadata, userContext: userContextOf(input, caller.client) },
      input.ChallengeName,
      input.ChallengeResponses,
      input.Session,
    ),
);
