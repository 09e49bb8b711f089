/**
 * The request log: one structured line per request (request id, operation, pool, client, status,
 * latency), a pretty format for people, and no secret ever in it: many operations run with known
 * secret values, and the whole log output is searched for each one.
 */
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { test } from "node:test";
import {
  AdminSetUserPasswordCommand,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  GetUserCommand,
  InitiateAuthCommand,
  ListUserPoolsCommand,
  RespondToAuthChallengeCommand,
  RevokeTokenCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { latestCode } from "../support/inbox.ts";
import { startServer } from "../support/server.ts";
import { passwordVerifierResponses, startClientSrp } from "../support/srp-client.ts";

function secretHash(secret: string, username: string, clientId: string): string {
  return createHmac("sha256", secret)
    .update(username + clientId)
    .digest("base64");
}

async function refused(p: Promise<unknown>): Promise<void> {
  await p.then(
    () => assert.fail("expected an error"),
    () => {},
  );
}

test("every request is logged with its facts, and no secret is ever logged", async () => {
  const server = await startServer({
    args: ["--memory", "--delivery", "inbox"],
    env: { LANYARD_LOG_LEVEL: "debug" },
  });
  const secrets: string[] = [];
  try {
    const cognito = server.client();
    const { UserPool } = await cognito.send(
      new CreateUserPoolCommand({ PoolName: "logs", AutoVerifiedAttributes: ["email"] }),
    );
    const poolId = UserPool!.Id!;
    const { UserPoolClient } = await cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: "web",
        GenerateSecret: true,
        ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      }),
    );
    const clientId = UserPoolClient!.ClientId!;
    const clientSecret = UserPoolClient!.ClientSecret!;
    secrets.push(clientSecret);
    const username = "logged-user";
    const password = "Kn0wn-Passw0rd-Log-Test!";
    const wrongPassword = "Wr0ng-Passw0rd-Log-Test!";
    const newPassword = "N3w-Passw0rd-Log-Test!";
    secrets.push(password, wrongPassword, newPassword);
    const hash = secretHash(clientSecret, username, clientId);
    secrets.push(hash);

    await cognito.send(
      new SignUpCommand({
        ClientId: clientId,
        SecretHash: hash,
        Username: username,
        Password: password,
        UserAttributes: [{ Name: "email", Value: "logged@example.com" }],
      }),
    );
    const code = await latestCode(server, { poolId, username });
    secrets.push(code);
    await refused(
      cognito.send(
        new ConfirmSignUpCommand({
          ClientId: clientId,
          SecretHash: hash,
          Username: username,
          ConfirmationCode: "000000" === code ? "111111" : "000000",
        }),
      ),
    );
    await cognito.send(
      new ConfirmSignUpCommand({
        ClientId: clientId,
        SecretHash: hash,
        Username: username,
        ConfirmationCode: code,
      }),
    );
    await refused(
      cognito.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: username, PASSWORD: wrongPassword, SECRET_HASH: hash },
        }),
      ),
    );
    const signedIn = await cognito.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: username, PASSWORD: password, SECRET_HASH: hash },
      }),
    );
    const tokens = signedIn.AuthenticationResult!;
    secrets.push(tokens.AccessToken!, tokens.IdToken!, tokens.RefreshToken!);
    await cognito.send(new GetUserCommand({ AccessToken: tokens.AccessToken! }));
    const refreshed = await cognito.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "REFRESH_TOKEN_AUTH",
        AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken!, SECRET_HASH: hash },
      }),
    );
    secrets.push(refreshed.AuthenticationResult!.AccessToken!);

    // SRP: SRP_A, SRP_B, the salt, the secret block and the password claim signature.
    const srp = startClientSrp();
    secrets.push(srp.srpA);
    const challenge = await cognito.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_SRP_AUTH",
        AuthParameters: { USERNAME: username, SRP_A: srp.srpA, SECRET_HASH: hash },
      }),
    );
    const params = challenge.ChallengeParameters!;
    secrets.push(params.SRP_B!, params.SECRET_BLOCK!, params.SALT!);
    const responses = passwordVerifierResponses({
      poolId,
      password,
      client: srp,
      challengeParameters: params,
    });
    secrets.push(responses.PASSWORD_CLAIM_SIGNATURE!);
    const srpTokens = await cognito.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: "PASSWORD_VERIFIER",
        ChallengeResponses: { ...responses, SECRET_HASH: hash },
      }),
    );
    secrets.push(srpTokens.AuthenticationResult!.RefreshToken!);

    await cognito.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: poolId,
        Username: username,
        Password: newPassword,
        Permanent: true,
      }),
    );
    await cognito.send(
      new RevokeTokenCommand({ ClientId: clientId, ClientSecret: clientSecret, Token: tokens.RefreshToken! }),
    );

    // An Authorization header (HTTP Basic with the client secret) and a session cookie on the
    // OAuth endpoints, and a forged SigV4 signature on the API.
    const basic = Buffer.from(`${clientId}:${clientSecret}`).toString("base64");
    secrets.push(basic);
    const cookie = "cookie-value-never-logged-4711";
    secrets.push(cookie);
    const token = await fetch(`${server.url}/oauth2/token`, {
      method: "POST",
      headers: {
        authorization: `Basic ${basic}`,
        "content-type": "application/x-www-form-urlencoded",
        cookie: `cognito=${cookie}`,
      },
      body: `grant_type=refresh_token&refresh_token=${encodeURIComponent(tokens.RefreshToken!)}`,
    });
    await token.body?.cancel();
    const signature = "5eb7".repeat(16);
    secrets.push(signature);
    const forged = await fetch(`${server.url}/`, {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": "AWSCognitoIdentityProviderService.ListUserPools",
        "x-amz-date": "20260101T000000Z",
        authorization: `AWS4-HMAC-SHA256 Credential=AKIDTEST/20260101/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=${signature}`,
      },
      body: JSON.stringify({ MaxResults: 1 }),
    });
    assert.equal(forged.status, 400);
    await forged.body?.cancel();

    // Stopped first, so that every line is written.
    await server.stop();
    const logs = server.logs();
    const lines = logs
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const requests = lines.filter((l) => l.msg === "request");
    assert.ok(requests.length >= 15, `one line per request (${requests.length})`);
    const signUp = requests.find((l) => l.operation === "SignUp");
    assert.ok(signUp, "SignUp is logged");
    assert.equal(signUp.pool, poolId);
    assert.equal(signUp.client, clientId);
    assert.equal(signUp.status, 200);
    assert.equal(typeof signUp.ms, "number");
    assert.match(String(signUp.requestId), /^[0-9a-f-]{36}$/);
    const wrong = requests.find((l) => l.operation === "InitiateAuth" && l.status === 400);
    assert.equal(wrong?.error, "NotAuthorizedException");
    assert.ok(
      requests.some((l) => l.operation === "POST /oauth2/token"),
      "routes other than the API are logged by method and route",
    );
    for (const secret of secrets) {
      assert.ok(secret.length >= 6, "a secret long enough to be searched for");
      assert.ok(!logs.includes(secret), `a secret value is in the log: ${secret.slice(0, 12)}…`);
    }
  } finally {
    await server.stop();
  }
});

test("LANYARD_LOG_FORMAT=pretty writes one readable line per request", async () => {
  const server = await startServer({ env: { LANYARD_LOG_LEVEL: "info", LANYARD_LOG_FORMAT: "pretty" } });
  try {
    await server.client().send(new ListUserPoolsCommand({ MaxResults: 1 }));
    await server.stop();
    const line = server
      .logs()
      .split("\n")
      .find((l) => l.includes(" request "));
    assert.ok(line, `a request line in ${server.logs()}`);
    assert.match(
      line,
      /^\d\d:\d\d:\d\d\.\d{3} INFO {2}request requestId=[0-9a-f-]{36} operation=ListUserPools status=200 ms=[\d.]+ ip=127\.0\.0\.1$/,
    );
  } finally {
    await server.stop();
  }
});

test("at the default log level (warn) no request is logged", async () => {
  const server = await startServer({ env: { LANYARD_LOG_LEVEL: "warn" } });
  try {
    await server.client().send(new ListUserPoolsCommand({ MaxResults: 1 }));
    await server.stop();
    assert.ok(!server.logs().includes('"msg":"request"'));
  } finally {
    await server.stop();
  }
});
