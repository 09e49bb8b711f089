/**
 * Pools as code: `lanyard --seed FILE`. The example file of docs/seed.md (examples/seed.yaml)
 * starts a server whose users sign in (password and SRP) and whose M2M client gets a token; a
 * second start with the same file writes nothing; a changed file updates what changed; a refused
 * file names the file, the path in it and the AWS error, and leaves nothing applied.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import * as oidc from "openid-client";
import {
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  ListUserPoolsCommand,
  ListUsersCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { parse, stringify } from "yaml";
import { decodeJwt } from "../../src/crypto/jwt.ts";
import { root } from "../support/process.ts";
import { passwordSignIn, srpSignIn } from "../support/seed.ts";
import { startServer, type TestServer } from "../support/server.ts";
import { relyingParty } from "../support/oauth.ts";

const EXAMPLE = join(root, "examples", "seed.yaml");
const POOL = "us-east-1_Example01";
const WEB = "examplewebclient0000000001";
const M2M = "examplem2mclient0000000001";

const dir = mkdtempSync(join(tmpdir(), "lanyard-seed-"));
const servers: TestServer[] = [];
after(async () => {
  for (const s of servers) await s.stop();
});

async function start(args: string[]): Promise<TestServer> {
  const server = await startServer({ args });
  servers.push(server);
  return server;
}

type Doc = { prune?: boolean; pools: Record<string, unknown>[] };
const example = (): Doc => parse(readFileSync(EXAMPLE, "utf8")) as Doc;
function write(name: string, doc: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, name.endsWith(".json") ? JSON.stringify(doc) : stringify(doc));
  return file;
}

describe("seed files", () => {
  const data = join(dir, "data");
  let first: { pool: Date; web: Date; m2m: Date };

  test("the example file: both users sign in through the SDK, the M2M client gets a token", async () => {
    const server = await start(["--data", data, "--seed", EXAMPLE]);
    assert.match(server.logs(), /seed .*examples\/seed\.yaml: 7 created, 0 updated, 0 deleted/);
    const sdk = server.client();
    const alice = await passwordSignIn(sdk, WEB, "alice@example.com", "Alice-passw0rd");
    assert.ok(alice.AuthenticationResult?.AccessToken);
    const claims = decodeJwt(alice.AuthenticationResult!.AccessToken!)!.claims;
    assert.deepEqual(claims["cognito:groups"], ["admin"]);
    assert.equal(claims.client_id, WEB);
    const bob = await srpSignIn(sdk, POOL, WEB, "bob@example.com", "Bob-passw0rd!");
    assert.ok(bob.AuthenticationResult?.IdToken);
    assert.equal(decodeJwt(bob.AuthenticationResult!.IdToken!)!.claims.given_name, "Bob");

    const secret = (example().pools[0]!.clients as { ClientSecret?: string }[])[1]!.ClientSecret!;
    const config = await relyingParty(
      { poolId: POOL, clientId: M2M, clientSecret: secret, issuer: `${server.url}/${POOL}` },
      oidc.ClientSecretBasic(secret),
    );
    const m2m = await oidc.clientCredentialsGrant(config);
    const access = decodeJwt(m2m.access_token)!.claims;
    assert.equal(access.sub, M2M);
    assert.equal(access.scope, "https://api.example.com/orders.read");

    const pool = (await sdk.send(new DescribeUserPoolCommand({ UserPoolId: POOL }))).UserPool!;
    const web = (await sdk.send(new DescribeUserPoolClientCommand({ UserPoolId: POOL, ClientId: WEB })))
      .UserPoolClient!;
    const service = (await sdk.send(new DescribeUserPoolClientCommand({ UserPoolId: POOL, ClientId: M2M })))
      .UserPoolClient!;
    assert.equal(service.ClientSecret, secret);
    first = { pool: pool.LastModifiedDate!, web: web.LastModifiedDate!, m2m: service.LastModifiedDate! };
    await server.stop();
  });

  test("a second start with the same file changes nothing", async () => {
    await new Promise((r) => setTimeout(r, 1100));
    const server = await start(["--data", data, "--seed", EXAMPLE]);
    assert.match(server.logs(), /seed .*: unchanged/);
    const sdk = server.client();
    const pool = (await sdk.send(new DescribeUserPoolCommand({ UserPoolId: POOL }))).UserPool!;
    assert.deepEqual(pool.LastModifiedDate, first.pool);
    const web = (await sdk.send(new DescribeUserPoolClientCommand({ UserPoolId: POOL, ClientId: WEB })))
      .UserPoolClient!;
    assert.deepEqual(web.LastModifiedDate, first.web);
    const m2m = (await sdk.send(new DescribeUserPoolClientCommand({ UserPoolId: POOL, ClientId: M2M })))
      .UserPoolClient!;
    assert.deepEqual(m2m.LastModifiedDate, first.m2m);
    const alice = await sdk.send(
      new AdminGetUserCommand({ UserPoolId: POOL, Username: "alice@example.com" }),
    );
    assert.equal(alice.UserStatus, "CONFIRMED");
    await server.stop();
  });

  test("a changed file updates what differs to match, and leaves the rest alone", async () => {
    const doc = example();
    const pool = doc.pools[0]!;
    pool.PoolName = "example-renamed";
    const clients = pool.clients as Record<string, unknown>[];
    clients[0]!.CallbackURLs = ["http://localhost:4000/callback"];
    const users = pool.users as Record<string, unknown>[];
    users[1]!.Attributes = { email_verified: "true", given_name: "Robert" };
    users[1]!.Groups = ["admin"];
    users[0]!.Enabled = false;
    const server = await start(["--data", data, "--seed", write("changed.yaml", doc)]);
    assert.match(server.logs(), /seed .*: 0 created, 5 updated, 0 deleted/);
    const sdk = server.client();
    const described = (await sdk.send(new DescribeUserPoolCommand({ UserPoolId: POOL }))).UserPool!;
    assert.equal(described.Name, "example-renamed");
    assert.deepEqual(described.UsernameAttributes, ["email"]);
    const web = (await sdk.send(new DescribeUserPoolClientCommand({ UserPoolId: POOL, ClientId: WEB })))
      .UserPoolClient!;
    assert.deepEqual(web.CallbackURLs, ["http://localhost:4000/callback"]);
    assert.deepEqual(web.AllowedOAuthScopes?.sort(), ["email", "openid", "profile"]);
    const bob = await sdk.send(new AdminGetUserCommand({ UserPoolId: POOL, Username: "bob@example.com" }));
    assert.equal(bob.UserAttributes!.find((a) => a.Name === "given_name")!.Value, "Robert");
    const groups = await sdk.send(
      new AdminListGroupsForUserCommand({ UserPoolId: POOL, Username: "bob@example.com" }),
    );
    assert.deepEqual(
      groups.Groups!.map((g) => g.GroupName),
      ["admin"],
    );
    const alice = await sdk.send(
      new AdminGetUserCommand({ UserPoolId: POOL, Username: "alice@example.com" }),
    );
    assert.equal(alice.Enabled, false);
    // Bob's password was not touched: he still signs in with it.
    assert.ok((await passwordSignIn(sdk, WEB, "bob@example.com", "Bob-passw0rd!")).AuthenticationResult);
    await server.stop();
  });

  test("prune: true deletes what the file does not name", async () => {
    const doc = example();
    doc.prune = true;
    const pool = doc.pools[0]!;
    pool.PoolName = "example-renamed";
    pool.clients = (pool.clients as Record<string, unknown>[]).slice(0, 1);
    pool.users = (pool.users as Record<string, unknown>[]).slice(1);
    const server = await start(["--data", data, "--seed", write("pruned.json", doc)]);
    assert.match(server.logs(), /deleted/);
    const sdk = server.client();
    const users = await sdk.send(new ListUsersCommand({ UserPoolId: POOL }));
    assert.deepEqual(
      users.Users!.map((u) => u.Attributes!.find((a) => a.Name === "email")!.Value),
      ["bob@example.com"],
    );
    await assert.rejects(
      sdk.send(new DescribeUserPoolClientCommand({ UserPoolId: POOL, ClientId: M2M })),
      (e: Error) => e.name === "ResourceNotFoundException",
    );
    await server.stop();
  });
});

describe("refused seed files", () => {
  test("an invalid member: the file, the path inside it and the AWS error; the server does not start", async () => {
    const doc = example();
    (doc.pools[0]!.clients as Record<string, unknown>[])[1]!.CallbackURLs = ["x".repeat(1025)];
    const file = write("bad-callback.yaml", doc);
    await assert.rejects(startServer({ args: ["--memory", "--seed", file] }), (e: Error) => {
      assert.match(e.message, /server exited with 2/);
      assert.ok(
        e.message.includes(
          `${file}: pools[0].clients[1].CallbackURLs: InvalidParameterException: 1 validation error detected:`,
        ),
        e.message,
      );
      return true;
    });
  });

  test("ids that are not Cognito's forms are refused", async () => {
    const doc = example();
    doc.pools[0]!.Id = "us-east-1_short";
    await assert.rejects(
      startServer({ args: ["--memory", "--seed", write("bad-pool-id.yaml", doc)] }),
      /pools\[0\]\.Id: InvalidParameterException: a pool id is <region>_<9 letters and digits>/,
    );
    const other = example();
    (other.pools[0]!.clients as Record<string, unknown>[])[0]!.ClientId = "Not-A-Client-Id";
    await assert.rejects(
      startServer({ args: ["--memory", "--seed", write("bad-client-id.yaml", other)] }),
      /pools\[0\]\.clients\[0\]\.ClientId: InvalidParameterException: an app client id is 26 lower-case/,
    );
  });

  test("an error while applying rolls everything back: nothing is half-applied", async () => {
    const doc = example();
    const second = structuredClone(doc.pools[0]!);
    second.Id = "us-east-1_Example02";
    second.clients = [
      {
        ClientId: "examplem2mclient0000000002",
        ClientName: "bad",
        ClientSecret: "examplesecretexamplesecretexamplesecretexamplesec",
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ["client_credentials"],
        AllowedOAuthScopes: ["https://api.example.com/orders.write"],
      },
    ];
    doc.pools.push(second);
    const data = join(dir, "rollback");
    const file = write("rollback.yaml", doc);
    await assert.rejects(startServer({ args: ["--data", data, "--seed", file] }), (e: Error) => {
      assert.ok(e.message.includes(`${file}: pools[1].clients[0]: `), e.message);
      assert.match(e.message, /nothing applied/);
      return true;
    });
    const server = await start(["--data", data]);
    const pools = await server.client().send(new ListUserPoolsCommand({ MaxResults: 10 }));
    assert.deepEqual(pools.UserPools, []);
    await server.stop();
  });

  test("an unknown key and a user in a group the pool lacks are refused", async () => {
    const doc = example();
    (doc.pools[0]! as Record<string, unknown>).Clients = [];
    await assert.rejects(
      startServer({ args: ["--memory", "--seed", write("unknown-key.yaml", doc)] }),
      /pools\[0\]\.Clients: InvalidParameterException: is not a key of this place/,
    );
    const other = example();
    (other.pools[0]!.users as Record<string, unknown>[])[1]!.Groups = ["staff"];
    await assert.rejects(
      startServer({ args: ["--memory", "--seed", write("unknown-group.yaml", other)] }),
      /pools\[0\]\.users\[1\]\.Groups\[0\]: InvalidParameterException: names no group of the pool: staff/,
    );
  });
});

describe("federated users", () => {
  test("an EXTERNAL_PROVIDER user keeps its <ProviderName>_<subject> username, even in an email pool", async () => {
    const file = write("federated.yaml", {
      pools: [
        {
          Id: "us-east-1_Federate1",
          PoolName: "federated",
          UsernameAttributes: ["email"],
          identityProviders: [
            {
              ProviderName: "Google",
              ProviderType: "Google",
              ProviderDetails: {
                client_id: "1example23456789.apps.googleusercontent.com",
                client_secret: "provider-app-client-secret",
                authorize_scopes: "email profile openid",
              },
            },
          ],
          users: [
            {
              Username: "Google_104836271534",
              Status: "EXTERNAL_PROVIDER",
              Attributes: { email: "erin@example.com" },
            },
          ],
        },
      ],
    });
    const server = await start(["--memory", "--seed", file]);
    const user = await server
      .client()
      .send(new AdminGetUserCommand({ UserPoolId: "us-east-1_Federate1", Username: "Google_104836271534" }));
    assert.equal(user.UserStatus, "EXTERNAL_PROVIDER");
    assert.equal(user.UserAttributes!.find((a) => a.Name === "email")!.Value, "erin@example.com");
    await server.stop();
  });
});
