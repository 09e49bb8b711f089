/**
 * `lanyard export` then `lanyard --seed` on another Lanyard (another storage, another server
 * secret): everyone signs in with the same password, by USER_PASSWORD_AUTH and by SRP, keeps their
 * sub and groups, and TOTP still works (the secret sealed under the seed key in the file). The
 * round trip runs SQLite -> PostgreSQL and PostgreSQL -> SQLite when the tests run on PostgreSQL,
 * SQLite -> SQLite otherwise.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { generateSync } from "otplib";
import {
  AdminGetUserCommand,
  AdminLinkProviderForUserCommand,
  AdminListDevicesCommand,
  AdminListGroupsForUserCommand,
  AdminSetUserMFAPreferenceCommand,
  AssociateSoftwareTokenCommand,
  RespondToAuthChallengeCommand,
  SetUserPoolMfaConfigCommand,
  VerifySoftwareTokenCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { parse, stringify } from "yaml";
import { deviceSteps, FLOWS } from "../support/devices.ts";
import { GOOGLE_DETAILS } from "../support/federation.ts";
import { root } from "../support/process.ts";
import { createTestDatabase, type TestDatabase, testPostgresUrl } from "../support/postgres.ts";
import { passwordSignIn, runLanyard, srpSignIn } from "../support/seed.ts";
import { startServer, type TestServer } from "../support/server.ts";

const EXAMPLE = join(root, "examples", "seed.yaml");
const POOL = "us-east-1_Example01";
const WEB = "examplewebclient0000000001";
const KEY = randomBytes(32).toString("base64");
const code = (secret: string, step = 0) =>
  generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + step * 30 });

const dir = mkdtempSync(join(tmpdir(), "lanyard-export-"));
const databases: TestDatabase[] = [];
const servers: TestServer[] = [];
after(async () => {
  for (const s of servers) await s.stop();
  for (const d of databases) await d.drop();
});

/** The storage arguments of one side: an SQLite data dir, or a fresh PostgreSQL schema. */
async function storage(kind: "sqlite" | "postgres", name: string): Promise<string[]> {
  if (kind === "sqlite") return ["--storage", "sqlite", "--data", join(dir, name)];
  const db = await createTestDatabase();
  databases.push(db);
  return ["--storage", db.url];
}

async function start(args: string[]): Promise<TestServer> {
  const server = await startServer({ args });
  servers.push(server);
  return server;
}

const pg = testPostgresUrl() !== undefined;
const trips: ["sqlite" | "postgres", "sqlite" | "postgres"][] = pg
  ? [
      ["sqlite", "postgres"],
      ["postgres", "sqlite"],
    ]
  : [["sqlite", "sqlite"]];

describe("export and import", () => {
  for (const [from, to] of trips)
    test(`${from} -> ${to}: the same passwords (password auth and SRP), subs, groups and TOTP`, async () => {
      const source = await storage(from, `${from}-source`);
      const server = await start([...source, "--seed", EXAMPLE]);
      const sdk = server.client();
      await sdk.send(
        new SetUserPoolMfaConfigCommand({
          UserPoolId: POOL,
          MfaConfiguration: "OPTIONAL",
          SoftwareTokenMfaConfiguration: { Enabled: true },
        }),
      );
      const signedIn = await passwordSignIn(sdk, WEB, "alice@example.com", "Alice-passw0rd");
      const AccessToken = signedIn.AuthenticationResult!.AccessToken!;
      const { SecretCode } = await sdk.send(new AssociateSoftwareTokenCommand({ AccessToken }));
      await sdk.send(new VerifySoftwareTokenCommand({ AccessToken, UserCode: code(SecretCode!, -1) }));
      await sdk.send(
        new AdminSetUserMFAPreferenceCommand({
          UserPoolId: POOL,
          Username: "alice@example.com",
          SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
        }),
      );
      const before = await sdk.send(
        new AdminGetUserCommand({ UserPoolId: POOL, Username: "alice@example.com" }),
      );
      await server.stop();

      const plain = await runLanyard(["export", ...source]);
      assert.equal(plain.code, 0, plain.stderr);
      assert.match(plain.stderr, /1 users' TOTP secrets were left out/);
      assert.doesNotMatch(plain.stdout, /SealedSecret/);

      const exported = await runLanyard(["export", ...source, "--pool", POOL, "--seed-key", KEY]);
      assert.equal(exported.code, 0, exported.stderr);
      assert.match(exported.stderr, /1 pools, 2 users/);
      assert.doesNotMatch(exported.stdout, new RegExp(SecretCode!), "the TOTP secret is not in the clear");
      const doc = parse(exported.stdout) as { pools: { users: { PasswordHash?: { Hash: string } }[] }[] };
      assert.match(doc.pools[0]!.users[0]!.PasswordHash!.Hash, /^\$argon2id\$/);
      const file = join(dir, `${from}-to-${to}.yaml`);
      writeFileSync(file, exported.stdout);

      // Without the seed key the sealed secrets cannot be opened: refused, nothing applied.
      const target = await storage(to, `${from}-to-${to}`);
      await assert.rejects(
        startServer({ args: [...target, "--seed", file] }),
        /Mfa\.Totp\.SealedSecret: InvalidParameterException: The file has sealed TOTP secrets/,
      );

      const other = await start([...target, "--seed", file, "--seed-key", KEY]);
      assert.match(other.logs(), /seed .*: \d+ created/);
      const client = other.client();
      const after = await client.send(
        new AdminGetUserCommand({ UserPoolId: POOL, Username: "alice@example.com" }),
      );
      assert.deepEqual(after.UserAttributes, before.UserAttributes);
      assert.equal(after.PreferredMfaSetting, "SOFTWARE_TOKEN_MFA");

      const challenge = await passwordSignIn(client, WEB, "alice@example.com", "Alice-passw0rd");
      assert.equal(challenge.ChallengeName, "SOFTWARE_TOKEN_MFA");
      const done = await client.send(
        new RespondToAuthChallengeCommand({
          ClientId: WEB,
          ChallengeName: "SOFTWARE_TOKEN_MFA",
          Session: challenge.Session,
          ChallengeResponses: {
            USERNAME: challenge.ChallengeParameters!.USER_ID_FOR_SRP ?? "alice@example.com",
            SOFTWARE_TOKEN_MFA_CODE: code(SecretCode!),
          },
        }),
      );
      assert.ok(done.AuthenticationResult?.AccessToken);
      const bob = await srpSignIn(client, POOL, WEB, "bob@example.com", "Bob-passw0rd!");
      assert.ok(bob.AuthenticationResult?.AccessToken);
      await assert.rejects(
        passwordSignIn(client, WEB, "bob@example.com", "Wrong-passw0rd!"),
        (e: Error) => e.name === "NotAuthorizedException",
      );
      const groups = await client.send(
        new AdminListGroupsForUserCommand({ UserPoolId: POOL, Username: "alice@example.com" }),
      );
      assert.deepEqual(
        groups.Groups!.map((g) => g.GroupName),
        ["admin"],
      );
      await other.stop();

      // Applied again, the export changes nothing.
      const again = await start([...target, "--seed", file, "--seed-key", KEY]);
      assert.match(again.logs(), /seed .*: unchanged/);
      await again.stop();
    });
});

describe("export and import of devices and linked identities", () => {
  test("a remembered device signs in by device SRP after the import; a linked identity stays linked", async () => {
    const poolId = "us-east-1_Devices01";
    const clientId = "devicesclient0000000000001";
    const seed = join(dir, "devices.yaml");
    writeFileSync(
      seed,
      stringify({
        pools: [
          {
            Id: poolId,
            PoolName: "devices",
            DeviceConfiguration: {
              ChallengeRequiredOnNewDevice: true,
              DeviceOnlyRememberedOnUserPrompt: true,
            },
            identityProviders: [
              { ProviderName: "Google", ProviderType: "Google", ProviderDetails: GOOGLE_DETAILS },
            ],
            clients: [{ ClientId: clientId, ClientName: "app", ExplicitAuthFlows: [...FLOWS] }],
          },
        ],
      }),
    );
    const [from, to] = trips[0]!;
    const source = await storage(from, "devices-source");
    const server = await start([...source, "--seed", seed]);
    const steps = deviceSteps(server.client(), poolId, clientId);
    const { device } = await steps.userWithDevice("dana");
    const link = {
      UserPoolId: poolId,
      DestinationUser: { ProviderName: "Cognito", ProviderAttributeValue: "dana" },
      SourceUser: {
        ProviderName: "Google",
        ProviderAttributeName: "Cognito_Subject",
        ProviderAttributeValue: "g-1",
      },
    };
    await server.client().send(new AdminLinkProviderForUserCommand(link));
    await server.stop();

    const exported = await runLanyard(["export", ...source, "--pool", poolId]);
    assert.equal(exported.code, 0, exported.stderr);
    const file = join(dir, "devices-export.yaml");
    writeFileSync(file, exported.stdout);
    const target = await start([...(await storage(to, "devices-target")), "--seed", file]);
    const sdk = target.client();
    const listed = await sdk.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: "dana" }));
    assert.deepEqual(
      listed.Devices!.map((d) => d.DeviceKey),
      [device.deviceKey],
    );
    const other = deviceSteps(sdk, poolId, clientId);
    const afterPassword = await (await other.srpToPasswordVerifier("dana", device.deviceKey))();
    assert.equal(afterPassword.ChallengeName, "DEVICE_SRP_AUTH");
    const done = await other.deviceChallenges("dana", device, afterPassword.Session!);
    assert.ok(done.AuthenticationResult?.AccessToken);
    await assert.rejects(sdk.send(new AdminLinkProviderForUserCommand(link)), (e: Error) => {
      assert.equal(e.message, "SourceUser is already linked to DestinationUser");
      return true;
    });
    await target.stop();
  });
});
