/**
 * Threat protection at sign-in, through the AWS SDK: adaptive authentication's actions on the
 * documented local risk signals (a new device, a new IP address), MFA_REQUIRED in a pool without MFA,
 * AUDIT recording without acting, the notification email and its feedback link, and the IP address
 * exceptions.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminListUserAuthEventsCommand,
  AdminRespondToAuthChallengeCommand,
  type AccountTakeoverActionsType,
  type CognitoIdentityProviderClient,
  CognitoIdentityProviderClient as SdkClient,
  InitiateAuthCommand,
  SetRiskConfigurationCommand,
  UpdateAuthEventFeedbackCommand,
  UpdateUserPoolCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWith } from "../../support/assert.ts";
import { inbox } from "../../support/inbox.ts";
import { confirmedUser, poolWithClient } from "../../support/pools.ts";
import { startServer, type TestServer } from "../../support/server.ts";
import { passwordVerifierResponses, startClientSrp } from "../../support/srp-client.ts";

const PASSWORD = "Correct-Horse-1";
const FLOWS = {
  ExplicitAuthFlows: [
    "ALLOW_ADMIN_USER_PASSWORD_AUTH" as const,
    "ALLOW_USER_PASSWORD_AUTH" as const,
    "ALLOW_USER_SRP_AUTH" as const,
    "ALLOW_REFRESH_TOKEN_AUTH" as const,
  ],
};
const NOTIFY = {
  SourceArn: "arn:aws:ses:us-east-1:123456789012:identity/example.com",
  From: "security@example.com",
  MfaEmail: {
    Subject: "Was this you, {username}?",
    TextBody:
      "A sign-in from {ip-address} on {device-name}. Yes: {one-click-link-valid} No: {one-click-link-invalid}",
  },
};

/** ContextData as a server passes on its end user's request (the IP address and User-Agent). */
const context = (ip: string, agent: string) => ({
  IpAddress: ip,
  ServerName: "app.example.com",
  ServerPath: "/login",
  HttpHeaders: [{ headerName: "User-Agent", headerValue: agent }],
});

describe("adaptive authentication", () => {
  let server: TestServer;
  let client: CognitoIdentityProviderClient;

  before(async () => {
    server = await startServer({ args: ["--memory", "--delivery", "inbox"] });
    client = server.client();
  });
  after(() => server.stop());

  async function pool(mode: "AUDIT" | "ENFORCED", actions?: AccountTakeoverActionsType) {
    const p = await poolWithClient(client, {
      pool: { UserPoolTier: "PLUS", UserPoolAddOns: { AdvancedSecurityMode: mode } },
      app: FLOWS,
    });
    if (actions)
      await client.send(
        new SetRiskConfigurationCommand({
          UserPoolId: p.poolId,
          AccountTakeoverRiskConfiguration: { Actions: actions, NotifyConfiguration: NOTIFY },
        }),
      );
    return p;
  }

  const signIn = (poolId: string, clientId: string, username: string, ip: string, agent: string) =>
    client.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: username, PASSWORD },
        ContextData: context(ip, agent),
      }),
    );
  const events = async (poolId: string, username: string) =>
    (await client.send(new AdminListUserAuthEventsCommand({ UserPoolId: poolId, Username: username })))
      .AuthEvents!;

  const everyLevel = (
    EventAction: "BLOCK" | "MFA_REQUIRED" | "MFA_IF_CONFIGURED" | "NO_ACTION",
    Notify = false,
  ) => ({
    LowAction: { EventAction, Notify },
    MediumAction: { EventAction, Notify },
    HighAction: { EventAction, Notify },
  });

  test("ENFORCED with MFA_REQUIRED: a sign-in from a new device gets an MFA challenge in a pool without MFA", async () => {
    const { poolId, clientId } = await pool("ENFORCED", everyLevel("MFA_REQUIRED", true));
    await confirmedUser(client, poolId, "mia", PASSWORD, [
      { Name: "email", Value: "mia@example.com" },
      { Name: "email_verified", Value: "true" },
    ]);
    // The first sign-in has nothing to compare with: no risk, tokens.
    const first = await signIn(poolId, clientId, "mia", "198.51.100.7", "Laptop/1.0");
    assert.ok(first.AuthenticationResult?.AccessToken);
    // The same IP address, a new device (User-Agent): Low risk, MFA_REQUIRED, an EMAIL_OTP challenge.
    const second = await signIn(poolId, clientId, "mia", "198.51.100.7", "Phone/2.0");
    assert.equal(second.ChallengeName, "EMAIL_OTP");
    assert.equal(second.AuthenticationResult, undefined);
    const [pending] = await events(poolId, "mia");
    assert.equal(pending!.EventResponse, "InProgress");
    assert.deepEqual(pending!.EventRisk, {
      RiskDecision: "AccountTakeover",
      RiskLevel: "Low",
      CompromisedCredentialsDetected: false,
    });
    assert.equal(pending!.EventContextData?.IpAddress, "198.51.100.7");
    assert.equal(pending!.EventContextData?.DeviceName, "Phone/2.0");

    const mails = await inbox(server, { poolId, username: "mia" });
    const notice = mails.find((m) => m.purpose === "account_takeover_MfaEmail");
    assert.ok(notice, "the MfaEmail notification was sent");
    assert.equal(notice.subject, "Was this you, mia?");
    assert.match(notice.body, /A sign-in from 198\.51\.100\.7 on Phone\/2\.0\. Yes: http/);
    const codeMail = mails.find((m) => !m.purpose.startsWith("account_takeover"));
    assert.ok(codeMail, "the sign-in code was sent");
    const done = await client.send(
      new AdminRespondToAuthChallengeCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        ChallengeName: "EMAIL_OTP",
        Session: second.Session,
        ChallengeResponses: {
          USERNAME: "mia",
          EMAIL_OTP_CODE: codeMail.code,
        },
      }),
    );
    assert.ok(done.AuthenticationResult?.AccessToken);
    const [completed] = await events(poolId, "mia");
    assert.equal(completed!.EventId, pending!.EventId);
    assert.equal(completed!.EventResponse, "Pass");
    assert.deepEqual(completed!.ChallengeResponses, [
      { ChallengeName: "Password", ChallengeResponse: "Success" },
      { ChallengeName: "Mfa", ChallengeResponse: "Success" },
    ]);

    // The email's "not me" link records Invalid feedback on the event, with its FeedbackToken.
    const invalid = /No: (\S+)/.exec(notice.body)![1]!;
    const res = await fetch(invalid);
    assert.equal(res.status, 200);
    const [marked] = await events(poolId, "mia");
    assert.equal(marked!.EventFeedback?.FeedbackValue, "Invalid");
    assert.equal(marked!.EventFeedback?.Provider, "User");
    // A device marked Invalid is High risk from then on: the configured High action applies.
    await client.send(
      new SetRiskConfigurationCommand({
        UserPoolId: poolId,
        AccountTakeoverRiskConfiguration: {
          Actions: { ...everyLevel("NO_ACTION"), HighAction: { EventAction: "BLOCK", Notify: false } },
        },
      }),
    );
    await rejectsWith(
      signIn(poolId, clientId, "mia", "198.51.100.7", "Phone/2.0"),
      "NotAuthorizedException",
      400,
      /^Unable to login because of security reasons\.$/,
    );
    // UpdateAuthEventFeedback with the same token: Valid, and the device is trusted again.
    const token = new URL(invalid).searchParams.get("feedback_token")!;
    await client.send(
      new UpdateAuthEventFeedbackCommand({
        UserPoolId: poolId,
        Username: "mia",
        EventId: pending!.EventId!,
        FeedbackToken: token,
        FeedbackValue: "Valid",
      }),
    );
    const trusted = await signIn(poolId, clientId, "mia", "198.51.100.7", "Phone/2.0");
    assert.ok(trusted.AuthenticationResult?.AccessToken);
  });

  test("MFA_REQUIRED blocks a user who can receive no MFA code; MFA_IF_CONFIGURED lets them in", async () => {
    const { poolId, clientId } = await pool("ENFORCED", everyLevel("MFA_REQUIRED"));
    await confirmedUser(client, poolId, "nomail", PASSWORD);
    await signIn(poolId, clientId, "nomail", "198.51.100.8", "Laptop/1.0");
    await rejectsWith(
      signIn(poolId, clientId, "nomail", "198.51.100.8", "Other/1.0"),
      "NotAuthorizedException",
      400,
      /security reasons/,
    );
    assert.equal((await events(poolId, "nomail"))[0]!.EventResponse, "Fail");
    await client.send(
      new SetRiskConfigurationCommand({
        UserPoolId: poolId,
        AccountTakeoverRiskConfiguration: { Actions: everyLevel("MFA_IF_CONFIGURED") },
      }),
    );
    const allowed = await signIn(poolId, clientId, "nomail", "198.51.100.8", "Other/1.0");
    assert.ok(allowed.AuthenticationResult?.AccessToken);
  });

  test("the risk levels: new device Low, new IP address Medium, both High", async () => {
    const { poolId, clientId } = await pool("AUDIT");
    await confirmedUser(client, poolId, "lev", PASSWORD);
    await signIn(poolId, clientId, "lev", "192.0.2.1", "A/1");
    await signIn(poolId, clientId, "lev", "192.0.2.1", "B/1");
    await signIn(poolId, clientId, "lev", "192.0.2.2", "A/1");
    await signIn(poolId, clientId, "lev", "192.0.2.3", "C/1");
    await signIn(poolId, clientId, "lev", "192.0.2.1", "A/1");
    const levels = (await events(poolId, "lev")).map(
      (e) => e.EventRisk?.RiskLevel ?? e.EventRisk?.RiskDecision,
    );
    assert.deepEqual(levels, ["NoRisk", "High", "Medium", "Low", "NoRisk"]);
  });

  test("AUDIT records the risk but does not act", async () => {
    const { poolId, clientId } = await pool("AUDIT", everyLevel("BLOCK", true));
    await confirmedUser(client, poolId, "aud", PASSWORD, [
      { Name: "email", Value: "aud@example.com" },
      { Name: "email_verified", Value: "true" },
    ]);
    await signIn(poolId, clientId, "aud", "203.0.113.1", "A/1");
    const risky = await signIn(poolId, clientId, "aud", "203.0.113.99", "Z/9");
    assert.ok(risky.AuthenticationResult?.AccessToken);
    const [event] = await events(poolId, "aud");
    assert.equal(event!.EventResponse, "Pass");
    assert.equal(event!.EventRisk?.RiskDecision, "AccountTakeover");
    assert.equal(event!.EventRisk?.RiskLevel, "High");
    const notices = (await inbox(server, { poolId, username: "aud" })).filter((m) =>
      m.purpose.startsWith("account_takeover"),
    );
    assert.deepEqual(notices, []);
  });

  test("ENFORCED with BLOCK refuses a risky sign-in through InitiateAuth (User-Agent of the request)", async () => {
    const { poolId, clientId } = await pool("ENFORCED", everyLevel("BLOCK"));
    await confirmedUser(client, poolId, "pub", PASSWORD);
    const publicSignIn = (c: CognitoIdentityProviderClient) =>
      c.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: "pub", PASSWORD },
        }),
      );
    assert.ok((await publicSignIn(client)).AuthenticationResult);
    assert.ok((await publicSignIn(client)).AuthenticationResult);
    const other = new SdkClient({
      endpoint: server.url,
      region: "us-east-1",
      credentials: { accessKeyId: "dummy", secretAccessKey: "dummy" },
      customUserAgent: "another-device/1.0",
    });
    await rejectsWith(publicSignIn(other), "NotAuthorizedException", 400, /security reasons/);
  });

  test("an SRP sign-in is judged and recorded too, a wrong password as a failed event", async () => {
    const { poolId, clientId } = await pool("ENFORCED", everyLevel("BLOCK"));
    await confirmedUser(client, poolId, "srp", PASSWORD);
    const srpSignIn = async (password: string, agent: string) => {
      const eph = startClientSrp();
      const start = await client.send(
        new AdminInitiateAuthCommand({
          UserPoolId: poolId,
          ClientId: clientId,
          AuthFlow: "USER_SRP_AUTH",
          AuthParameters: { USERNAME: "srp", SRP_A: eph.srpA },
          ContextData: context("192.0.2.40", agent),
        }),
      );
      return client.send(
        new AdminRespondToAuthChallengeCommand({
          UserPoolId: poolId,
          ClientId: clientId,
          ChallengeName: "PASSWORD_VERIFIER",
          Session: start.Session,
          ChallengeResponses: passwordVerifierResponses({
            poolId,
            password,
            client: eph,
            challengeParameters: start.ChallengeParameters!,
          }),
          ContextData: context("192.0.2.40", agent),
        }),
      );
    };
    assert.ok((await srpSignIn(PASSWORD, "Srp/1")).AuthenticationResult?.AccessToken);
    await rejectsWith(srpSignIn("Wrong-Horse-1", "Srp/1"), "NotAuthorizedException", 400, /Incorrect/);
    await rejectsWith(srpSignIn(PASSWORD, "Srp/2"), "NotAuthorizedException", 400, /security reasons/);
    const recorded = (await events(poolId, "srp")).map((e) => [e.EventResponse, e.EventRisk?.RiskLevel]);
    assert.deepEqual(recorded, [
      ["Fail", "Low"],
      ["Fail", undefined],
      ["Pass", undefined],
    ]);
  });

  test("RiskExceptionConfiguration: a blocked range is refused, a skipped range is not judged", async () => {
    const { poolId, clientId } = await pool("ENFORCED", everyLevel("BLOCK"));
    await client.send(
      new SetRiskConfigurationCommand({
        UserPoolId: poolId,
        AccountTakeoverRiskConfiguration: { Actions: everyLevel("BLOCK") },
        RiskExceptionConfiguration: {
          BlockedIPRangeList: ["203.0.113.0/24"],
          SkippedIPRangeList: ["10.0.0.0/8", "2001:db8::/32"],
        },
      }),
    );
    await confirmedUser(client, poolId, "ipx", PASSWORD);
    // Blocked even on the first sign-in, which has no risk otherwise.
    await rejectsWith(signIn(poolId, clientId, "ipx", "203.0.113.50", "A/1"), "NotAuthorizedException", 400);
    assert.equal((await events(poolId, "ipx"))[0]!.EventRisk?.RiskDecision, "Block");
    await signIn(poolId, clientId, "ipx", "192.0.2.10", "A/1");
    // From a skipped range a new IP address and device are not judged: no risk, no BLOCK.
    const skipped = await signIn(poolId, clientId, "ipx", "10.1.2.3", "Z/1");
    assert.ok(skipped.AuthenticationResult?.AccessToken);
    const v6 = await signIn(poolId, clientId, "ipx", "2001:db8::5", "Y/1");
    assert.ok(v6.AuthenticationResult?.AccessToken);
    assert.equal((await events(poolId, "ipx"))[0]!.EventRisk?.RiskDecision, "NoRisk");
    // Outside both: the new device and IP address are High risk, blocked.
    await rejectsWith(signIn(poolId, clientId, "ipx", "192.0.2.99", "X/1"), "NotAuthorizedException", 400);
  });

  test("a pool whose add-on is turned OFF stops acting and recording", async () => {
    const { poolId, clientId } = await pool("ENFORCED", everyLevel("BLOCK"));
    await confirmedUser(client, poolId, "offu", PASSWORD);
    await signIn(poolId, clientId, "offu", "192.0.2.1", "A/1");
    await client.send(
      new UpdateUserPoolCommand({
        UserPoolId: poolId,
        UserPoolTier: "PLUS",
        UserPoolAddOns: { AdvancedSecurityMode: "OFF" },
      }),
    );
    const ok = await signIn(poolId, clientId, "offu", "192.0.2.77", "Q/1");
    assert.ok(ok.AuthenticationResult?.AccessToken);
    const user = await client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "offu" }));
    assert.equal(user.UserStatus, "CONFIRMED");
  });
});
