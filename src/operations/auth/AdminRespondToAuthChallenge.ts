import { adminCall } from "../../domain/auth/calls.ts";
import { respondToAuthChallenge } from "../../domain/auth/engine.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "AdminRespondToAuthChallenge",
  { caller: "admin" },
  async (input, ctx) =>
    respondToAuthChallenge(
      ctx,
      await adminCall(ctx, input.UserPoolId, input.ClientId),
      input.ChallengeName,
      input.ChallengeResponses,
      input.Session,
    ),
);
