/**
 * MFA through the client libraries applications use: amazon-cognito-identity-js (TOTP set up and
 * answered, MFA_SETUP, SMS MFA with the code from the inbox) and Amplify v6 in Node (the MFA
 * continuation steps of signIn, setUpTOTP / verifyTOTPSetup).
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  AdminSetUserMFAPreferenceCommand,
  type CognitoIdentityProviderClient,
  SetUserPoolMfaConfigCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserPool,
  type CognitoUserSession,
} from "amazon-cognito-identity-js";
import { Amplify } from "aws-amplify";
import {
  confirmSignIn,
  fetchMFAPreference,
  setUpTOTP,
  signIn,
  signOut,
  updateMFAPreference,
  verifyTOTPSetup,
} from "aws-amplify/auth";
import { generateSync } from "otplib";
import { inbox, latestCode } from "../../support/inbox.ts";
import { confirmedUser, poolWithClient } from "../../support/pools.ts";
import { startServer, type TestServer } from "../../support/server.ts";

const PASSWORD = "Libr4ry-password!";
const SMS = { SnsCallerArn: "arn:aws:iam::123456789012:role/sns", ExternalId: "ext" };
const SES = {
  EmailSendingAccount: "DEVELOPER" as const,
  SourceArn: "arn:aws:ses:us-east-1:123456789012:identity/example.com",
  From: "no-reply@example.com",
};
const totp = (secret: string, steps = 0) =>
  generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + steps * 30 });

type Outcome = { session: CognitoUserSession } | { challenge: string; parameters: Record<string, string> };

describe("MFA with the client libraries", () => {
  let server: TestServer;
  let admin: CognitoIdentityProviderClient;

  before(async () => {
    server = await startServer({ args: ["--memory", "--delivery", "inbox"] });
    admin = server.client();
  });
  after(() => server.stop());

  async function mfaPool(mode: "ON" | "OPTIONAL", factors: ("SMS" | "TOTP" | "EMAIL")[]) {
    const { poolId, clientId } = await poolWithClient(admin, {
      pool: { EmailConfiguration: SES, SmsConfiguration: SMS },
      app: { ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] },
    });
    await admin.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: poolId,
        MfaConfiguration: mode,
        ...(factors.includes("SMS") ? { SmsMfaConfiguration: {} } : {}),
        ...(factors.includes("TOTP") ? { SoftwareTokenMfaConfiguration: { Enabled: true } } : {}),
        ...(factors.includes("EMAIL") ? { EmailMfaConfiguration: {} } : {}),
      }),
    );
    return {
      poolId,
      clientId,
      pool: new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: `${server.url}/` }),
    };
  }

  function authenticate(user: CognitoUser, password = PASSWORD): Promise<Outcome> {
    return new Promise((resolve, reject) => {
      const challenge = (challenge: string, parameters: Record<string, string>) =>
        resolve({ challenge, parameters });
      user.authenticateUser(new AuthenticationDetails({ Username: user.getUsername(), Password: password }), {
        onSuccess: (session) => resolve({ session }),
        onFailure: reject,
        mfaRequired: challenge,
        totpRequired: challenge,
        mfaSetup: challenge,
        selectMFAType: challenge,
      });
    });
  }

  const sendMfaCode = (user: CognitoUser, code: string, type?: string) =>
    new Promise<CognitoUserSession>((resolve, reject) =>
      user.sendMFACode(code, { onSuccess: resolve, onFailure: reject }, type),
    );
  const associate = (user: CognitoUser) =>
    new Promise<string>((resolve, reject) =>
      user.associateSoftwareToken({ associateSecretCode: resolve, onFailure: reject }),
    );
  const verify = (user: CognitoUser, code: string) =>
    new Promise<unknown>((resolve, reject) =>
      user.verifySoftwareToken(code, "test phone", { onSuccess: resolve, onFailure: reject }),
    );

  test("amazon-cognito-identity-js: TOTP set up signed in, then answered with sendMFACode", async () => {
    const { poolId, pool } = await mfaPool("OPTIONAL", ["TOTP"]);
    await confirmedUser(admin, poolId, "js-totp", PASSWORD);
    const user = new CognitoUser({ Username: "js-totp", Pool: pool });
    const first = await authenticate(user);
    assert.ok("session" in first, "no MFA yet");
    const secret = await associate(user);
    await verify(user, totp(secret, -1));
    await new Promise<void>((resolve, reject) =>
      user.setUserMfaPreference(null, { Enabled: true, PreferredMfa: true }, (err) =>
        err ? reject(err) : resolve(),
      ),
    );

    const again = new CognitoUser({ Username: "js-totp", Pool: pool });
    const challenged = await authenticate(again);
    assert.ok("challenge" in challenged);
    assert.equal(challenged.challenge, "SOFTWARE_TOKEN_MFA");
    await assert.rejects(
      sendMfaCode(again, totp(secret, -1), "SOFTWARE_TOKEN_MFA"),
      (e: Error & { code?: string }) => {
        assert.equal(e.code, "CodeMismatchException", "the step already used for the setup");
        return true;
      },
    );
    const session = await sendMfaCode(again, totp(secret), "SOFTWARE_TOKEN_MFA");
    assert.ok(session.isValid());
    assert.equal(session.getIdToken().payload["cognito:username"], "js-totp");
  });

  test("amazon-cognito-identity-js: MFA ON, mfaSetup, associate and verify on the session", async () => {
    const { poolId, pool } = await mfaPool("ON", ["TOTP"]);
    await confirmedUser(admin, poolId, "js-setup", PASSWORD);
    const user = new CognitoUser({ Username: "js-setup", Pool: pool });
    const first = await authenticate(user);
    assert.ok("challenge" in first);
    assert.equal(first.challenge, "MFA_SETUP");
    const secret = await associate(user);
    const session = (await verify(user, totp(secret))) as CognitoUserSession;
    assert.ok(session.isValid(), "verifySoftwareToken answered MFA_SETUP and got the tokens");
  });

  test("amazon-cognito-identity-js: SMS MFA with the code read from the inbox", async () => {
    const { poolId, pool } = await mfaPool("OPTIONAL", ["SMS", "TOTP"]);
    await confirmedUser(admin, poolId, "js-sms", PASSWORD, [{ Name: "phone_number", Value: "+15555550142" }]);
    await admin.send(
      new AdminSetUserMFAPreferenceCommand({
        UserPoolId: poolId,
        Username: "js-sms",
        SMSMfaSettings: { Enabled: true },
      }),
    );
    const user = new CognitoUser({ Username: "js-sms", Pool: pool });
    const challenged = await authenticate(user);
    assert.ok("challenge" in challenged);
    assert.equal(challenged.challenge, "SMS_MFA");
    assert.equal(challenged.parameters.CODE_DELIVERY_DESTINATION, "+*******0142");
    const [message] = await inbox(server, { poolId, username: "js-sms" });
    assert.equal(message?.channel, "SMS");
    assert.equal(message?.body, `Your authentication code is ${message?.code}. `);
    const session = await sendMfaCode(user, message!.code);
    assert.ok(session.isValid());
  });

  test("amazon-cognito-identity-js: TOTP, then the device's own SRP; once remembered, the device skips MFA", async () => {
    const { poolId, clientId } = await poolWithClient(admin, {
      pool: {
        DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true },
      },
      app: { ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] },
    });
    await admin.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: poolId,
        MfaConfiguration: "OPTIONAL",
        SoftwareTokenMfaConfiguration: { Enabled: true },
      }),
    );
    const sent: string[] = [];
    const pool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: `${server.url}/` });
    const lowLevel = (pool as unknown as { client: { request: (...args: unknown[]) => void } }).client;
    const request = lowLevel.request.bind(lowLevel);
    lowLevel.request = (op: unknown, params: unknown, cb: unknown) => {
      sent.push((params as { ChallengeName?: string }).ChallengeName ?? String(op));
      request(op, params, cb);
    };
    await confirmedUser(admin, poolId, "js-device", PASSWORD);
    const setup = new CognitoUser({ Username: "js-device", Pool: pool });
    assert.ok("session" in (await authenticate(setup)));
    const secret = await associate(setup);
    await verify(setup, totp(secret, -1));
    await new Promise<void>((resolve, reject) =>
      setup.setUserMfaPreference(null, { Enabled: true, PreferredMfa: true }, (err) =>
        err ? reject(err) : resolve(),
      ),
    );

    // A device not remembered: MFA first, then the device proves itself (on the MFA session).
    sent.length = 0;
    const user = new CognitoUser({ Username: "js-device", Pool: pool });
    const challenged = await authenticate(user);
    assert.ok("challenge" in challenged && challenged.challenge === "SOFTWARE_TOKEN_MFA");
    const session = await sendMfaCode(user, totp(secret), "SOFTWARE_TOKEN_MFA");
    assert.ok(session.getAccessToken().payload.device_key);
    assert.deepEqual(sent, [
      "InitiateAuth",
      "PASSWORD_VERIFIER",
      "SOFTWARE_TOKEN_MFA",
      "DEVICE_SRP_AUTH",
      "DEVICE_PASSWORD_VERIFIER",
    ]);
    await new Promise<string>((resolve, reject) =>
      user.setDeviceStatusRemembered({ onSuccess: resolve, onFailure: reject }),
    );

    sent.length = 0;
    const again = new CognitoUser({ Username: "js-device", Pool: pool });
    const second = await authenticate(again);
    assert.ok("session" in second, "no MFA challenge with the remembered device");
    assert.deepEqual(sent, [
      "InitiateAuth",
      "PASSWORD_VERIFIER",
      "DEVICE_SRP_AUTH",
      "DEVICE_PASSWORD_VERIFIER",
    ]);
  });

  test("aws-amplify v6: signIn through TOTP and EMAIL continuation steps; setUpTOTP / verifyTOTPSetup", async () => {
    const { poolId, clientId } = await mfaPool("OPTIONAL", ["TOTP", "EMAIL"]);
    Amplify.configure({
      Auth: { Cognito: { userPoolId: poolId, userPoolClientId: clientId, userPoolEndpoint: server.url } },
    });
    await confirmedUser(admin, poolId, "amp-totp", PASSWORD);
    const plain = await signIn({ username: "amp-totp", password: PASSWORD });
    assert.equal(plain.nextStep.signInStep, "DONE");
    const details = await setUpTOTP();
    assert.match(details.sharedSecret, /^[A-Z2-7]{32}$/);
    const uri = details.getSetupUri("Lanyard", "amp-totp");
    assert.equal(uri.protocol, "otpauth:");
    await verifyTOTPSetup({ code: totp(details.sharedSecret, -1) });
    await updateMFAPreference({ totp: "PREFERRED" });
    const prefs = await fetchMFAPreference();
    assert.deepEqual(prefs.enabled, ["TOTP"]);
    assert.equal(prefs.preferred, "TOTP");
    await signOut();

    const step = await signIn({ username: "amp-totp", password: PASSWORD });
    assert.equal(step.nextStep.signInStep, "CONFIRM_SIGN_IN_WITH_TOTP_CODE");
    const done = await confirmSignIn({ challengeResponse: totp(details.sharedSecret) });
    assert.equal(done.isSignedIn, true);
    await signOut();

    await confirmedUser(admin, poolId, "amp-mail", PASSWORD, [
      { Name: "email", Value: "amp-mail@example.com" },
    ]);
    await admin.send(
      new AdminSetUserMFAPreferenceCommand({
        UserPoolId: poolId,
        Username: "amp-mail",
        EmailMfaSettings: { Enabled: true },
      }),
    );
    const mail = await signIn({ username: "amp-mail", password: PASSWORD });
    assert.equal(mail.nextStep.signInStep, "CONFIRM_SIGN_IN_WITH_EMAIL_CODE");
    const code = await latestCode(server, { poolId, username: "amp-mail" });
    const mailDone = await confirmSignIn({ challengeResponse: code });
    assert.equal(mailDone.isSignedIn, true);
    await signOut();
  });

  test("aws-amplify v6: MFA ON, TOTP and email set up through signIn's continuation steps", async () => {
    const { poolId, clientId } = await mfaPool("ON", ["TOTP", "EMAIL"]);
    Amplify.configure({
      Auth: { Cognito: { userPoolId: poolId, userPoolClientId: clientId, userPoolEndpoint: server.url } },
    });
    await confirmedUser(admin, poolId, "amp-setup", PASSWORD);
    const choose = await signIn({ username: "amp-setup", password: PASSWORD });
    assert.equal(choose.nextStep.signInStep, "CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION");
    const setup = await confirmSignIn({ challengeResponse: "TOTP" });
    assert.equal(setup.nextStep.signInStep, "CONTINUE_SIGN_IN_WITH_TOTP_SETUP");
    const secret =
      setup.nextStep.signInStep === "CONTINUE_SIGN_IN_WITH_TOTP_SETUP"
        ? setup.nextStep.totpSetupDetails.sharedSecret
        : "";
    const done = await confirmSignIn({ challengeResponse: totp(secret) });
    assert.equal(done.isSignedIn, true);
    await signOut();

    await confirmedUser(admin, poolId, "amp-setup-mail", PASSWORD);
    await signIn({ username: "amp-setup-mail", password: PASSWORD });
    const email = await confirmSignIn({ challengeResponse: "EMAIL" });
    assert.equal(email.nextStep.signInStep, "CONTINUE_SIGN_IN_WITH_EMAIL_SETUP");
    const sent = await confirmSignIn({ challengeResponse: "amp-setup@example.com" });
    assert.equal(sent.nextStep.signInStep, "CONFIRM_SIGN_IN_WITH_EMAIL_CODE");
    const [message] = await inbox(server, { destination: "amp-setup@example.com" });
    const mailDone = await confirmSignIn({ challengeResponse: message!.code });
    assert.equal(mailDone.isSignedIn, true);
    await signOut();
  });
});
