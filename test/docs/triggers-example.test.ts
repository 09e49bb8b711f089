/**
 * The worked example of docs/triggers/ works as written: its config file (module paths relative to
 * it), PreSignUp refusing and auto-confirming, and the V2_0 PreTokenGeneration's tenant and scope.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import {
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { decodeJwt } from "jose";
import { startServer } from "../support/server.ts";
import { failsWith } from "../support/triggers.ts";

const EXAMPLE = join(import.meta.dirname, "..", "..", "docs", "triggers", "example");
const fn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

test("docs/triggers/example: the sign-up and the tokens the README shows", async () => {
  const server = await startServer({
    args: ["--memory", "--delivery", "inbox", "--config", join(EXAMPLE, "lanyard.json")],
  });
  try {
    const c = server.client();
    const { UserPool } = await c.send(
      new CreateUserPoolCommand({
        PoolName: "example",
        AutoVerifiedAttributes: ["email"],
        LambdaConfig: {
          PreSignUp: fn("pre-sign-up"),
          CustomMessage: fn("custom-message"),
          PreTokenGenerationConfig: { LambdaVersion: "V2_0", LambdaArn: fn("pre-token-generation") },
        },
      }),
    );
    const { UserPoolClient } = await c.send(
      new CreateUserPoolClientCommand({
        UserPoolId: UserPool!.Id!,
        ClientName: "web",
        ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      }),
    );
    const ClientId = UserPoolClient!.ClientId!;
    const signUp = (Username: string, email: string) =>
      c.send(
        new SignUpCommand({
          ClientId,
          Username,
          Password: "Passw0rd!long",
          UserAttributes: [{ Name: "email", Value: email }],
        }),
      );
    await failsWith(
      signUp("mallory", "mallory@elsewhere.test"),
      "UserLambdaValidationException",
      "PreSignUp failed with error Sign-ups are open to example.com addresses only.",
    );
    assert.equal((await signUp("alice", "alice@example.com")).UserConfirmed, true);
    const auth = await c.send(
      new InitiateAuthCommand({
        ClientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "alice", PASSWORD: "Passw0rd!long" },
      }),
    );
    const access = decodeJwt(auth.AuthenticationResult!.AccessToken!);
    assert.equal(access.tenant, "example");
    assert.equal(access.scope, "aws.cognito.signin.user.admin tenant/example");
    assert.equal(decodeJwt(auth.AuthenticationResult!.IdToken!).tenant, "example");
  } finally {
    await server.stop();
  }
});
