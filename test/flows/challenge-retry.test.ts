/**
 * A challenge answer refused for bad input leaves the session usable, as Cognito does: a user whose
 * first new password breaks the policy tries again on the same session (Amplify's UI and
 * amazon-cognito-identity-js resubmit with it). A session still succeeds only once.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  type CognitoIdentityProviderClient,
  RespondToAuthChallengeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { AuthenticationDetails, CognitoUser, CognitoUserPool } from "amazon-cognito-identity-js";
import { rejectsWith } from "../support/assert.ts";
import { poolWithClient } from "../support/pools.ts";
import { startServer, type TestServer } from "../support/server.ts";

describe("challenge answers refused for bad input keep the session", () => {
  let server: TestServer;
  let client: CognitoIdentityProviderClient;
  let poolId: string;
  let clientId: string;
  const temporary = "Temp0rary!pw";

  before(async () => {
    server = await startServer();
    client = server.client();
    ({ poolId, clientId } = await poolWithClient(client, {
      pool: {
        PoolName: "retry",
        Schema: [{ Name: "given_name", AttributeDataType: "String", Required: true, Mutable: true }],
      },
      app: {
        ExplicitAuthFlows: [
          "ALLOW_USER_PASSWORD_AUTH",
          "ALLOW_ADMIN_USER_PASSWORD_AUTH",
          "ALLOW_USER_SRP_AUTH",
          "ALLOW_REFRESH_TOKEN_AUTH",
        ],
      },
    }));
  });
  after(() => server.stop());

  async function invited(username: string) {
    await client.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: username,
        TemporaryPassword: temporary,
        MessageAction: "SUPPRESS",
      }),
    );
    const first = await client.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: username, PASSWORD: temporary },
      }),
    );
    assert.equal(first.ChallengeName, "NEW_PASSWORD_REQUIRED");
    return first.Session!;
  }

  const answer = (Session: string, responses: Record<string, string>) =>
    client.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: "NEW_PASSWORD_REQUIRED",
        Session,
        ChallengeResponses: responses,
      }),
    );

  test("a weak password, missing or bad attributes, then a good answer on the same session", async () => {
    const session = await invited("retrier");
    await rejectsWith(
      answer(session, { USERNAME: "retrier", NEW_PASSWORD: "weak", "userAttributes.given_name": "Rita" }),
      "InvalidPasswordException",
      400,
      /^Password does not conform to policy: Password not long enough$/,
    );
    await rejectsWith(
      answer(session, { USERNAME: "retrier", NEW_PASSWORD: "Str0ng-enough!" }),
      "InvalidParameterException",
      400,
      /Missing required attributes/,
    );
    await rejectsWith(
      answer(session, {
        USERNAME: "retrier",
        NEW_PASSWORD: "Str0ng-enough!",
        "userAttributes.given_name": "Rita",
        "userAttributes.nosuch": "x",
      }),
      "InvalidParameterException",
      400,
      /did not conform to the schema/,
    );
    const done = await answer(session, {
      USERNAME: "retrier",
      NEW_PASSWORD: "Str0ng-enough!",
      "userAttributes.given_name": "Rita",
    });
    assert.ok(done.AuthenticationResult?.AccessToken);
    const user = await client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "retrier" }));
    assert.equal(user.UserStatus, "CONFIRMED");
    // Used once to succeed, the session is gone.
    await rejectsWith(
      answer(session, {
        USERNAME: "retrier",
        NEW_PASSWORD: "An0ther-strong!",
        "userAttributes.given_name": "Rita",
      }),
      "NotAuthorizedException",
      400,
      /^Invalid session for the user, session is expired\.$/,
    );
  });

  test("concurrent good answers on one session: exactly one succeeds", async () => {
    const session = await invited("racer");
    const results = await Promise.allSettled(
      [1, 2, 3].map((i) =>
        client.send(
          new AdminRespondToAuthChallengeCommand({
            UserPoolId: poolId,
            ClientId: clientId,
            ChallengeName: "NEW_PASSWORD_REQUIRED",
            Session: session,
            ChallengeResponses: {
              USERNAME: "racer",
              NEW_PASSWORD: `Rac3r-pass-${i}!`,
              "userAttributes.given_name": "Rae",
            },
          }),
        ),
      ),
    );
    assert.equal(results.filter((r) => r.status === "fulfilled").length, 1);
  });

  test("amazon-cognito-identity-js: completeNewPasswordChallenge again after a weak password", async () => {
    await client.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: "jsuser",
        TemporaryPassword: temporary,
        MessageAction: "SUPPRESS",
        UserAttributes: [{ Name: "given_name", Value: "Jo" }],
      }),
    );
    const pool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: `${server.url}/` });
    const user = new CognitoUser({ Username: "jsuser", Pool: pool });
    await new Promise<void>((resolve, reject) =>
      user.authenticateUser(new AuthenticationDetails({ Username: "jsuser", Password: temporary }), {
        onSuccess: () => reject(new Error("expected NEW_PASSWORD_REQUIRED")),
        onFailure: reject,
        newPasswordRequired: () => resolve(),
      }),
    );
    const weak = await new Promise<Error & { code?: string }>((resolve, reject) =>
      user.completeNewPasswordChallenge(
        "weak",
        {},
        {
          onSuccess: () => reject(new Error("a weak password was accepted")),
          onFailure: resolve,
        },
      ),
    );
    assert.equal(weak.code, "InvalidPasswordException");
    const session = await new Promise((resolve, reject) =>
      user.completeNewPasswordChallenge("Js-str0ng-pass!", {}, { onSuccess: resolve, onFailure: reject }),
    );
    assert.ok(session);
  });
});
