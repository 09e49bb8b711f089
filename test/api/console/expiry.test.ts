/**
 * The console over plain HTTP with the test clock: the token decoder's expiry and issuer checks,
 * and the end of a console session.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { InitiateAuthCommand } from "@aws-sdk/client-cognito-identity-provider";
import { confirmedUser, poolWithClient } from "../../support/pools.ts";
import { ConsoleBrowser as Browser, moveClock } from "../../support/console-browser.ts";
import { startServer, type TestServer } from "../../support/server.ts";

function checks(page: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of page.matchAll(
    /<td>([\w ]+)<\/td>\s*<td><span class="(?:ok|bad)">(pass|fail)<\/span><\/td>/g,
  ))
    out[m[1]!] = m[2]!;
  return out;
}

describe("console token decoder and the test clock", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ args: ["--memory", "--enable-test-clock"] });
  });
  after(async () => {
    await moveClock(server, 0);
    await server?.stop();
  });

  test("a token past its exp fails the expiry check; a token of no pool fails the issuer check", async () => {
    const sdk = server.client();
    const { poolId, clientId } = await poolWithClient(sdk, {
      app: { ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] },
    });
    await confirmedUser(sdk, poolId, "dave", "Dave-Passw0rd!");
    const { AuthenticationResult } = await sdk.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "dave", PASSWORD: "Dave-Passw0rd!" },
      }),
    );
    const token = AuthenticationResult!.AccessToken!;
    const b = new Browser(server.url);
    await b.get("/console/token");
    const now = await (await b.post("/console/token", { token })).text();
    assert.deepEqual(checks(now), {
      Format: "pass",
      Issuer: "pass",
      Signature: "pass",
      Expiry: "pass",
      token_use: "pass",
      Revocation: "pass",
    });
    assert.match(now, /An access token\./);

    await moveClock(server, 2 * 3600 * 1000);
    const later = await (await b.post("/console/token", { token })).text();
    assert.equal(checks(later).Expiry, "fail");
    assert.equal(checks(later).Signature, "pass");
    await moveClock(server, 0);

    // The same claims under another pool id: no pool of this server issued it.
    const [h, p, s] = token.split(".") as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, "base64url").toString()) as { iss: string };
    claims.iss = claims.iss.replace(poolId, "us-east-1_000000000");
    const other = `${h}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${s}`;
    const page = await (await b.post("/console/token", { token: other })).text();
    assert.equal(checks(page).Issuer, "fail");
    assert.equal(checks(page).Signature, "fail");
    assert.match(page, /names no user pool of this server/);
  });
});

describe("console session expiry", () => {
  let server: TestServer;
  const KEY = { accessKeyId: "AKIAEXPIRY", secretAccessKey: "expiry-secret-key-0123456789" };
  before(async () => {
    server = await startServer({
      args: ["--memory", "--enable-test-clock"],
      env: { LANYARD_ACCESS_KEY_ID: KEY.accessKeyId, LANYARD_SECRET_ACCESS_KEY: KEY.secretAccessKey },
    });
  });
  after(async () => {
    await server?.stop();
  });

  test("a session ends after 8 hours", async () => {
    const b = new Browser(server.url);
    const login = await b.get("/console/pools");
    assert.equal(login.status, 303);
    assert.equal(login.headers.get("location"), "/console/login");
    await b.get("/console/login");
    const signedIn = await b.post("/console/login", {
      accessKeyId: KEY.accessKeyId,
      secretAccessKey: KEY.secretAccessKey,
    });
    assert.equal(signedIn.status, 303);
    assert.equal((await b.get("/console/pools")).status, 200);
    await moveClock(server, 8 * 3600 * 1000 - 60_000);
    assert.equal((await b.get("/console/pools")).status, 200);
    await moveClock(server, 8 * 3600 * 1000 + 1000);
    const expired = await b.get("/console/pools");
    assert.equal(expired.status, 303);
    assert.equal(expired.headers.get("location"), "/console/login");
    assert.equal((await b.post("/console/pools", { PoolName: "late" })).status, 401);
  });
});
