/**
 * CustomMessage through the AWS SDK: the text the inbox receives for every source (_SignUp,
 * _ResendCode, _ForgotPassword, _AdminCreateUser with usernameParameter, _UpdateUserAttribute,
 * _VerifyUserAttribute, _Authentication for an MFA code), the event's codeParameter and
 * clientMetadata, and Cognito's checks on the answer (the code placeholder, the length limits).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  AdminCreateUserCommand,
  AdminSetUserMFAPreferenceCommand,
  type CognitoIdentityProviderClient,
  ForgotPasswordCommand,
  GetUserAttributeVerificationCodeCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  SetUserPoolMfaConfigCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import type { CustomMessageTriggerEvent } from "aws-lambda";
import { inbox, type InboxMessage } from "../../support/inbox.ts";
import { confirmedUser, poolWithClient } from "../../support/pools.ts";
import { arn, FIXTURES, startTriggerServer, type TriggerServer } from "../../support/triggers.ts";

const PASSWORD = "Corr3ct-Horse";

describe("CustomMessage", () => {
  let t: TriggerServer;
  let client: CognitoIdentityProviderClient;
  let poolId: string;
  let clientId: string;

  before(async () => {
    t = await startTriggerServer(
      { [arn("custom-message")]: { module: join(FIXTURES, "custom-message.ts") } },
      ["--memory", "--delivery", "inbox"],
    );
    client = t.server.client();
    ({ poolId, clientId } = await poolWithClient(client, {
      pool: { AutoVerifiedAttributes: ["email"], LambdaConfig: { CustomMessage: arn("custom-message") } },
      app: { ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] },
    }));
  });
  after(() => t.stop());

  const newest = async (username: string): Promise<InboxMessage> => {
    const [m] = await inbox(t.server, { poolId, username });
    assert.ok(m, `a message for ${username}`);
    return m;
  };
  const lastEvent = (source: string) => t.events<CustomMessageTriggerEvent>(source).at(-1);
  const signUp = (username: string) =>
    client.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: username,
        Password: PASSWORD,
        UserAttributes: [{ Name: "email", Value: `${username}@example.com` }],
        ClientMetadata: { campaign: "spring" },
      }),
    );

  test("SignUp and ResendConfirmationCode: the function's text, with the code in it", async () => {
    await signUp("alice");
    const m = await newest("alice");
    assert.equal(m.subject, "Custom subject for CustomMessage_SignUp");
    assert.equal(m.body, `[CustomMessage_SignUp] code ${m.code}`);
    const event = lastEvent("CustomMessage_SignUp")!;
    assert.equal(event.userName, "alice");
    assert.equal(event.callerContext.clientId, clientId);
    assert.equal(event.request.codeParameter, "{####}");
    assert.equal(event.request.usernameParameter, null);
    assert.equal(event.request.userAttributes.email, "alice@example.com");
    assert.deepEqual(event.request.clientMetadata, { campaign: "spring" });
    assert.deepEqual(event.response, { smsMessage: null, emailMessage: null, emailSubject: null });

    await client.send(
      new ResendConfirmationCodeCommand({
        ClientId: clientId,
        Username: "alice",
        ClientMetadata: { again: "yes" },
      }),
    );
    const again = await newest("alice");
    assert.equal(again.body, `[CustomMessage_ResendCode] code ${again.code}`);
    assert.deepEqual(lastEvent("CustomMessage_ResendCode")!.request.clientMetadata, { again: "yes" });
  });

  test("AdminCreateUser: the invitation, with usernameParameter and the temporary password", async () => {
    await client.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: "bob",
        TemporaryPassword: "Temp-passw0rd!",
        UserAttributes: [
          { Name: "email", Value: "bob@example.com" },
          { Name: "email_verified", Value: "true" },
        ],
        DesiredDeliveryMediums: ["EMAIL"],
        ClientMetadata: { by: "admin" },
      }),
    );
    const m = await newest("bob");
    assert.equal(m.body, "[CustomMessage_AdminCreateUser] bob code Temp-passw0rd!");
    const event = lastEvent("CustomMessage_AdminCreateUser")!;
    assert.equal(event.request.usernameParameter, "{username}");
    assert.equal(event.callerContext.clientId, "CLIENT_ID_NOT_APPLICABLE");
    assert.deepEqual(event.request.clientMetadata, { by: "admin" });
  });

  test("ForgotPassword, UpdateUserAttributes and GetUserAttributeVerificationCode", async () => {
    await confirmedUser(client, poolId, "carol", PASSWORD, [
      { Name: "email", Value: "carol@example.com" },
      { Name: "email_verified", Value: "true" },
    ]);
    await client.send(new ForgotPasswordCommand({ ClientId: clientId, Username: "carol" }));
    let m = await newest("carol");
    assert.equal(m.body, `[CustomMessage_ForgotPassword] code ${m.code}`);

    const signIn = await client.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "carol", PASSWORD },
      }),
    );
    const AccessToken = signIn.AuthenticationResult!.AccessToken!;
    await client.send(
      new UpdateUserAttributesCommand({
        AccessToken,
        UserAttributes: [{ Name: "email", Value: "carol2@example.com" }],
        ClientMetadata: { change: "email" },
      }),
    );
    m = await newest("carol");
    assert.equal(m.body, `[CustomMessage_UpdateUserAttribute] code ${m.code}`);
    assert.deepEqual(lastEvent("CustomMessage_UpdateUserAttribute")!.request.clientMetadata, {
      change: "email",
    });

    await client.send(
      new GetUserAttributeVerificationCodeCommand({
        AccessToken,
        AttributeName: "email",
        ClientMetadata: { v: "1" },
      }),
    );
    m = await newest("carol");
    assert.equal(m.body, `[CustomMessage_VerifyUserAttribute] code ${m.code}`);
    assert.deepEqual(lastEvent("CustomMessage_VerifyUserAttribute")!.request.clientMetadata, { v: "1" });
  });

  test("an SMS MFA code: CustomMessage_Authentication", async () => {
    const mfa = await poolWithClient(client, {
      pool: { LambdaConfig: { CustomMessage: arn("custom-message") } },
      app: { ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] },
    });
    await client.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: mfa.poolId,
        MfaConfiguration: "OPTIONAL",
        SmsMfaConfiguration: {
          SmsConfiguration: { SnsCallerArn: "arn:aws:iam::123456789012:role/sms", ExternalId: "x" },
        },
      }),
    );
    await confirmedUser(client, mfa.poolId, "dave", PASSWORD, [
      { Name: "phone_number", Value: "+15555550100" },
      { Name: "phone_number_verified", Value: "true" },
    ]);
    await client.send(
      new AdminSetUserMFAPreferenceCommand({
        UserPoolId: mfa.poolId,
        Username: "dave",
        SMSMfaSettings: { Enabled: true, PreferredMfa: true },
      }),
    );
    const out = await client.send(
      new InitiateAuthCommand({
        ClientId: mfa.clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "dave", PASSWORD },
        ClientMetadata: { step: "mfa" },
      }),
    );
    assert.equal(out.ChallengeName, "SMS_MFA");
    const [m] = await inbox(t.server, { poolId: mfa.poolId, username: "dave" });
    assert.equal(m?.channel, "SMS");
    assert.equal(m?.body, `[CustomMessage_Authentication] code ${m?.code}`);
    // InitiateAuth's ClientMetadata goes to no message trigger (InitiateAuth's API reference).
    assert.equal(lastEvent("CustomMessage_Authentication")!.request.clientMetadata, undefined);
  });

  test("an email body Cognito's pattern refuses (no code placeholder, empty, a no-break space): InvalidParameterException", async () => {
    const pattern = "[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s*]*\\{####\\}[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s*]*";
    for (const [username, body] of [
      ["nocode-erin", "There is no code here."],
      ["empty-ed", ""],
      ["nbsp-nia", "Your code:\u00a0{####}"],
    ] as const) {
      await assert.rejects(signUp(username), (e: Error) => {
        assert.equal(e.name, "InvalidParameterException");
        assert.equal(
          e.message,
          `1 validation error detected: Value '${body}' at 'emailBody' failed to satisfy constraint: Member must satisfy regular expression pattern: ${pattern}`,
        );
        return true;
      });
      assert.deepEqual(await inbox(t.server, { poolId, username }), [], "nothing was sent");
    }
  });

  test("an email over the length limit, or an invitation without the username: Cognito's own message", async () => {
    await signUp("long-frank");
    let m = await newest("long-frank");
    assert.equal(m.body, `Your verification code is ${m.code}. `);
    // An invitation must name the user too.
    await client.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: "nouser-gina",
        TemporaryPassword: "Temp-passw0rd!",
        UserAttributes: [
          { Name: "email", Value: "gina@example.com" },
          { Name: "email_verified", Value: "true" },
        ],
        DesiredDeliveryMediums: ["EMAIL"],
      }),
    );
    m = await newest("nouser-gina");
    assert.equal(m.body, "Your username is nouser-gina and temporary password is Temp-passw0rd!. ");
  });
});
