/**
 * The MFA steps of the managed login pages, driven with plain fetch as a browser with JavaScript
 * off would: a code from an authenticator app (otplib in the test), a text message or an email
 * (the inbox), the choice of factor, and the setup of a first factor (an authenticator app from the
 * secret shown on the page, or an email address). Each ends on the client's callback with a code
 * good for tokens; a wrong code shows the same step with the API's message.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserMFAPreferenceCommand,
  AssociateSoftwareTokenCommand,
  type CognitoIdentityProviderClient,
  SetUserPoolMfaConfigCommand,
  VerifySoftwareTokenCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import * as oidc from "openid-client";
import { generateSync } from "otplib";
import { latestCode } from "../../support/inbox.ts";
import {
  authorizationUrl,
  callbackOf,
  hiddenFields,
  Jar,
  oauthApp,
  type OAuthApp,
  PASSWORD,
  relyingParty,
  signInAt,
  submit,
} from "../../support/oauth.ts";
import { confirmedUser } from "../../support/pools.ts";
import { startServer, type TestServer } from "../../support/server.ts";

const SMS = { SnsCallerArn: "arn:aws:iam::123456789012:role/sns", ExternalId: "ext" };
const SES = {
  EmailSendingAccount: "DEVELOPER" as const,
  SourceArn: "arn:aws:ses:us-east-1:123456789012:identity/example.com",
  From: "no-reply@example.com",
};

const totp = (secret: string, stepOffset = 0) =>
  generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + stepOffset * 30 });
const wrongCode = (right: string) => (right === "000000" ? "111111" : "000000");

describe("MFA on the managed login pages", () => {
  let server: TestServer;
  let sdk: CognitoIdentityProviderClient;
  let app: OAuthApp;
  let config: oidc.Configuration;

  before(async () => {
    server = await startServer({ args: ["--memory", "--delivery", "inbox"] });
    sdk = server.client();
    app = await oauthApp(
      server,
      { ExplicitAuthFlows: ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] },
      {},
      { EmailConfiguration: SES, SmsConfiguration: SMS },
    );
    config = await relyingParty(app);
  });
  after(() => server.stop());

  function mfaConfig(mode: "ON" | "OPTIONAL" | "OFF", factors: ("SMS" | "TOTP" | "EMAIL")[]) {
    return sdk.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: app.poolId,
        MfaConfiguration: mode,
        SmsMfaConfiguration: factors.includes("SMS")
          ? { SmsAuthenticationMessage: "Lanyard code {####}" }
          : undefined,
        SoftwareTokenMfaConfiguration: { Enabled: factors.includes("TOTP") },
        EmailMfaConfiguration: factors.includes("EMAIL")
          ? { Subject: "Sign-in code", Message: "Your sign-in code is {####}" }
          : undefined,
      }),
    );
  }

  /** A user with a verified authenticator turned on (set up with the previous step's code). */
  async function totpUser(username: string): Promise<string> {
    await confirmedUser(sdk, app.poolId, username, PASSWORD);
    const out = await sdk.send(
      new AdminInitiateAuthCommand({
        UserPoolId: app.poolId,
        ClientId: app.clientId,
        AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: username, PASSWORD },
      }),
    );
    const AccessToken = out.AuthenticationResult!.AccessToken!;
    const { SecretCode } = await sdk.send(new AssociateSoftwareTokenCommand({ AccessToken }));
    await sdk.send(new VerifySoftwareTokenCommand({ AccessToken, UserCode: totp(SecretCode!, -1) }));
    await sdk.send(
      new AdminSetUserMFAPreferenceCommand({
        UserPoolId: app.poolId,
        Username: username,
        SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
      }),
    );
    return SecretCode!;
  }

  /** Signs in with the password; the page that follows (an MFA step) and its attempt. */
  async function passwordStep(username: string) {
    const jar = new Jar();
    const attempt = await authorizationUrl(config);
    const res = await signInAt(server, attempt.url, username, PASSWORD, jar);
    assert.equal(res.status, 200, "the password leads to an MFA step, not to the callback");
    return { jar, attempt, page: await res.text() };
  }

  /** The callback's code is good for the user's tokens. */
  async function tokensOf(res: Response, attempt: { verifier: string; state: string; nonce: string }) {
    const tokens = await oidc.authorizationCodeGrant(config, callbackOf(res), {
      pkceCodeVerifier: attempt.verifier,
      expectedState: attempt.state,
      expectedNonce: attempt.nonce,
    });
    return tokens.claims()!;
  }

  test("SOFTWARE_TOKEN_MFA: a wrong code keeps the step, the right one signs in", async () => {
    await mfaConfig("OPTIONAL", ["TOTP"]);
    const secret = await totpUser("totp-page");
    const { jar, attempt, page } = await passwordStep("totp-page");
    assert.match(page, /<title>Multi-factor authentication – Lanyard<\/title>/);
    assert.match(page, /Enter the code from your authenticator app/);
    assert.equal(hiddenFields(page).challenge, "SOFTWARE_TOKEN_MFA");

    const right = totp(secret);
    const wrong = await submit(server, page, jar, { answer: wrongCode(right) });
    assert.equal(wrong.status, 400);
    const again = await wrong.text();
    assert.match(again, /role="alert">Invalid code received for user</);
    assert.equal(hiddenFields(again).challenge, "SOFTWARE_TOKEN_MFA");
    assert.equal(hiddenFields(again).session, hiddenFields(page).session);

    const ok = await submit(server, again, jar, { answer: right });
    assert.equal(ok.status, 302);
    assert.equal((await tokensOf(ok, attempt))["cognito:username"], "totp-page");
  });

  test("a session from another page is refused and the code is never checked against it", async () => {
    await mfaConfig("OPTIONAL", ["TOTP"]);
    const secret = await totpUser("totp-tamper");
    const { jar, page } = await passwordStep("totp-tamper");
    const res = await submit(server, page, jar, { session: "not-a-session", answer: totp(secret) });
    assert.equal(res.status, 400);
    assert.match(await res.text(), /<title>Sign in – Lanyard<\/title>/);
  });

  test("SMS_MFA: the code from the text message", async () => {
    await mfaConfig("OPTIONAL", ["SMS"]);
    await confirmedUser(sdk, app.poolId, "sms-page", PASSWORD, [
      { Name: "phone_number", Value: "+15555550123" },
      { Name: "phone_number_verified", Value: "true" },
    ]);
    await sdk.send(
      new AdminSetUserMFAPreferenceCommand({
        UserPoolId: app.poolId,
        Username: "sms-page",
        SMSMfaSettings: { Enabled: true, PreferredMfa: true },
      }),
    );
    const { jar, attempt, page } = await passwordStep("sms-page");
    assert.match(page, /We texted a code to <strong>\+\*+0123<\/strong>/);
    const code = await latestCode(server, { poolId: app.poolId, username: "sms-page" });
    const ok = await submit(server, page, jar, { answer: code });
    assert.equal((await tokensOf(ok, attempt))["cognito:username"], "sms-page");
  });

  test("SELECT_MFA_TYPE: the user chooses email, then enters the emailed code", async () => {
    await mfaConfig("OPTIONAL", ["SMS", "EMAIL"]);
    await confirmedUser(sdk, app.poolId, "choose-page", PASSWORD, [
      { Name: "phone_number", Value: "+15555550124" },
      { Name: "phone_number_verified", Value: "true" },
      { Name: "email", Value: "choose@example.com" },
      { Name: "email_verified", Value: "true" },
    ]);
    await sdk.send(
      new AdminSetUserMFAPreferenceCommand({
        UserPoolId: app.poolId,
        Username: "choose-page",
        SMSMfaSettings: { Enabled: true },
        EmailMfaSettings: { Enabled: true },
      }),
    );
    const { jar, attempt, page } = await passwordStep("choose-page");
    assert.match(page, /<title>Choose an MFA method – Lanyard<\/title>/);
    assert.match(page, /name="answer" value="SMS_MFA"/);
    assert.match(page, /name="answer" value="EMAIL_OTP"/);

    const refused = await submit(server, page, jar, { answer: "SOFTWARE_TOKEN_MFA" });
    assert.equal(refused.status, 400);
    assert.match(await refused.text(), /Invalid MFA type selected/);

    const chosen = await submit(server, page, jar, { answer: "EMAIL_OTP" });
    assert.equal(chosen.status, 200);
    const codePage = await chosen.text();
    assert.match(codePage, /We emailed a code to <strong>c\*+@e\*+<\/strong>/);
    const code = await latestCode(server, { poolId: app.poolId, username: "choose-page" });
    const wrong = await submit(server, codePage, jar, { answer: code === "000000" ? "111111" : "000000" });
    assert.equal(wrong.status, 400);
    const again = await wrong.text();
    assert.equal(hiddenFields(again).challenge, "EMAIL_OTP");
    const ok = await submit(server, again, jar, { answer: code });
    assert.equal((await tokensOf(ok, attempt))["cognito:username"], "choose-page");
  });

  test("MFA_SETUP with only an authenticator app: QR code and secret, then the app's code", async () => {
    await mfaConfig("ON", ["TOTP"]);
    await confirmedUser(sdk, app.poolId, "setup-page", PASSWORD);
    const { jar, attempt, page } = await passwordStep("setup-page");
    assert.match(page, /<title>Set up an authenticator app – Lanyard<\/title>/);
    assert.match(page, /<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    const secret = /data-secret="([A-Z2-7]+)"/.exec(page)![1]!;

    const wrong = await submit(server, page, jar, { answer: wrongCode(totp(secret)) });
    assert.equal(wrong.status, 400);
    const again = await wrong.text();
    assert.match(again, /Code mismatch and fail enable Software Token MFA/);
    assert.equal(/data-secret="([A-Z2-7]+)"/.exec(again)![1], secret, "the same secret is shown again");

    const ok = await submit(server, again, jar, { answer: totp(secret) });
    assert.equal((await tokensOf(ok, attempt))["cognito:username"], "setup-page");

    // The authenticator is the user's factor now: the next sign-in asks for its code.
    const next = await passwordStep("setup-page");
    assert.equal(hiddenFields(next.page).challenge, "SOFTWARE_TOKEN_MFA");
    const signedIn = await submit(server, next.page, next.jar, { answer: totp(secret, 1) });
    assert.equal((await tokensOf(signedIn, next.attempt))["cognito:username"], "setup-page");
  });

  test("MFA_SETUP with email: the address, then the code sent there", async () => {
    await mfaConfig("ON", ["TOTP", "EMAIL"]);
    await confirmedUser(sdk, app.poolId, "setup-mail-page", PASSWORD);
    const { jar, attempt, page } = await passwordStep("setup-mail-page");
    assert.match(page, /<title>Set up multi-factor authentication – Lanyard<\/title>/);
    assert.match(page, /Authenticator app/);
    // The second form of the page is the email one.
    const emailForm = page.slice(page.indexOf('<form method="post" action="/login/mfa?'));
    const bad = await submit(server, emailForm, jar, { answer: "not-an-address" });
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /Invalid email address format\./);
    const sent = await submit(server, emailForm, jar, { answer: "setup-mail@example.com" });
    assert.equal(sent.status, 200);
    const codePage = await sent.text();
    assert.equal(hiddenFields(codePage).challenge, "EMAIL_OTP");
    const code = await latestCode(server, { poolId: app.poolId, destination: "setup-mail@example.com" });
    const ok = await submit(server, codePage, jar, { answer: code });
    const claims = await tokensOf(ok, attempt);
    assert.equal(claims["cognito:username"], "setup-mail-page");
    assert.equal(claims.email, "setup-mail@example.com");
  });

  test("a temporary password: the new password, then the MFA setup", async () => {
    await mfaConfig("ON", ["TOTP"]);
    await sdk.send(
      new AdminCreateUserCommand({
        UserPoolId: app.poolId,
        Username: "temp-page",
        MessageAction: "SUPPRESS",
        TemporaryPassword: "Temp-pass-1!",
      }),
    );
    const jar = new Jar();
    const attempt = await authorizationUrl(config);
    const first = await signInAt(server, attempt.url, "temp-page", "Temp-pass-1!", jar);
    const newPassword = await first.text();
    assert.match(newPassword, /<title>Change your password – Lanyard<\/title>/);
    const setup = await submit(server, newPassword, jar, {
      new_password: PASSWORD,
      confirm_password: PASSWORD,
    });
    assert.equal(setup.status, 200);
    const page = await setup.text();
    assert.match(page, /<title>Set up an authenticator app – Lanyard<\/title>/);
    const secret = /data-secret="([A-Z2-7]+)"/.exec(page)![1]!;
    const ok = await submit(server, page, jar, { answer: totp(secret) });
    assert.equal((await tokensOf(ok, attempt))["cognito:username"], "temp-page");
  });

  test("five wrong codes lock the MFA step: the sign-in form says so", async () => {
    await mfaConfig("OPTIONAL", ["TOTP"]);
    const secret = await totpUser("totp-locked");
    const { jar, page } = await passwordStep("totp-locked");
    const wrong = wrongCode(totp(secret));
    let current = page;
    for (let i = 0; i < 5; i++) {
      const res = await submit(server, current, jar, { answer: wrong });
      assert.equal(res.status, 400);
      current = await res.text();
      assert.match(current, /Invalid code received for user/);
    }
    const locked = await submit(server, current, jar, { answer: totp(secret) });
    assert.equal(locked.status, 400);
    const body = await locked.text();
    assert.match(body, /<title>Sign in – Lanyard<\/title>/);
    assert.match(body, /role="alert">Password attempts exceeded</);
  });

  test("with MFA OFF the password alone signs in", async () => {
    await mfaConfig("OFF", []);
    const res = await signInAt(server, (await authorizationUrl(config)).url, "alice", PASSWORD);
    assert.equal(res.status, 302);
  });
});
