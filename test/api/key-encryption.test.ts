/**
 * LANYARD_KEY_ENCRYPTION_KEY: the pools' private signing keys are stored AES-256-GCM encrypted, a
 * start with another key is refused, and tokens are signed as before. Always on SQLite (the
 * database file is read directly to see what is stored).
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { after, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import {
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
} from "@aws-sdk/client-cognito-identity-provider";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const work = mkdtempSync(join(tmpdir(), "lanyard-key-encryption-"));
after(() => rmSync(work, { recursive: true, force: true }));
const dir = join(work, "data");
const KEY = randomBytes(32).toString("base64");
const OTHER = randomBytes(32).toString("hex");

function env(key: string | undefined): NodeJS.ProcessEnv {
  const e = { ...process.env };
  delete e.LANYARD_KEY_ENCRYPTION_KEY;
  if (key !== undefined) e.LANYARD_KEY_ENCRYPTION_KEY = key;
  return e;
}

const args = ["src/main.ts", "--host", "127.0.0.1", "--port", "0", "--data", dir];

async function start(
  key: string | undefined,
): Promise<{ client: CognitoIdentityProviderClient; child: ChildProcess; logs: () => string }> {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: env(key),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = "";
    child.stdout!.on("data", (d: Buffer) => {
      stdout += d.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
      if (m) resolve(m[1]!);
    });
    child.on("exit", (code) => reject(new Error(`server exited with ${code}: ${stderr}`)));
  });
  const client = new CognitoIdentityProviderClient({
    endpoint: url,
    region: "us-east-1",
    credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "test-secret" },
    maxAttempts: 1,
  });
  return { client, child, logs: () => stderr };
}

async function stop(server: { client: CognitoIdentityProviderClient; child: ChildProcess }): Promise<void> {
  server.client.destroy();
  if (server.child.exitCode !== null) return;
  const exited = new Promise((r) => server.child.once("exit", r));
  server.child.kill("SIGTERM");
  await exited;
}

describe("private signing keys encrypted at rest", () => {
  let poolId = "";
  let clientId = "";
  const signIn = (client: CognitoIdentityProviderClient) =>
    client.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "alice", PASSWORD: "Correct-Horse-9" },
      }),
    );

  test("with a key, tokens are signed and the database holds no private key in clear", async () => {
    const server = await start(KEY);
    try {
      const { UserPool } = await server.client.send(new CreateUserPoolCommand({ PoolName: "sealed" }));
      poolId = UserPool!.Id!;
      const { UserPoolClient } = await server.client.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: "app",
          ExplicitAuthFlows: ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        }),
      );
      clientId = UserPoolClient!.ClientId!;
      await server.client.send(
        new AdminCreateUserCommand({ UserPoolId: poolId, Username: "alice", MessageAction: "SUPPRESS" }),
      );
      await server.client.send(
        new AdminSetUserPasswordCommand({
          UserPoolId: poolId,
          Username: "alice",
          Password: "Correct-Horse-9",
          Permanent: true,
        }),
      );
      const out = await signIn(server.client);
      assert.ok(out.AuthenticationResult?.AccessToken);
    } finally {
      await stop(server);
    }
    const db = new DatabaseSync(join(dir, "lanyard.db"), { readOnly: true });
    const rows = db.prepare("SELECT private_key FROM signing_keys").all() as Array<{ private_key: string }>;
    db.close();
    assert.equal(rows.length, 2);
    for (const row of rows) {
      assert.match(row.private_key, /^lanyard-aes-256-gcm:v1:/);
      assert.doesNotMatch(row.private_key, /PRIVATE KEY/);
    }
  });

  test("a start with another key is refused, exit code 2", () => {
    const r = spawnSync(process.execPath, args, {
      cwd: root,
      env: env(OTHER),
      encoding: "utf8",
      timeout: 15_000,
    });
    assert.equal(r.status, 2, r.stderr);
    assert.match(
      r.stderr,
      /LANYARD_KEY_ENCRYPTION_KEY is not the key this database's signing keys were encrypted with/,
    );
  });

  test("a key that is not 32 bytes in base64 or hex is refused", () => {
    const r = spawnSync(process.execPath, args, {
      cwd: root,
      env: env("too-short"),
      encoding: "utf8",
      timeout: 15_000,
    });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /LANYARD_KEY_ENCRYPTION_KEY must be 32 bytes/);
  });

  test("after a restart with the same key, sign-in still works", async () => {
    const server = await start(KEY);
    try {
      const out = await signIn(server.client);
      assert.ok(out.AuthenticationResult?.IdToken);
    } finally {
      await stop(server);
    }
  });

  test("without the key, signing fails with a log line that says which setting is missing", async () => {
    const server = await start(undefined);
    try {
      await assert.rejects(signIn(server.client), (e: Error) => {
        assert.equal(e.name, "InternalErrorException");
        return true;
      });
      assert.match(server.logs(), /are encrypted: set LANYARD_KEY_ENCRYPTION_KEY/);
    } finally {
      await stop(server);
    }
  });
});
