/**
 * The bulk import (src/domain/users/bulk-import.ts), on the storage of a real server's data: users
 * imported while the server is stopped sign in through it afterwards (password and SRP), and
 * refused users refuse their whole batch with an error naming them. SQLite through `--data DIR`;
 * PostgreSQL (when LANYARD_TEST_POSTGRES_URL is set) through `--storage URL` on a fresh schema.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
  ListUsersCommand,
  RespondToAuthChallengeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { hashPassword } from "../../src/crypto/password-hash.ts";
import { BulkImportError, type ImportUser, importUsers } from "../../src/domain/users/bulk-import.ts";
import { PostgresStorage } from "../../src/storage/postgres/postgres-storage.ts";
import { SqliteStorage } from "../../src/storage/sqlite/sqlite-storage.ts";
import type { Storage } from "../../src/storage/storage.ts";
import { createTestDatabase, type TestDatabase, testPostgresUrl } from "../support/postgres.ts";
import { startServer, type TestServer } from "../support/server.ts";
import { passwordVerifierResponses, startClientSrp } from "../support/srp-client.ts";

const PASSWORD = "Imp0rted-passw0rd!";

/** A server's data that outlives the server: a SQLite data dir, or a PostgreSQL schema. */
interface Data {
  args: string[];
  open(): Storage;
  drop(): Promise<void>;
}

async function newData(): Promise<Data> {
  if (testPostgresUrl()) {
    const db: TestDatabase = await createTestDatabase();
    return {
      args: ["--storage", db.url],
      open: () => new PostgresStorage({ url: db.url }),
      drop: () => db.drop(),
    };
  }
  const dir = mkdtempSync(join(tmpdir(), "lanyard-bulk-import-"));
  return {
    args: ["--data", dir],
    open: () => new SqliteStorage({ dir }),
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function refused(run: Promise<unknown>): Promise<BulkImportError> {
  try {
    await run;
  } catch (e) {
    assert.ok(e instanceof BulkImportError, `expected a BulkImportError, got ${String(e)}`);
    return e;
  }
  assert.fail("the import was not refused");
}

async function passwordSignIn(c: CognitoIdentityProviderClient, clientId: string, username: string) {
  return c.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: username, PASSWORD },
    }),
  );
}

async function srpSignIn(
  c: CognitoIdentityProviderClient,
  poolId: string,
  clientId: string,
  username: string,
) {
  const srp = startClientSrp();
  const first = await c.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: "USER_SRP_AUTH",
      AuthParameters: { USERNAME: username, SRP_A: srp.srpA },
    }),
  );
  assert.equal(first.ChallengeName, "PASSWORD_VERIFIER");
  return c.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: "PASSWORD_VERIFIER",
      Session: first.Session,
      ChallengeResponses: passwordVerifierResponses({
        poolId,
        password: PASSWORD,
        client: srp,
        challengeParameters: first.ChallengeParameters!,
      }),
    }),
  );
}

describe(`bulk import (${testPostgresUrl() ? "PostgreSQL" : "SQLite"})`, () => {
  let data: Data;
  let server: TestServer;
  let c: CognitoIdentityProviderClient;
  let poolId: string;
  let aliasPoolId: string;
  let clientId: string;
  let subs: string[];
  const errors: Record<string, BulkImportError> = {};

  before(async () => {
    data = await newData();
    server = await startServer({ args: data.args });
    c = server.client();
    poolId = (await c.send(new CreateUserPoolCommand({ PoolName: "imported" }))).UserPool!.Id!;
    aliasPoolId = (
      await c.send(new CreateUserPoolCommand({ PoolName: "aliases", AliasAttributes: ["email"] }))
    ).UserPool!.Id!;
    clientId = (
      await c.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: "app",
          ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        }),
      )
    ).UserPoolClient!.ClientId!;
    await server.stop();

    const storage = data.open();
    try {
      const hash = await hashPassword(PASSWORD);
      const email = (name: string) => ({ email: `${name}@example.com`, email_verified: "true" });
      ({ subs } = await importUsers(storage, poolId, [
        {
          username: "alice",
          attributes: { ...email("alice"), given_name: "Alice" },
          password: { password: PASSWORD },
        },
        { username: "bob", attributes: email("bob"), password: { hash, srpPassword: PASSWORD } },
        { username: "carol", password: { hash } },
        { username: "dave", password: { password: PASSWORD, temporary: true } },
        { username: "erin", attributes: email("erin") },
        { username: "frank", password: { hash }, enabled: false },
        { username: "ruth", password: { hash }, status: "RESET_REQUIRED" },
      ]));
      const attempt = (name: string, users: ImportUser[], poolOf = poolId, batchSize = 10) =>
        refused(importUsers(storage, poolOf, users, { batchSize })).then((e) => {
          errors[name] = e;
        });
      await attempt("existing", [{ username: "gina" }, { username: "hank" }, { username: "alice" }]);
      await attempt("twice", [{ username: "ivan" }, { username: "ivan" }]);
      await attempt("schema", [
        { username: "jack" },
        { username: "kate", attributes: { "custom:nope": "x" } },
      ]);
      await attempt("policy", [{ username: "liam" }, { username: "mia", password: { password: "short" } }]);
      await attempt("status", [{ username: "noah", status: "CONFIRMED" }]);
      await attempt("hash", [{ username: "olga", password: { hash: "not-a-hash" } }]);
      await attempt("name", [{ username: "has space" }]);
      await attempt(
        "batches",
        [{ username: "pia" }, { username: "quinn" }, { username: "rita" }, { username: "pia" }],
        poolId,
        2,
      );
      await importUsers(storage, aliasPoolId, [{ username: "sam", attributes: email("shared") }]);
      await attempt(
        "alias",
        [{ username: "tom" }, { username: "uma", attributes: email("shared") }],
        aliasPoolId,
      );
    } finally {
      await storage.close();
    }
    server = await startServer({ args: data.args });
    c = server.client();
  });
  after(async () => {
    await server?.stop();
    await data?.drop();
  });

  test("imported users sign in with their password, and with SRP when they have a verifier", async () => {
    for (const name of ["alice", "bob", "carol"]) {
      const out = await passwordSignIn(c, clientId, name);
      assert.ok(out.AuthenticationResult?.AccessToken, `${name} signs in with USER_PASSWORD_AUTH`);
    }
    for (const name of ["alice", "bob"]) {
      const out = await srpSignIn(c, poolId, clientId, name);
      assert.ok(out.AuthenticationResult?.AccessToken, `${name} signs in with USER_SRP_AUTH`);
    }
    // An already-made hash without the password in clear has no SRP verifier.
    await assert.rejects(srpSignIn(c, poolId, clientId, "carol"), { name: "NotAuthorizedException" });
  });

  test("status, enabled flag, attributes and subs are as imported", async () => {
    const get = (Username: string) => c.send(new AdminGetUserCommand({ UserPoolId: poolId, Username }));
    const alice = await get("alice");
    assert.equal(alice.UserStatus, "CONFIRMED");
    assert.deepEqual(Object.fromEntries(alice.UserAttributes!.map((a) => [a.Name, a.Value])), {
      sub: subs[0],
      email: "alice@example.com",
      email_verified: "true",
      given_name: "Alice",
    });
    assert.equal((await get("dave")).UserStatus, "FORCE_CHANGE_PASSWORD");
    assert.equal((await get("erin")).UserStatus, "RESET_REQUIRED");
    assert.equal((await get("frank")).Enabled, false);
    const temporary = await passwordSignIn(c, clientId, "dave");
    assert.equal(temporary.ChallengeName, "NEW_PASSWORD_REQUIRED");
    assert.equal((await get("ruth")).UserStatus, "RESET_REQUIRED");
    await assert.rejects(passwordSignIn(c, clientId, "ruth"), { name: "PasswordResetRequiredException" });
    await assert.rejects(passwordSignIn(c, clientId, "frank"), { name: "NotAuthorizedException" });
    assert.equal(new Set(subs).size, 7);
  });

  test("a refused user refuses its whole batch, named with the reason", async () => {
    const cases: [string, number, string, string, RegExp][] = [
      ["existing", 2, "alice", "UsernameExistsException", /User account already exists/],
      ["twice", 1, "ivan", "UsernameExistsException", /User account already exists/],
      [
        "schema",
        1,
        "kate",
        "InvalidParameterException",
        /custom:nope: Attribute does not exist in the schema/,
      ],
      ["policy", 1, "mia", "InvalidPasswordException", /Password not long enough/],
      ["status", 0, "noah", "InvalidParameterException", /without a password must be RESET_REQUIRED/],
      ["hash", 0, "olga", "InvalidParameterException", /not an Argon2id hash/],
      ["name", 0, "has space", "InvalidParameterException", /Username must satisfy the pattern/],
      ["batches", 3, "pia", "UsernameExistsException", /users 2-3 was written \(2 imported before them\)/],
      ["alias", 1, "uma", "AliasExistsException", /An account with the email already exists/],
    ];
    for (const [name, index, username, type, message] of cases) {
      const e = errors[name]!;
      assert.ok(e, `${name} was refused`);
      assert.equal(e.index, index, name);
      assert.equal(e.username, username, name);
      assert.equal(e.cause.type, type, name);
      assert.match(e.message, message, name);
    }
    const listed = async (id: string) =>
      (await c.send(new ListUsersCommand({ UserPoolId: id }))).Users!.map((u) => u.Username).sort();
    // Of the refused batches only the first batch of "batches" (pia, quinn) was written.
    assert.deepEqual(await listed(poolId), [
      "alice",
      "bob",
      "carol",
      "dave",
      "erin",
      "frank",
      "pia",
      "quinn",
      "ruth",
    ]);
    assert.deepEqual(await listed(aliasPoolId), ["sam"]);
  });
});
