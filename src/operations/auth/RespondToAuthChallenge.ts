import { publicCall } from "../../domain/auth/calls.ts";
import { respondToAuthChallenge } from "../../domain/auth/engine.ts";
import type { RespondToAuthChallengeRequest, RespondToAuthChallengeResponse } from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation<RespondToAuthChallengeRequest, RespondToAuthChallengeResponse>(
  "RespondToAuthChallenge",
  async (input, ctx) =>
    respondToAuthChallenge(
      ctx,
      await publicCall(ctx, input.ClientId),
      input.ChallengeName,
      input.ChallengeResponses,
      input.Session,
    ),
);
