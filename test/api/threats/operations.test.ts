/**
 * Threat protection's five operations through the AWS SDK: SetRiskConfiguration,
 * DescribeRiskConfiguration, AdminListUserAuthEvents, AdminUpdateAuthEventFeedback and
 * UpdateAuthEventFeedback, with their documented errors, and the Plus tier that UserPoolAddOns needs.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  AdminInitiateAuthCommand,
  AdminListUserAuthEventsCommand,
  AdminUpdateAuthEventFeedbackCommand,
  type CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeRiskConfigurationCommand,
  ForgotPasswordCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
  SetRiskConfigurationCommand,
  UpdateAuthEventFeedbackCommand,
  UpdateUserPoolCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWith } from "../../support/assert.ts";
import { confirmedUser, poolWithClient } from "../../support/pools.ts";
import { startServer, type TestServer } from "../../support/server.ts";

const PASSWORD = "Correct-Horse-1";
const PLUS_ENFORCED = {
  UserPoolTier: "PLUS" as const,
  UserPoolAddOns: { AdvancedSecurityMode: "ENFORCED" as const },
};
const FLOWS = {
  ExplicitAuthFlows: ["ALLOW_ADMIN_USER_PASSWORD_AUTH" as const, "ALLOW_REFRESH_TOKEN_AUTH" as const],
};

describe("threat protection operations", () => {
  let server: TestServer;
  let client: CognitoIdentityProviderClient;

  before(async () => {
    server = await startServer({ args: ["--memory", "--delivery", "inbox"] });
    client = server.client();
  });
  after(() => server.stop());

  const signIn = (poolId: string, clientId: string, username: string, password = PASSWORD) =>
    client.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: username, PASSWORD: password },
      }),
    );

  test("UserPoolAddOns AUDIT or ENFORCED needs the Plus tier", async () => {
    await rejectsWith(
      client.send(
        new CreateUserPoolCommand({ PoolName: "p", UserPoolAddOns: { AdvancedSecurityMode: "AUDIT" } }),
      ),
      "FeatureUnavailableInTierException",
      400,
    );
    const { poolId } = await poolWithClient(client);
    await rejectsWith(
      client.send(
        new UpdateUserPoolCommand({
          UserPoolId: poolId,
          UserPoolAddOns: { AdvancedSecurityMode: "ENFORCED" },
        }),
      ),
      "FeatureUnavailableInTierException",
      400,
    );
    await client.send(
      new UpdateUserPoolCommand({
        UserPoolId: poolId,
        UserPoolTier: "PLUS",
        UserPoolAddOns: { AdvancedSecurityMode: "ENFORCED" },
      }),
    );
  });

  test("with the add-on OFF, every operation answers UserPoolAddOnNotEnabledException", async () => {
    const { poolId } = await poolWithClient(client, { pool: { UserPoolTier: "PLUS" } });
    await confirmedUser(client, poolId, "off-user", PASSWORD);
    const calls = [
      () => client.send(new SetRiskConfigurationCommand({ UserPoolId: poolId })),
      () => client.send(new DescribeRiskConfigurationCommand({ UserPoolId: poolId })),
      () => client.send(new AdminListUserAuthEventsCommand({ UserPoolId: poolId, Username: "off-user" })),
      () =>
        client.send(
          new AdminUpdateAuthEventFeedbackCommand({
            UserPoolId: poolId,
            Username: "off-user",
            EventId: "e1",
            FeedbackValue: "Valid",
          }),
        ),
      () =>
        client.send(
          new UpdateAuthEventFeedbackCommand({
            UserPoolId: poolId,
            Username: "off-user",
            EventId: "e1",
            FeedbackToken: "t",
            FeedbackValue: "Valid",
          }),
        ),
    ];
    for (const call of calls) await rejectsWith(call(), "UserPoolAddOnNotEnabledException", 400);
  });

  test("SetRiskConfiguration and DescribeRiskConfiguration: the pool's, a client's own, resets", async () => {
    const { poolId, clientId } = await poolWithClient(client, { pool: PLUS_ENFORCED });
    const { UserPoolClient: other } = await client.send(
      new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: "other" }),
    );
    const none = await client.send(new DescribeRiskConfigurationCommand({ UserPoolId: poolId }));
    assert.deepEqual(none.RiskConfiguration, { UserPoolId: poolId, ClientId: "ALL" });

    const poolWide = {
      UserPoolId: poolId,
      CompromisedCredentialsRiskConfiguration: {
        EventFilter: ["SIGN_UP" as const],
        Actions: { EventAction: "BLOCK" as const },
      },
      RiskExceptionConfiguration: {
        SkippedIPRangeList: ["10.0.0.0/8"],
        BlockedIPRangeList: ["2001:db8::/32"],
      },
    };
    const set = await client.send(new SetRiskConfigurationCommand(poolWide));
    assert.equal(set.RiskConfiguration?.ClientId, "ALL");
    assert.deepEqual(set.RiskConfiguration?.CompromisedCredentialsRiskConfiguration, {
      EventFilter: ["SIGN_UP"],
      Actions: { EventAction: "BLOCK" },
    });
    assert.ok(set.RiskConfiguration?.LastModifiedDate instanceof Date);

    const own = await client.send(
      new SetRiskConfigurationCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        AccountTakeoverRiskConfiguration: {
          Actions: { HighAction: { EventAction: "BLOCK", Notify: false } },
        },
      }),
    );
    assert.equal(own.RiskConfiguration?.ClientId, clientId);
    const described = await client.send(
      new DescribeRiskConfigurationCommand({ UserPoolId: poolId, ClientId: clientId }),
    );
    assert.equal(described.RiskConfiguration?.ClientId, clientId);
    assert.equal(
      described.RiskConfiguration?.AccountTakeoverRiskConfiguration?.Actions?.HighAction?.EventAction,
      "BLOCK",
    );
    assert.equal(described.RiskConfiguration?.CompromisedCredentialsRiskConfiguration, undefined);
    // A client without its own follows the pool's.
    const inherited = await client.send(
      new DescribeRiskConfigurationCommand({ UserPoolId: poolId, ClientId: other!.ClientId! }),
    );
    assert.equal(inherited.RiskConfiguration?.ClientId, "ALL");
    assert.deepEqual(
      inherited.RiskConfiguration?.RiskExceptionConfiguration,
      poolWide.RiskExceptionConfiguration,
    );

    // UserPoolId and ClientId only: the client inherits the pool's again.
    await client.send(new SetRiskConfigurationCommand({ UserPoolId: poolId, ClientId: clientId }));
    const reset = await client.send(
      new DescribeRiskConfigurationCommand({ UserPoolId: poolId, ClientId: clientId }),
    );
    assert.equal(reset.RiskConfiguration?.ClientId, "ALL");
    // UserPoolId only: the pool's back to the defaults.
    await client.send(new SetRiskConfigurationCommand({ UserPoolId: poolId }));
    const defaults = await client.send(new DescribeRiskConfigurationCommand({ UserPoolId: poolId }));
    assert.deepEqual(defaults.RiskConfiguration, { UserPoolId: poolId, ClientId: "ALL" });
  });

  test("SetRiskConfiguration and DescribeRiskConfiguration refuse bad input", async () => {
    const { poolId } = await poolWithClient(client, { pool: PLUS_ENFORCED });
    await rejectsWith(
      client.send(
        new SetRiskConfigurationCommand({
          UserPoolId: poolId,
          RiskExceptionConfiguration: { BlockedIPRangeList: ["300.1.2.3/8"] },
        }),
      ),
      "InvalidParameterException",
      400,
      /CIDR/,
    );
    await rejectsWith(
      client.send(
        new SetRiskConfigurationCommand({ UserPoolId: poolId, ClientId: "nosuchclient00000000000000" }),
      ),
      "ResourceNotFoundException",
      400,
    );
    await rejectsWith(
      client.send(new DescribeRiskConfigurationCommand({ UserPoolId: "us-east-1_nosuchpol" })),
      "ResourceNotFoundException",
      400,
    );
    await rejectsWith(
      client.send(
        new SetRiskConfigurationCommand({
          UserPoolId: poolId,
          CompromisedCredentialsRiskConfiguration: { Actions: { EventAction: "SOMETIMES" as "BLOCK" } },
        }),
      ),
      "InvalidParameterException",
      400,
    );
  });

  test("AdminListUserAuthEvents: newest first, paged; AdminUpdateAuthEventFeedback marks an event", async () => {
    const { poolId, clientId } = await poolWithClient(client, { pool: PLUS_ENFORCED, app: FLOWS });
    await confirmedUser(client, poolId, "eve", PASSWORD);
    await rejectsWith(signIn(poolId, clientId, "eve", "Wrong-Horse-1"), "NotAuthorizedException", 400);
    const ok = await signIn(poolId, clientId, "eve");
    assert.ok(ok.AuthenticationResult?.AccessToken);

    const { AuthEvents } = await client.send(
      new AdminListUserAuthEventsCommand({ UserPoolId: poolId, Username: "eve" }),
    );
    assert.equal(AuthEvents?.length, 2);
    const [newest, oldest] = AuthEvents!;
    assert.equal(newest!.EventType, "SignIn");
    assert.equal(newest!.EventResponse, "Pass");
    assert.deepEqual(newest!.EventRisk, { RiskDecision: "NoRisk", CompromisedCredentialsDetected: false });
    assert.deepEqual(newest!.ChallengeResponses, [
      { ChallengeName: "Password", ChallengeResponse: "Success" },
    ]);
    assert.equal(newest!.EventContextData?.IpAddress, "127.0.0.1");
    assert.ok(newest!.CreationDate instanceof Date);
    assert.equal(oldest!.EventResponse, "Fail");
    assert.deepEqual(oldest!.ChallengeResponses, [
      { ChallengeName: "Password", ChallengeResponse: "Failure" },
    ]);

    const first = await client.send(
      new AdminListUserAuthEventsCommand({ UserPoolId: poolId, Username: "eve", MaxResults: 1 }),
    );
    assert.equal(first.AuthEvents?.[0]?.EventId, newest!.EventId);
    assert.ok(first.NextToken);
    const second = await client.send(
      new AdminListUserAuthEventsCommand({
        UserPoolId: poolId,
        Username: "eve",
        MaxResults: 1,
        NextToken: first.NextToken,
      }),
    );
    assert.equal(second.AuthEvents?.[0]?.EventId, oldest!.EventId);
    assert.equal(second.NextToken, undefined);
    await rejectsWith(
      client.send(
        new AdminListUserAuthEventsCommand({ UserPoolId: poolId, Username: "eve", NextToken: "bogus" }),
      ),
      "InvalidParameterException",
      400,
    );
    await rejectsWith(
      client.send(new AdminListUserAuthEventsCommand({ UserPoolId: poolId, Username: "nobody" })),
      "UserNotFoundException",
      400,
    );

    await client.send(
      new AdminUpdateAuthEventFeedbackCommand({
        UserPoolId: poolId,
        Username: "eve",
        EventId: newest!.EventId!,
        FeedbackValue: "Valid",
      }),
    );
    const after = await client.send(
      new AdminListUserAuthEventsCommand({ UserPoolId: poolId, Username: "eve" }),
    );
    assert.equal(after.AuthEvents?.[0]?.EventFeedback?.FeedbackValue, "Valid");
    assert.equal(after.AuthEvents?.[0]?.EventFeedback?.Provider, "Admin");
    assert.ok(after.AuthEvents?.[0]?.EventFeedback?.FeedbackDate instanceof Date);

    await rejectsWith(
      client.send(
        new AdminUpdateAuthEventFeedbackCommand({
          UserPoolId: poolId,
          Username: "eve",
          EventId: "no-such-event",
          FeedbackValue: "Invalid",
        }),
      ),
      "ResourceNotFoundException",
      400,
    );
    await rejectsWith(
      client.send(
        new UpdateAuthEventFeedbackCommand({
          UserPoolId: poolId,
          Username: "eve",
          EventId: newest!.EventId!,
          FeedbackToken: "not-the-token",
          FeedbackValue: "Invalid",
        }),
      ),
      "NotAuthorizedException",
      400,
    );
  });

  test("sign-up, a resent code, a forgotten password and a password change are events too", async () => {
    const { poolId, clientId } = await poolWithClient(client, {
      pool: { ...PLUS_ENFORCED, AutoVerifiedAttributes: ["email"] },
      app: FLOWS,
    });
    await client.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: "sam",
        Password: PASSWORD,
        UserAttributes: [{ Name: "email", Value: "sam@example.com" }],
      }),
    );
    await client.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: "sam" }));
    await confirmedUser(client, poolId, "rita", PASSWORD, [
      { Name: "email", Value: "rita@example.com" },
      { Name: "email_verified", Value: "true" },
    ]);
    await client.send(new ForgotPasswordCommand({ ClientId: clientId, Username: "rita" }));
    const types = async (username: string) =>
      (
        await client.send(new AdminListUserAuthEventsCommand({ UserPoolId: poolId, Username: username }))
      ).AuthEvents!.map((e) => [e.EventType, e.EventResponse]);
    assert.deepEqual(await types("sam"), [
      ["ResendCode", "Pass"],
      ["SignUp", "Pass"],
    ]);
    assert.deepEqual(await types("rita"), [["ForgotPassword", "Pass"]]);
  });

  test("AUDIT and ENFORCED record events; OFF records none", async () => {
    const { poolId, clientId } = await poolWithClient(client, {
      pool: { UserPoolTier: "PLUS", UserPoolAddOns: { AdvancedSecurityMode: "OFF" } },
      app: FLOWS,
    });
    await confirmedUser(client, poolId, "quiet", PASSWORD);
    await signIn(poolId, clientId, "quiet");
    await client.send(
      new UpdateUserPoolCommand({
        UserPoolId: poolId,
        UserPoolTier: "PLUS",
        UserPoolAddOns: { AdvancedSecurityMode: "AUDIT" },
      }),
    );
    const { AuthEvents } = await client.send(
      new AdminListUserAuthEventsCommand({ UserPoolId: poolId, Username: "quiet" }),
    );
    assert.deepEqual(AuthEvents, []);
    await signIn(poolId, clientId, "quiet");
    const later = await client.send(
      new AdminListUserAuthEventsCommand({ UserPoolId: poolId, Username: "quiet" }),
    );
    assert.equal(later.AuthEvents?.length, 1);
  });
});
