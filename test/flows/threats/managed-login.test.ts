/**
 * Adaptive authentication on the managed login pages: the browser's User-Agent and address are the
 * signals, and MFA_REQUIRED sends a sign-in from a new browser to the email code page, in a pool
 * without MFA.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  AdminListUserAuthEventsCommand,
  type CognitoIdentityProviderClient,
  SetRiskConfigurationCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import * as oidc from "openid-client";
import { inbox } from "../../support/inbox.ts";
import {
  authorizationUrl,
  browse,
  callbackOf,
  csrfOf,
  formAction,
  hiddenFields,
  Jar,
  type OAuthApp,
  oauthApp,
  PASSWORD,
  relyingParty,
} from "../../support/oauth.ts";
import { startServer, type TestServer } from "../../support/server.ts";

describe("adaptive authentication on the managed login pages", () => {
  let server: TestServer;
  let sdk: CognitoIdentityProviderClient;
  let app: OAuthApp;
  let config: oidc.Configuration;

  before(async () => {
    server = await startServer({ args: ["--memory", "--delivery", "inbox"] });
    sdk = server.client();
    app = await oauthApp(
      server,
      {},
      {},
      {
        UserPoolTier: "PLUS",
        UserPoolAddOns: { AdvancedSecurityMode: "ENFORCED" },
      },
    );
    config = await relyingParty(app);
    const mfa = { EventAction: "MFA_REQUIRED" as const, Notify: false };
    await sdk.send(
      new SetRiskConfigurationCommand({
        UserPoolId: app.poolId,
        AccountTakeoverRiskConfiguration: { Actions: { LowAction: mfa, MediumAction: mfa, HighAction: mfa } },
      }),
    );
  });
  after(() => server.stop());

  /** A browser with its own User-Agent: every request it makes sends it. */
  function browser(agent: string) {
    const jar = new Jar();
    const get = (url: string) => browse(url, jar, { headers: { "user-agent": agent } });
    const post = (page: string, fields: Record<string, string>) =>
      browse(`${server.url}${formAction(page)}`, jar, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", "user-agent": agent },
        body: new URLSearchParams({ ...hiddenFields(page), _csrf: csrfOf(page), ...fields }).toString(),
      });
    return { get, post };
  }

  async function signIn(agent: string) {
    const b = browser(agent);
    const attempt = await authorizationUrl(config);
    const first = await b.get(attempt.url.href);
    const login = await b.get(new URL(first.headers.get("location")!, server.url).href);
    const res = await b.post(await login.text(), { username: "alice", password: PASSWORD });
    return { b, attempt, res };
  }

  async function tokensOf(res: Response, attempt: { verifier: string; state: string; nonce: string }) {
    const tokens = await oidc.authorizationCodeGrant(config, callbackOf(res), {
      pkceCodeVerifier: attempt.verifier,
      expectedState: attempt.state,
      expectedNonce: attempt.nonce,
    });
    return tokens.claims()!;
  }

  test("a known browser signs in; a new one answers the email code first", async () => {
    const known = await signIn("Firefox/1.0 (test)");
    assert.equal((await tokensOf(known.res, known.attempt))["cognito:username"], "alice");

    const fresh = await signIn("Chromium/2.0 (test)");
    assert.equal(fresh.res.status, 200, "the password leads to a code page, not to the callback");
    const page = await fresh.res.text();
    assert.equal(hiddenFields(page).challenge, "EMAIL_OTP");
    const [mail] = (await inbox(server, { poolId: app.poolId, username: "alice" })).filter(
      (m) => !m.purpose.startsWith("account_takeover"),
    );
    const done = await fresh.b.post(page, { answer: mail!.code });
    assert.equal((await tokensOf(done, fresh.attempt))["cognito:username"], "alice");

    const { AuthEvents } = await sdk.send(
      new AdminListUserAuthEventsCommand({ UserPoolId: app.poolId, Username: "alice" }),
    );
    assert.deepEqual(
      AuthEvents!.map((e) => [e.EventResponse, e.EventRisk?.RiskLevel, e.EventContextData?.DeviceName]),
      [
        ["Pass", "Low", "Chromium/2.0 (test)"],
        ["Pass", undefined, "Firefox/1.0 (test)"],
      ],
    );
  });
});
