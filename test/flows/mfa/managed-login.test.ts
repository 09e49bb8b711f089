/** The managed login pages have no MFA steps yet: a user who must pass MFA is refused there, never let in without it. */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { SetUserPoolMfaConfigCommand } from "@aws-sdk/client-cognito-identity-provider";
import { authorizationUrl, oauthApp, PASSWORD, relyingParty, signInAt } from "../../support/oauth.ts";
import { startServer, type TestServer } from "../../support/server.ts";

describe("MFA and the managed login pages", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.stop());

  test("with MFA ON the login form refuses the password; with MFA OFF it signs in", async () => {
    const app = await oauthApp(server);
    const config = await relyingParty(app);
    const ok = await signInAt(server, (await authorizationUrl(config)).url, "alice", PASSWORD);
    assert.equal(ok.status, 302);

    await server.client().send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: app.poolId,
        MfaConfiguration: "ON",
        SoftwareTokenMfaConfiguration: { Enabled: true },
      }),
    );
    const refused = await signInAt(server, (await authorizationUrl(config)).url, "alice", PASSWORD);
    assert.equal(refused.status, 400);
    assert.match(await refused.text(), /Multi-factor authentication is required/);
  });
});
