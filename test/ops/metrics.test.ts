/**
 * `GET /metrics`: Prometheus text, scraped after a few calls: requests by operation and status
 * with their latency, sign-ins by flow and result, lockouts, codes sent, tokens issued and
 * revoked, the password-hash queue, the event-loop lag and storage latency. Off with
 * `--metrics off`.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
  RevokeTokenCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { latestCode } from "../support/inbox.ts";
import { startServer } from "../support/server.ts";

/** The value of one sample line (`name{labels} value`), or undefined. */
function sample(text: string, name: string, labels = ""): number | undefined {
  for (const line of text.split("\n")) {
    if (line.startsWith("#")) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = m[2] ?? "";
    if (labels.split(",").every((l) => l === "" || have.includes(l))) return Number(m[3]);
  }
  return undefined;
}

test("GET /metrics counts requests, sign-ins, lockouts, codes and tokens", async () => {
  const server = await startServer({ args: ["--memory", "--delivery", "inbox"] });
  try {
    const cognito = server.client();
    const { UserPool } = await cognito.send(
      new CreateUserPoolCommand({ PoolName: "metrics", AutoVerifiedAttributes: ["email"] }),
    );
    const poolId = UserPool!.Id!;
    const { UserPoolClient } = await cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: "web",
        ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      }),
    );
    const ClientId = UserPoolClient!.ClientId!;
    const signIn = (USERNAME: string, PASSWORD: string) =>
      cognito.send(
        new InitiateAuthCommand({
          ClientId,
          AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME, PASSWORD },
        }),
      );
    await cognito.send(
      new SignUpCommand({
        ClientId,
        Username: "alice",
        Password: "Passw0rd!alice",
        UserAttributes: [{ Name: "email", Value: "alice@example.com" }],
      }),
    );
    const code = await latestCode(server, { poolId, username: "alice" });
    await cognito.send(new ConfirmSignUpCommand({ ClientId, Username: "alice", ConfirmationCode: code }));
    const { AuthenticationResult } = await signIn("alice", "Passw0rd!alice");
    await cognito.send(new RevokeTokenCommand({ ClientId, Token: AuthenticationResult!.RefreshToken! }));
    // Five failures, then the sixth attempt is refused by the lockout.
    for (let i = 0; i < 6; i++) await signIn("alice", "wrong-password").catch(() => {});

    const res = await fetch(`${server.url}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    assert.equal(sample(text, "lanyard_requests_total", 'operation="SignUp",status="200"'), 1);
    assert.equal(sample(text, "lanyard_requests_total", 'operation="InitiateAuth",status="200"'), 1);
    assert.equal(sample(text, "lanyard_requests_total", 'operation="InitiateAuth",status="400"'), 6);
    assert.equal(
      sample(text, "lanyard_request_duration_seconds_count", 'operation="CreateUserPool",status="200"'),
      1,
    );
    assert.ok(
      sample(text, "lanyard_request_duration_seconds_bucket", 'operation="SignUp",status="200",le="+Inf"') ===
        1,
    );
    assert.equal(sample(text, "lanyard_sign_ins_total", 'flow="USER_PASSWORD_AUTH",result="tokens"'), 1);
    assert.equal(
      sample(text, "lanyard_sign_ins_total", 'flow="USER_PASSWORD_AUTH",result="NotAuthorizedException"'),
      6,
    );
    assert.equal(sample(text, "lanyard_lockouts_total", 'kind="password"'), 1);
    assert.equal(sample(text, "lanyard_codes_sent_total", 'channel="EMAIL"'), 1);
    assert.equal(sample(text, "lanyard_tokens_issued_total", 'to="user"'), 1);
    assert.equal(sample(text, "lanyard_tokens_revoked_total", 'how="revoke"'), 1);
    assert.equal(sample(text, "lanyard_password_hash_queue_depth"), 0);
    assert.ok((sample(text, "lanyard_password_hash_queue_wait_seconds_count") ?? 0) >= 7);
    assert.ok((sample(text, "lanyard_storage_transaction_seconds_count", 'result="commit"') ?? 0) > 0);
    assert.notEqual(sample(text, "nodejs_eventloop_lag_seconds"), undefined);
  } finally {
    await server.stop();
  }
});

test("--metrics off serves no /metrics", async () => {
  const server = await startServer({ args: ["--memory", "--metrics", "off"] });
  try {
    const res = await fetch(`${server.url}/metrics`);
    assert.equal(res.status, 404);
    await res.body?.cancel();
  } finally {
    await server.stop();
  }
});
