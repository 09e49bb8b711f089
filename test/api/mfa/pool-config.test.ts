import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  type CognitoIdentityProviderClient,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  GetUserPoolMfaConfigCommand,
  SetUserPoolMfaConfigCommand,
  UpdateUserPoolCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWith } from "../../support/assert.ts";
import { startServer, type TestServer } from "../../support/server.ts";

const SMS = { SnsCallerArn: "arn:aws:iam::123456789012:role/sns", ExternalId: "ext", SnsRegion: "us-east-1" };
const SES = {
  EmailSendingAccount: "DEVELOPER" as const,
  SourceArn: "arn:aws:ses:us-east-1:123456789012:identity/example.com",
  From: "no-reply@example.com",
};

describe("SetUserPoolMfaConfig / GetUserPoolMfaConfig", () => {
  let server: TestServer;
  let client: CognitoIdentityProviderClient;
  before(async () => {
    server = await startServer();
    client = server.client();
  });
  after(() => server.stop());

  async function newPool(extra: Record<string, unknown> = {}): Promise<string> {
    const { UserPool } = await client.send(new CreateUserPoolCommand({ PoolName: "mfa", ...extra }));
    return UserPool!.Id!;
  }

  test("a new pool has MFA OFF and nothing else", async () => {
    const UserPoolId = await newPool();
    const got = await client.send(new GetUserPoolMfaConfigCommand({ UserPoolId }));
    assert.equal(got.MfaConfiguration, "OFF");
    assert.equal(got.SoftwareTokenMfaConfiguration, undefined);
    assert.equal(got.SmsMfaConfiguration, undefined);
    assert.equal(got.EmailMfaConfiguration, undefined);
  });

  test("every member is stored, returned, and shown by DescribeUserPool", async () => {
    const UserPoolId = await newPool({ EmailConfiguration: SES });
    const input = {
      UserPoolId,
      MfaConfiguration: "OPTIONAL" as const,
      SmsMfaConfiguration: { SmsAuthenticationMessage: "Code {####}", SmsConfiguration: SMS },
      SoftwareTokenMfaConfiguration: { Enabled: true },
      EmailMfaConfiguration: { Message: "Your code {####}", Subject: "Sign-in code" },
      WebAuthnConfiguration: { RelyingPartyId: "auth.example.com", UserVerification: "required" as const },
    };
    const set = await client.send(new SetUserPoolMfaConfigCommand(input));
    const got = await client.send(new GetUserPoolMfaConfigCommand({ UserPoolId }));
    for (const answer of [set, got]) {
      assert.equal(answer.MfaConfiguration, "OPTIONAL");
      assert.deepEqual(answer.SmsMfaConfiguration, input.SmsMfaConfiguration);
      assert.deepEqual(answer.SoftwareTokenMfaConfiguration, { Enabled: true });
      assert.deepEqual(answer.EmailMfaConfiguration, input.EmailMfaConfiguration);
      assert.deepEqual(answer.WebAuthnConfiguration, input.WebAuthnConfiguration);
    }
    const { UserPool } = await client.send(new DescribeUserPoolCommand({ UserPoolId }));
    assert.equal(UserPool?.MfaConfiguration, "OPTIONAL");
    assert.equal(UserPool?.SmsAuthenticationMessage, "Code {####}");
    assert.deepEqual(UserPool?.SmsConfiguration, SMS);
    assert.equal((UserPool as Record<string, unknown>).SoftwareTokenMfaConfiguration, undefined);
  });

  test("WebAuthnConfiguration's UserVerification defaults to preferred, with MFA OFF", async () => {
    const UserPoolId = await newPool();
    const set = await client.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId,
        MfaConfiguration: "OFF",
        WebAuthnConfiguration: { RelyingPartyId: "example.com" },
      }),
    );
    assert.deepEqual(set.WebAuthnConfiguration, {
      RelyingPartyId: "example.com",
      UserVerification: "preferred",
    });
    assert.equal(set.MfaConfiguration, "OFF");
  });

  test("a call replaces the whole configuration: a factor left out is turned off", async () => {
    const UserPoolId = await newPool({ SmsConfiguration: SMS });
    await client.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId,
        MfaConfiguration: "ON",
        SmsMfaConfiguration: {},
        SoftwareTokenMfaConfiguration: { Enabled: true },
      }),
    );
    await client.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId,
        MfaConfiguration: "ON",
        SoftwareTokenMfaConfiguration: { Enabled: true },
      }),
    );
    const got = await client.send(new GetUserPoolMfaConfigCommand({ UserPoolId }));
    assert.equal(got.SmsMfaConfiguration, undefined);
    assert.deepEqual(got.SoftwareTokenMfaConfiguration, { Enabled: true });
    await client.send(new SetUserPoolMfaConfigCommand({ UserPoolId }));
    const off = await client.send(new GetUserPoolMfaConfigCommand({ UserPoolId }));
    assert.equal(off.MfaConfiguration, "OFF");
    assert.equal(off.SoftwareTokenMfaConfiguration, undefined);
  });

  test("AWS's validation errors", async () => {
    const UserPoolId = await newPool();
    await rejectsWith(
      client.send(
        new SetUserPoolMfaConfigCommand({
          UserPoolId,
          MfaConfiguration: "OFF",
          SoftwareTokenMfaConfiguration: { Enabled: true },
        }),
      ),
      "InvalidParameterException",
      400,
      /can't turn off MFA and configure an MFA together/,
    );
    await rejectsWith(
      client.send(new SetUserPoolMfaConfigCommand({ UserPoolId, MfaConfiguration: "ON" })),
      "InvalidParameterException",
      400,
      /SMS MFA, Email MFA, or Software Token MFA must be enabled/,
    );
    await rejectsWith(
      client.send(
        new SetUserPoolMfaConfigCommand({
          UserPoolId,
          MfaConfiguration: "OPTIONAL",
          SoftwareTokenMfaConfiguration: { Enabled: false },
        }),
      ),
      "InvalidParameterException",
      400,
      /must be enabled/,
    );
    await rejectsWith(
      client.send(
        new SetUserPoolMfaConfigCommand({
          UserPoolId,
          MfaConfiguration: "OPTIONAL",
          EmailMfaConfiguration: { Message: "{####}" },
        }),
      ),
      "InvalidParameterException",
      400,
      /DEVELOPER/,
    );
    await rejectsWith(
      client.send(
        new SetUserPoolMfaConfigCommand({
          UserPoolId,
          MfaConfiguration: "OPTIONAL",
          SmsMfaConfiguration: {},
        }),
      ),
      "InvalidParameterException",
      400,
      /SMS configuration/,
    );
    await rejectsWith(
      client.send(
        new SetUserPoolMfaConfigCommand({
          UserPoolId,
          MfaConfiguration: "OPTIONAL",
          SmsMfaConfiguration: { SmsAuthenticationMessage: "no code here", SmsConfiguration: SMS },
        }),
      ),
      "InvalidParameterException",
      400,
    );
    const lite = await newPool({ UserPoolTier: "LITE", EmailConfiguration: SES });
    await rejectsWith(
      client.send(
        new SetUserPoolMfaConfigCommand({
          UserPoolId: lite,
          MfaConfiguration: "OPTIONAL",
          EmailMfaConfiguration: {},
        }),
      ),
      "FeatureUnavailableInTierException",
      400,
    );
    await rejectsWith(
      client.send(new GetUserPoolMfaConfigCommand({ UserPoolId: "us-east-1_nopenope1" })),
      "ResourceNotFoundException",
      400,
    );
    const still = await client.send(new GetUserPoolMfaConfigCommand({ UserPoolId }));
    assert.equal(still.MfaConfiguration, "OFF");
  });

  test("UpdateUserPool keeps the factors while MFA stays on, and drops them when it turns MFA OFF", async () => {
    const UserPoolId = await newPool();
    await client.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId,
        MfaConfiguration: "ON",
        SoftwareTokenMfaConfiguration: { Enabled: true },
        WebAuthnConfiguration: { RelyingPartyId: "example.com" },
      }),
    );
    await client.send(new UpdateUserPoolCommand({ UserPoolId, MfaConfiguration: "OPTIONAL" }));
    const kept = await client.send(new GetUserPoolMfaConfigCommand({ UserPoolId }));
    assert.equal(kept.MfaConfiguration, "OPTIONAL");
    assert.deepEqual(kept.SoftwareTokenMfaConfiguration, { Enabled: true });
    const { UserPool } = await client.send(new DescribeUserPoolCommand({ UserPoolId }));
    assert.equal(UserPool?.MfaConfiguration, "OPTIONAL");

    await client.send(new UpdateUserPoolCommand({ UserPoolId }));
    const off = await client.send(new GetUserPoolMfaConfigCommand({ UserPoolId }));
    assert.equal(off.MfaConfiguration, "OFF");
    assert.equal(off.SoftwareTokenMfaConfiguration, undefined);
    assert.equal(off.WebAuthnConfiguration?.RelyingPartyId, "example.com");
  });

  test("CreateUserPool / UpdateUserPool turning MFA on without factors means SMS MFA, which needs SmsConfiguration", async () => {
    await rejectsWith(
      client.send(new CreateUserPoolCommand({ PoolName: "on", MfaConfiguration: "ON" })),
      "InvalidParameterException",
      400,
      /SMS configuration and Auto verification for phone_number are required/,
    );
    const UserPoolId = await newPool({ MfaConfiguration: "OPTIONAL", SmsConfiguration: SMS });
    const got = await client.send(new GetUserPoolMfaConfigCommand({ UserPoolId }));
    assert.equal(got.MfaConfiguration, "OPTIONAL");
    assert.deepEqual(got.SmsMfaConfiguration, { SmsConfiguration: SMS });
    const plain = await newPool();
    await rejectsWith(
      client.send(new UpdateUserPoolCommand({ UserPoolId: plain, MfaConfiguration: "ON" })),
      "InvalidParameterException",
      400,
    );
  });
});
