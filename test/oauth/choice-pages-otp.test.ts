/**
 * Choice-based sign-in on the managed login pages with the one-time-password first factors,
 * driven with plain fetch (as a browser with JavaScript off): the username, the choice "Email me
 * a code" / "Text me a code", the code from the inbox, then the app's callback; a wrong code keeps
 * the step with the API's message.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { latestCode } from "../support/inbox.ts";
import { browse, CALLBACK, callbackOf, Jar, oauthApp, type OAuthApp, submit } from "../support/oauth.ts";
import { startServer, type TestServer } from "../support/server.ts";

const POOL = {
  EmailConfiguration: {
    EmailSendingAccount: "DEVELOPER" as const,
    SourceArn: "arn:aws:ses:us-east-1:123456789012:identity/example.com",
    From: "no-reply@example.com",
  },
  SmsConfiguration: { SnsCallerArn: "arn:aws:iam::123456789012:role/sns", ExternalId: "ext" },
  Policies: {
    SignInPolicy: {
      AllowedFirstAuthFactors: ["PASSWORD" as const, "EMAIL_OTP" as const, "SMS_OTP" as const],
    },
  },
};

describe("one-time-password first factors on the pages", () => {
  let server: TestServer;
  let app: OAuthApp;
  before(async () => {
    server = await startServer({ args: ["--memory", "--delivery", "inbox"] });
    app = await oauthApp(
      server,
      { ExplicitAuthFlows: ["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] },
      {
        username: "otto",
        attributes: [
          { Name: "email", Value: "otto@example.com" },
          { Name: "email_verified", Value: "true" },
          { Name: "phone_number", Value: "+15550100777" },
          { Name: "phone_number_verified", Value: "true" },
        ],
      },
      POOL,
    );
  });
  after(() => server.stop());

  const loginUrl = () =>
    `${server.url}/login?${new URLSearchParams({ response_type: "code", client_id: app.clientId, redirect_uri: CALLBACK, state: "st" })}`;

  /** The username step, then the choices page. */
  async function choices(jar: Jar): Promise<string> {
    const login = await browse(loginUrl(), jar);
    const res = await submit(server, await login.text(), jar, { username: "otto" });
    assert.equal(res.status, 200);
    const page = await res.text();
    assert.match(page, /value="EMAIL_OTP"[^>]*>Email me a code</);
    assert.match(page, /value="SMS_OTP"[^>]*>Text me a code</);
    return page;
  }

  for (const [answer, destination, said] of [
    ["EMAIL_OTP", "otto@example.com", /We emailed a code to <strong>o\*\*\*@e\*\*\*/],
    ["SMS_OTP", "+15550100777", /We texted a code to <strong>\+\*+0777</],
  ] as const) {
    test(`${answer}: the code from the inbox signs in; a wrong one keeps the step`, async () => {
      const jar = new Jar();
      const page = await choices(jar);
      const sent = await submit(server, page, jar, { username: "otto", answer });
      assert.equal(sent.status, 200);
      const codePage = await sent.text();
      assert.match(codePage, said);
      assert.match(codePage, /id="code"\s+name="answer"/);

      const wrong = await submit(server, codePage, jar, { answer: "000000" });
      assert.equal(wrong.status, 400);
      const again = await wrong.text();
      assert.match(again, /role="alert">[^<]*code[^<]*</i);
      assert.match(again, /id="code"\s+name="answer"/, "the step stays");

      const code = await latestCode(server, { poolId: app.poolId, destination });
      const ok = await submit(server, again, jar, { answer: code });
      const callback = callbackOf(ok);
      assert.equal(callback.origin + callback.pathname, CALLBACK);
      assert.equal(callback.searchParams.get("state"), "st");
      assert.ok(callback.searchParams.get("code"));
    });
  }
});
