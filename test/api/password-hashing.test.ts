/**
 * Password-hashing profiles (--password-hashing default|test, explicit Argon2id parameters), the
 * rehash at sign-in when the profile changed, the refusal of the test profile off loopback, and
 * the bounded hashing queue (TooManyRequestsException instead of unbounded memory).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { after, test } from "node:test";
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  type CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWith } from "../support/assert.ts";
import { testPostgresUrl } from "../support/postgres.ts";
import { rawRequest, startServer, type TestServer } from "../support/server.ts";
import { passwordVerifierResponses, startClientSrp } from "../support/srp-client.ts";

const PASSWORD = "Correct-horse-1";
const dir = mkdtempSync(join(tmpdir(), "lanyard-hashing-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The stored Argon2id parameters of a user's hash, read from the SQLite file (SQLite runs only). */
function storedParams(username: string): string | undefined {
  if (testPostgresUrl()) return undefined;
  const db = new DatabaseSync(join(dir, "lanyard.db"), { readOnly: true });
  try {
    const row = db.prepare("SELECT password FROM users WHERE username = ?").get(username) as
      { password: string } | undefined;
    const hash = (JSON.parse(row!.password) as { hash: string }).hash;
    return /^\$argon2id\$v=19\$(m=\d+,t=\d+,p=\d+)\$/.exec(hash)?.[1];
  } finally {
    db.close();
  }
}

function start(profile: string): Promise<TestServer> {
  return startServer({
    args: ["--data", dir, "--password-hashing", profile],
    env: { LANYARD_LOG_LEVEL: "debug" },
  });
}

const rehashes = (server: TestServer) => server.logs().match(/"msg":"password rehashed"/g)?.length ?? 0;

async function signIn(
  c: CognitoIdentityProviderClient,
  clientId: string,
  username: string,
  password = PASSWORD,
) {
  const out = await c.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: username, PASSWORD: password },
    }),
  );
  assert.ok(out.AuthenticationResult?.AccessToken, "signed in");
}

async function srpSignIn(
  c: CognitoIdentityProviderClient,
  poolId: string,
  clientId: string,
  username: string,
) {
  const srp = startClientSrp();
  const challenge = await c.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: "USER_SRP_AUTH",
      AuthParameters: { USERNAME: username, SRP_A: srp.srpA },
    }),
  );
  const out = await c.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: "PASSWORD_VERIFIER",
      ChallengeResponses: passwordVerifierResponses({
        poolId,
        password: PASSWORD,
        client: srp,
        challengeParameters: challenge.ChallengeParameters!,
      }),
      Session: challenge.Session,
    }),
  );
  assert.ok(out.AuthenticationResult?.AccessToken, "signed in with SRP");
}

test("a user hashed under the default profile signs in under the test profile, and is rehashed to it", async () => {
  let poolId: string;
  let clientId: string;
  const first = await start("default");
  try {
    assert.match(first.logs(), /password hashing: default profile, Argon2id m=19456 KiB t=2 p=1/);
    const c = first.client();
    poolId = (await c.send(new CreateUserPoolCommand({ PoolName: "hashing" }))).UserPool!.Id!;
    clientId = (
      await c.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: "app",
          ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        }),
      )
    ).UserPoolClient!.ClientId!;
    await c.send(
      new AdminCreateUserCommand({ UserPoolId: poolId, Username: "ada", MessageAction: "SUPPRESS" }),
    );
    await c.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: poolId,
        Username: "ada",
        Password: PASSWORD,
        Permanent: true,
      }),
    );
    await signIn(c, clientId, "ada");
    assert.equal(rehashes(first), 0, "a hash made with the current parameters is kept");
  } finally {
    await first.stop();
  }
  const stored = storedParams("ada");
  if (stored !== undefined) assert.equal(stored, "m=19456,t=2,p=1");

  const second = await start("test");
  try {
    assert.match(second.logs(), /password hashing: test profile, Argon2id m=8 KiB t=1 p=1/);
    const c = second.client();
    await rejectsWith(
      c.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: "ada", PASSWORD: "Wrong-horse-1" },
        }),
      ),
      "NotAuthorizedException",
      400,
      /Incorrect username or password/,
    );
    assert.equal(rehashes(second), 0, "a wrong password rehashes nothing");
    await signIn(c, clientId, "ada");
    assert.equal(rehashes(second), 1, "the sign-in stored a hash with the test parameters");
    await signIn(c, clientId, "ada");
    assert.equal(rehashes(second), 1, "once rehashed, the hash is kept");
    // The SRP verifier does not depend on the hashing parameters.
    await srpSignIn(c, poolId, clientId, "ada");
  } finally {
    await second.stop();
  }
  const rehashed = storedParams("ada");
  if (rehashed !== undefined) assert.equal(rehashed, "m=8,t=1,p=1");

  // And back: the cheap hash verifies under the default profile, which rehashes it again.
  const third = await start("default");
  try {
    await signIn(third.client(), clientId, "ada");
    assert.equal(rehashes(third), 1);
  } finally {
    await third.stop();
  }
  const back = storedParams("ada");
  if (back !== undefined) assert.equal(back, "m=19456,t=2,p=1");
});

test("explicit Argon2id parameters override the profile's, and new hashes carry them", async () => {
  const server = await startServer({
    args: ["--memory", "--password-hashing", "test", "--argon2-memory", "64", "--argon2-passes", "3"],
    env: { LANYARD_ARGON2_PARALLELISM: "2" },
  });
  try {
    assert.match(server.logs(), /password hashing: test profile, Argon2id m=64 KiB t=3 p=2/);
    const c = server.client();
    const poolId = (await c.send(new CreateUserPoolCommand({ PoolName: "custom" }))).UserPool!.Id!;
    const clientId = (
      await c.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: "app",
          ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        }),
      )
    ).UserPoolClient!.ClientId!;
    await c.send(
      new AdminCreateUserCommand({ UserPoolId: poolId, Username: "bob", MessageAction: "SUPPRESS" }),
    );
    await c.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: poolId,
        Username: "bob",
        Password: PASSWORD,
        Permanent: true,
      }),
    );
    await signIn(c, clientId, "bob");
  } finally {
    await server.stop();
  }
});

function run(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, ["src/main.ts", "--memory", "--port", "0", ...args], {
    encoding: "utf8",
    timeout: 15_000,
    env: { ...process.env, ...env },
  });
}

test("the test profile is refused on a non-loopback address without --insecure", () => {
  // Access keys are configured, so only the hashing profile stands in the way.
  const keys = {
    LANYARD_ACCESS_KEY_ID: "AKIDHASHING",
    LANYARD_SECRET_ACCESS_KEY: "hashing-secret-of-forty-characters-00000",
  };
  const r = run(["--host", "0.0.0.0", "--password-hashing", "test"], keys);
  assert.equal(r.status, 2);
  assert.match(
    r.stderr,
    /refusing the test password-hashing profile on 0\.0\.0\.0: its hashes are cheap to crack; use it on a loopback address, or pass --insecure/,
  );
  const fromEnv = run(["--host", "10.1.2.3"], { ...keys, LANYARD_PASSWORD_HASHING: "test" });
  assert.equal(fromEnv.status, 2);
  assert.match(fromEnv.stderr, /refusing the test password-hashing profile on 10\.1\.2\.3/);
});

test("bad hashing settings stop the server at start with a clear message", () => {
  const profile = run(["--password-hashing", "md5"]);
  assert.equal(profile.status, 2);
  assert.match(profile.stderr, /password hashing profile must be one of default, test/);
  const memory = run(["--argon2-memory", "4"]);
  assert.equal(memory.status, 2);
  assert.match(memory.stderr, /Argon2id memory must be an integer number of KiB from 8/);
  const lanes = run(["--argon2-parallelism", "2", "--argon2-memory", "8"]);
  assert.equal(lanes.status, 2);
  assert.match(lanes.stderr, /from 16 \(8 per lane\)/);
  const concurrency = run([], { LANYARD_PASSWORD_HASHING_CONCURRENCY: "0" });
  assert.equal(concurrency.status, 2);
  assert.match(concurrency.stderr, /password hashing concurrency must be from 1 to 256/);
});

test("sign-ups beyond the hashing queue get TooManyRequestsException, and the server stays up", async () => {
  // The default profile (a slow hash), one hash at a time and one waiting.
  const server = await startServer({
    args: [
      "--memory",
      "--password-hashing",
      "default",
      "--password-hashing-concurrency",
      "1",
      "--password-hashing-queue",
      "1",
    ],
  });
  try {
    assert.match(server.logs(), /1 at once, 1 more may wait/);
    const c = server.client();
    const poolId = (await c.send(new CreateUserPoolCommand({ PoolName: "burst" }))).UserPool!.Id!;
    const clientId = (
      await c.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: "app" }))
    ).UserPoolClient!.ClientId!;
    const signUp = (i: number) =>
      rawRequest(
        server.url,
        "SignUp",
        JSON.stringify({ ClientId: clientId, Username: `burst${i}`, Password: PASSWORD }),
        {},
        false,
      );
    const answers = await Promise.all(Array.from({ length: 24 }, (_, i) => signUp(i)));
    const refused = answers.filter((a) => a.status !== 200);
    assert.ok(
      answers.some((a) => a.status === 200),
      "the sign-ups the queue holds go through",
    );
    assert.ok(refused.length >= 10, `most of the burst is refused (${refused.length} of 24)`);
    for (const a of refused) {
      assert.equal(a.status, 400);
      assert.equal(a.json.__type, "TooManyRequestsException");
      assert.equal(a.json.message, "Too many requests");
      assert.equal(a.headers.get("x-amzn-errortype"), "TooManyRequestsException");
    }
    // The SDK names it too; with the burst over, sign-ups go through again.
    const after = await c.send(
      new SignUpCommand({ ClientId: clientId, Username: "calm", Password: PASSWORD }),
    );
    assert.equal(after.UserConfirmed, false);
    assert.equal(server.process.exitCode, null);
  } finally {
    await server.stop();
  }
});
