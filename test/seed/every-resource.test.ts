/**
 * A seed file with every kind of resource (a custom attribute, trigger mappings, device tracking,
 * the MFA configuration, an identity provider, a domain, managed login branding, UI
 * customization, a user with a TOTP secret in the clear): applied, applied again without a write,
 * exported and applied on another Lanyard without a write the second time.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { generateSync } from "otplib";
import {
  AdminGetUserCommand,
  DescribeIdentityProviderCommand,
  DescribeManagedLoginBrandingByClientCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  DescribeUserPoolDomainCommand,
  GetUICustomizationCommand,
  RespondToAuthChallengeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { root } from "../support/process.ts";
import { passwordSignIn, runLanyard } from "../support/seed.ts";
import { startServer, type TestServer } from "../support/server.ts";

const FILE = join(root, "test", "fixtures", "seed", "every-resource.yaml");
const POOL = "eu-west-1_Rich00001";
const WEB = "richclient0000000000000001";
const CLASSIC = "richclient0000000000000002";
const SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const KEY = randomBytes(32).toString("hex");

const dir = mkdtempSync(join(tmpdir(), "lanyard-seed-all-"));
const servers: TestServer[] = [];
after(async () => {
  for (const s of servers) await s.stop();
});
async function start(args: string[]): Promise<TestServer> {
  const server = await startServer({ args });
  servers.push(server);
  return server;
}

async function check(server: TestServer): Promise<void> {
  const sdk = server.client(undefined, "eu-west-1");
  const pool = (await sdk.send(new DescribeUserPoolCommand({ UserPoolId: POOL }))).UserPool!;
  assert.ok(pool.SchemaAttributes!.some((a) => a.Name === "custom:tenant"));
  assert.equal(pool.LambdaConfig?.PreSignUp, "arn:aws:lambda:eu-west-1:123456789012:function:pre");
  assert.equal(pool.MfaConfiguration, "OPTIONAL");
  assert.equal(pool.Domain, "rich-example");
  const idp = (
    await sdk.send(new DescribeIdentityProviderCommand({ UserPoolId: POOL, ProviderName: "Google" }))
  ).IdentityProvider!;
  assert.equal(idp.ProviderDetails!.client_id, "1example23456789.apps.googleusercontent.com");
  const domain = (await sdk.send(new DescribeUserPoolDomainCommand({ Domain: "rich-example" })))
    .DomainDescription!;
  assert.equal(domain.UserPoolId, POOL);
  assert.equal(domain.ManagedLoginVersion, 2);
  const web = (await sdk.send(new DescribeUserPoolClientCommand({ UserPoolId: POOL, ClientId: WEB })))
    .UserPoolClient!;
  assert.deepEqual(web.SupportedIdentityProviders?.sort(), ["COGNITO", "Google"]);
  const branding = await sdk.send(
    new DescribeManagedLoginBrandingByClientCommand({ UserPoolId: POOL, ClientId: WEB }),
  );
  assert.equal(branding.ManagedLoginBranding!.UseCognitoProvidedValues, true);
  const ui = await sdk.send(new GetUICustomizationCommand({ UserPoolId: POOL, ClientId: CLASSIC }));
  assert.match(ui.UICustomization!.CSS!, /#123456/);
  const carol = await sdk.send(new AdminGetUserCommand({ UserPoolId: POOL, Username: "carol" }));
  assert.equal(carol.UserAttributes!.find((a) => a.Name === "custom:tenant")!.Value, "acme");
  assert.equal(carol.PreferredMfaSetting, "SOFTWARE_TOKEN_MFA");
}

async function totpSignIn(server: TestServer): Promise<void> {
  const sdk = server.client(undefined, "eu-west-1");
  const challenge = await passwordSignIn(sdk, CLASSIC, "carol", "Carol-passw0rd!");
  assert.equal(challenge.ChallengeName, "SOFTWARE_TOKEN_MFA");
  const done = await sdk.send(
    new RespondToAuthChallengeCommand({
      ClientId: CLASSIC,
      ChallengeName: "SOFTWARE_TOKEN_MFA",
      Session: challenge.Session,
      ChallengeResponses: {
        USERNAME: "carol",
        SOFTWARE_TOKEN_MFA_CODE: generateSync({ secret: SECRET, epoch: Math.floor(Date.now() / 1000) }),
      },
    }),
  );
  assert.ok(done.AuthenticationResult?.AccessToken);
}

test("every kind of resource: applied, applied again without a write, exported and applied elsewhere", async () => {
  // The source on SQLite (`lanyard export` reads it), the target on PostgreSQL when the tests run there.
  const data = ["--storage", "sqlite", "--data", join(dir, "source")];
  const first = await start([...data, "--seed", FILE]);
  assert.match(first.logs(), /seed .*: 8 created/);
  await check(first);
  await first.stop();
  const second = await start([...data, "--seed", FILE]);
  assert.match(second.logs(), /seed .*: unchanged/);
  await totpSignIn(second);
  await second.stop();

  const exported = await runLanyard(["export", ...data, "--seed-key", KEY]);
  assert.equal(exported.code, 0, exported.stderr);
  const file = join(dir, "export.yaml");
  writeFileSync(file, exported.stdout);
  const same = await start([...data, "--seed", file, "--seed-key", KEY]);
  assert.match(same.logs(), /seed .*: unchanged/);
  await same.stop();

  const target = ["--data", join(dir, "target")];
  const other = await start([...target, "--seed", file, "--seed-key", KEY]);
  await check(other);
  await totpSignIn(other);
  await other.stop();
  const again = await start([...target, "--seed", file, "--seed-key", KEY]);
  assert.match(again.logs(), /seed .*: unchanged/);
});
