/**
 * A web app on another origin signs in with amazon-cognito-identity-js in a real browser: the
 * library calls Lanyard's `POST /` straight from the page, so every call is a CORS request with a
 * preflight. The page also reads the pool's JWKS and discovery document, and a wrong password
 * comes back as Cognito sends it (400, NotAuthorizedException readable by the library).
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import type { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { browserMissing, bundle, newContext, serveSite, type StaticSite } from "../support/browser.ts";
import { confirmedUser, poolWithClient } from "../support/pools.ts";
import { startServer, type TestServer } from "../support/server.ts";

const PAGE_SCRIPT = `
import { AuthenticationDetails, CognitoUser, CognitoUserPool } from "amazon-cognito-identity-js";

function signIn({ endpoint, poolId, clientId, username, password }) {
  const pool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint });
  const user = new CognitoUser({ Username: username, Pool: pool });
  return new Promise((resolve) => {
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), {
      onSuccess: (session) => {
        const claims = session.getIdToken().decodePayload();
        document.querySelector("#status").textContent = "Signed in as " + claims["cognito:username"];
        document.querySelector("#claims").textContent = JSON.stringify(claims, null, 2);
        resolve({ ok: true, idToken: session.getIdToken().getJwtToken(), claims });
      },
      onFailure: (err) => {
        document.querySelector("#status").textContent = "Sign-in failed: " + err.code;
        resolve({ ok: false, code: err.code, name: err.name, message: err.message });
      },
    });
  });
}

async function getJson(url) {
  try {
    const res = await fetch(url);
    return { status: res.status, body: await res.json() };
  } catch (e) {
    return { error: String(e) };
  }
}

window.lanyard = { signIn, getJson };
`;

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>Lanyard CORS test app</title>
<style>body { font: 14px sans-serif; margin: 2em } pre { background: #eee; padding: 1em }</style>
</head><body>
<h1>Sign in from another origin</h1>
<p id="status">Not signed in</p>
<pre id="claims"></pre>
<script src="/bundle.js"></script>
</body></html>`;

describe("CORS: a browser app on another origin", { skip: browserMissing() }, () => {
  let server: TestServer;
  let admin: CognitoIdentityProviderClient;
  let site: StaticSite;
  let dir: string;
  let poolId: string;
  let clientId: string;
  const password = "Br0wser-password!";

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "lanyard-cors-"));
    const script = await bundle(PAGE_SCRIPT, dir);
    site = await serveSite({ "/": PAGE, "/bundle.js": script });
    server = await startServer();
    admin = server.client();
    ({ poolId, clientId } = await poolWithClient(admin, {
      pool: { PoolName: "browser" },
      app: { ClientName: "spa", ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] },
    }));
    await confirmedUser(admin, poolId, "ada", password);
  });
  after(async () => {
    await site?.close();
    await server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test("signs in with SRP through amazon-cognito-identity-js, preflights answered", async () => {
    const context = await newContext();
    try {
      const page = await context.newPage();
      // Preflights do not show as page events; the DevTools protocol reports them.
      const preflights: Array<{ status: number; headers: Record<string, string> }> = [];
      const cdp = await context.newCDPSession(page);
      await cdp.send("Network.enable");
      const preflightIds = new Set<string>();
      cdp.on("Network.requestWillBeSent", (e) => {
        if (e.request.method === "OPTIONS" && e.request.url.startsWith(server.url))
          preflightIds.add(e.requestId);
      });
      cdp.on("Network.responseReceived", (e) => {
        if (
          preflightIds.has(e.requestId) ||
          (e.type === "Preflight" && e.response.url.startsWith(server.url))
        )
          preflights.push({
            status: e.response.status,
            headers: Object.fromEntries(
              Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), String(v)]),
            ),
          });
      });
      await page.goto(site.origin);
      assert.notEqual(new URL(page.url()).origin, new URL(server.url).origin);

      const result = await page.evaluate(
        (cfg) =>
          (globalThis as unknown as { lanyard: { signIn(c: typeof cfg): Promise<unknown> } }).lanyard.signIn(
            cfg,
          ),
        { endpoint: `${server.url}/`, poolId, clientId, username: "ada", password },
      );
      const ok = result as { ok: boolean; code?: string; claims?: Record<string, unknown> };
      assert.equal(ok.ok, true, `sign-in failed: ${JSON.stringify(result)}`);
      assert.equal(ok.claims!["cognito:username"], "ada");
      assert.equal(ok.claims!.iss, `${server.url}/${poolId}`);
      await page.locator("#status", { hasText: "Signed in as ada" }).waitFor();

      // The library's content-type and x-amz-target (and x-amz-user-agent) are not CORS-safelisted:
      // the browser asked first.
      assert.ok(preflights.length >= 1, "no preflight was sent");
      for (const p of preflights) {
        assert.equal(p.status, 200);
        assert.equal(p.headers["access-control-allow-origin"], "*");
        assert.equal(p.headers["access-control-allow-methods"], "POST");
        const allowed = (p.headers["access-control-allow-headers"] ?? "").split(",");
        assert.ok(allowed.includes("content-type") && allowed.includes("x-amz-target"), allowed.join(","));
        assert.equal(p.headers["access-control-max-age"], "172800");
      }

      await page.screenshot({ path: path.join(dir, "signed-in.png") });
    } finally {
      await context.close();
    }
  });

  test("a wrong password is a readable 400 NotAuthorizedException, as Cognito sends it", async () => {
    const context = await newContext();
    try {
      const page = await context.newPage();
      const statuses: number[] = [];
      page.on("response", (res) => {
        if (res.request().method() === "POST" && res.url().startsWith(server.url))
          statuses.push(res.status());
      });
      await page.goto(site.origin);
      const result = await page.evaluate(
        (cfg) =>
          (globalThis as unknown as { lanyard: { signIn(c: typeof cfg): Promise<unknown> } }).lanyard.signIn(
            cfg,
          ),
        { endpoint: `${server.url}/`, poolId, clientId, username: "ada", password: "Wr0ng-password!" },
      );
      assert.deepEqual(
        { ...(result as Record<string, unknown>) },
        {
          ok: false,
          code: "NotAuthorizedException",
          name: "NotAuthorizedException",
          message: "Incorrect username or password.",
        },
      );
      assert.equal(statuses.at(-1), 400);
    } finally {
      await context.close();
    }
  });

  test("the page reads the pool's JWKS and discovery document", async () => {
    const context = await newContext();
    try {
      const page = await context.newPage();
      await page.goto(site.origin);
      const getJson = (url: string) =>
        page.evaluate(
          (u) =>
            (globalThis as unknown as { lanyard: { getJson(u: string): Promise<unknown> } }).lanyard.getJson(
              u,
            ),
          url,
        ) as Promise<{ status?: number; body?: Record<string, unknown>; error?: string }>;
      const discovery = await getJson(`${server.url}/${poolId}/.well-known/openid-configuration`);
      assert.equal(discovery.status, 200, discovery.error);
      assert.equal(discovery.body!.issuer, `${server.url}/${poolId}`);
      const jwks = await getJson(discovery.body!.jwks_uri as string);
      assert.equal(jwks.status, 200, jwks.error);
      assert.ok(Array.isArray(jwks.body!.keys) && (jwks.body!.keys as unknown[]).length > 0);
    } finally {
      await context.close();
    }
  });

  test("preflights allow the SDK's headers and refuse others; responses expose the AWS headers", async () => {
    const preflight = await fetch(`${server.url}/`, {
      method: "OPTIONS",
      headers: {
        origin: site.origin,
        "access-control-request-method": "POST",
        "access-control-request-headers":
          "content-type,x-amz-target,x-amz-user-agent,x-amz-date,authorization,x-amz-security-token,amz-sdk-invocation-id,amz-sdk-request,cache-control,x-not-allowed",
      },
    });
    assert.equal(preflight.status, 200);
    assert.equal(
      preflight.headers.get("access-control-allow-headers"),
      "content-type,x-amz-target,x-amz-user-agent,x-amz-date,authorization,x-amz-security-token,amz-sdk-invocation-id,amz-sdk-request,cache-control",
    );
    const res = await fetch(`${server.url}/`, {
      method: "POST",
      headers: {
        origin: site.origin,
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": "AWSCognitoIdentityProviderService.InitiateAuth",
      },
      body: JSON.stringify({
        AuthFlow: "USER_SRP_AUTH",
        ClientId: "nothere0000000000000000000",
        AuthParameters: {},
      }),
    });
    assert.equal(res.headers.get("access-control-allow-origin"), "*");
    assert.equal(
      res.headers.get("access-control-expose-headers"),
      "x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date",
    );
    const jwks = await fetch(`${server.url}/${poolId}/.well-known/jwks.json`, {
      method: "OPTIONS",
      headers: { origin: site.origin, "access-control-request-method": "GET" },
    });
    assert.equal(jwks.status, 200);
    assert.equal(jwks.headers.get("access-control-allow-origin"), "*");
    assert.equal(jwks.headers.get("access-control-allow-methods"), "GET,HEAD");
  });
});
