/**
 * Refusals of the authorize and token endpoints: an unknown client or redirect URI gets an error
 * page (never a redirect); later errors go back to the client with the state; the token endpoint
 * answers RFC 6749 error bodies; codes are single use, bound to their client, redirect URI and PKCE
 * verifier, and expire after five minutes.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import * as oidc from "openid-client";
import { setClockOffset } from "../support/inbox.ts";
import {
  authorizationUrl,
  browse,
  CALLBACK,
  callbackOf,
  Jar,
  oauthApp,
  PASSWORD,
  relyingParty,
  signInAt,
} from "../support/oauth.ts";
import { startServer, type TestServer } from "../support/server.ts";

describe("OAuth refusals", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ args: ["--memory", "--enable-test-clock"] });
  });
  after(() => server.stop());

  const authorize = (params: Record<string, string>) =>
    browse(`${server.url}/oauth2/authorize?${new URLSearchParams(params)}`, new Jar());

  /** A code for `app`, with the PKCE verifier that goes with it. */
  async function codeFor(app: Awaited<ReturnType<typeof oauthApp>>, config: oidc.Configuration) {
    const { url, verifier, state } = await authorizationUrl(config);
    const callback = callbackOf(await signInAt(server, url, "alice", PASSWORD));
    assert.equal(callback.searchParams.get("state"), state);
    return { code: callback.searchParams.get("code")!, verifier, app };
  }

  const token = (form: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/oauth2/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
      body: new URLSearchParams(form).toString(),
    });

  test("an unknown client or a redirect URI not among the CallbackURLs gets an error page, never a redirect", async () => {
    const app = await oauthApp(server);
    for (const params of [
      { response_type: "code", client_id: "nosuchclient000000000000000", redirect_uri: CALLBACK },
      { response_type: "code", client_id: app.clientId, redirect_uri: "http://localhost:8976/other" },
      { response_type: "code", client_id: app.clientId, redirect_uri: `${CALLBACK}/` },
      { response_type: "code", client_id: app.clientId },
    ] as Record<string, string>[]) {
      const res = await authorize(params);
      assert.equal(res.status, 400, JSON.stringify(params));
      assert.equal(res.headers.get("location"), null);
      assert.match(await res.text(), /An error was encountered with the requested page/);
    }
    const mismatch = await authorize({
      response_type: "code",
      client_id: app.clientId,
      redirect_uri: "https://evil.example/cb",
    });
    assert.match(await mismatch.text(), /redirect_mismatch/);
  });

  test("later errors go back to the redirect URI with the state", async () => {
    const app = await oauthApp(server, { AllowedOAuthFlows: ["code"] });
    const base = { client_id: app.clientId, redirect_uri: CALLBACK, state: "s-1" };
    const cases: [Record<string, string>, string][] = [
      [{ response_type: "id_token" }, "unsupported_response_type"],
      [{}, "invalid_request"],
      [{ response_type: "code", scope: "openid phone" }, "invalid_scope"],
      [{ response_type: "code", scope: "https://api.example/read" }, "invalid_scope"],
      [{ response_type: "code", identity_provider: "Google" }, "invalid_request"],
      [{ response_type: "code", code_challenge_method: "S256" }, "invalid_request"],
      [
        { response_type: "code", code_challenge: "x".repeat(43), code_challenge_method: "S512" },
        "invalid_request",
      ],
      [{ response_type: "code", resource: "not a uri" }, "invalid_request"],
    ];
    for (const [extra, error] of cases) {
      const location = callbackOf(await authorize({ ...base, ...extra }));
      assert.equal(location.origin + location.pathname, CALLBACK);
      assert.equal(location.searchParams.get("error"), error, JSON.stringify(extra));
      assert.equal(location.searchParams.get("state"), "s-1");
    }
    // The implicit grant is not among this client's flows; its error goes in the fragment.
    const implicit = callbackOf(await authorize({ ...base, response_type: "token" }));
    assert.equal(new URLSearchParams(implicit.hash.slice(1)).get("error"), "unauthorized_client");
    // identity_provider=COGNITO is the pool's own sign-in.
    const ok = await authorize({ ...base, response_type: "code", identity_provider: "COGNITO" });
    assert.match(ok.headers.get("location") ?? "", /^\/login\?/);
  });

  test("a client without OAuth enabled is refused", async () => {
    const app = await oauthApp(server, { AllowedOAuthFlowsUserPoolClient: false });
    const location = callbackOf(
      await authorize({ response_type: "code", client_id: app.clientId, redirect_uri: CALLBACK }),
    );
    assert.equal(location.searchParams.get("error"), "unauthorized_client");
  });

  test("a code is redeemed once, by its client, with its redirect URI and PKCE verifier", async () => {
    const app = await oauthApp(server);
    const other = await oauthApp(server);
    const config = await relyingParty(app);
    const body = (c: { code: string; verifier: string }, extra: Record<string, string> = {}) => ({
      grant_type: "authorization_code",
      client_id: app.clientId,
      code: c.code,
      redirect_uri: CALLBACK,
      code_verifier: c.verifier,
      ...extra,
    });
    const expectError = async (res: Response, error: string, status = 400) => {
      assert.equal(res.status, status);
      assert.deepEqual(await res.json(), { error });
    };

    const wrongVerifier = await codeFor(app, config);
    await expectError(
      await token(body(wrongVerifier, { code_verifier: oidc.randomPKCECodeVerifier() })),
      "invalid_grant",
    );
    const noVerifier = await codeFor(app, config);
    const { code_verifier: _, ...withoutVerifier } = body(noVerifier);
    await expectError(await token(withoutVerifier), "invalid_grant");
    const wrongRedirect = await codeFor(app, config);
    await expectError(
      await token(body(wrongRedirect, { redirect_uri: "http://localhost:8976/other" })),
      "invalid_grant",
    );
    const otherClient = await codeFor(app, config);
    await expectError(await token(body(otherClient, { client_id: other.clientId })), "invalid_grant");

    const good = await codeFor(app, config);
    const first = await token(body(good));
    assert.equal(first.status, 200);
    assert.equal(first.headers.get("cache-control"), "no-store");
    await expectError(await token(body(good)), "invalid_grant");
  });

  test("a code expires after five minutes (test clock)", async () => {
    const app = await oauthApp(server);
    const config = await relyingParty(app);
    const late = await codeFor(app, config);
    const inTime = await codeFor(app, config);
    const form = (c: { code: string; verifier: string }) => ({
      grant_type: "authorization_code",
      client_id: app.clientId,
      code: c.code,
      redirect_uri: CALLBACK,
      code_verifier: c.verifier,
    });
    try {
      await setClockOffset(server, 4 * 60_000);
      assert.equal((await token(form(inTime))).status, 200);
      await setClockOffset(server, 5 * 60_000 + 1000);
      const res = await token(form(late));
      assert.equal(res.status, 400);
      assert.deepEqual(await res.json(), { error: "invalid_grant" });
    } finally {
      await setClockOffset(server, 0);
    }
  });

  test("the token endpoint's request errors", async () => {
    const app = await oauthApp(server);
    const secretApp = await oauthApp(server, { GenerateSecret: true });
    const cases: [Record<string, string>, Record<string, string>, string, number][] = [
      [{}, {}, "invalid_request", 400],
      [{ grant_type: "password", client_id: app.clientId }, {}, "unsupported_grant_type", 400],
      [
        { grant_type: "authorization_code", client_id: app.clientId, redirect_uri: CALLBACK },
        {},
        "invalid_request",
        400,
      ],
      [{ grant_type: "authorization_code", code: "x", redirect_uri: CALLBACK }, {}, "invalid_request", 400],
      [
        { grant_type: "authorization_code", client_id: "nosuch", code: "x", redirect_uri: CALLBACK },
        {},
        "invalid_client",
        400,
      ],
      [
        {
          grant_type: "authorization_code",
          client_id: secretApp.clientId,
          code: "x",
          redirect_uri: CALLBACK,
        },
        {},
        "invalid_client",
        400,
      ],
      [
        {
          grant_type: "authorization_code",
          client_id: app.clientId,
          code: "nosuchcode",
          redirect_uri: CALLBACK,
        },
        {},
        "invalid_grant",
        400,
      ],
      [
        { grant_type: "refresh_token", client_id: app.clientId, refresh_token: "nosuchtoken" },
        {},
        "invalid_grant",
        400,
      ],
      [{ grant_type: "client_credentials", client_id: app.clientId }, {}, "unauthorized_client", 400],
    ];
    for (const [form, headers, error, status] of cases) {
      const res = await token(form, headers);
      assert.equal(res.status, status, JSON.stringify(form));
      assert.equal(((await res.json()) as { error: string }).error, error, JSON.stringify(form));
    }
    const notAForm = await fetch(`${server.url}/oauth2/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ grant_type: "authorization_code" }),
    });
    assert.equal(notAForm.status, 400);
    assert.equal(((await notAForm.json()) as { error: string }).error, "invalid_request");
  });
});
