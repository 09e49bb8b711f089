/**
 * PreAuthentication and PostAuthentication in every password sign-in: USER_PASSWORD_AUTH,
 * ADMIN_USER_PASSWORD_AUTH, USER_SRP_AUTH (through amazon-cognito-identity-js, whose
 * ClientMetadata the events carry), the NEW_PASSWORD_REQUIRED answer and the managed login page.
 * PreAuthentication denies before the password is checked; with PreventUserExistenceErrors an
 * unknown name reaches it with userNotFound; a refresh fires neither.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserMFAPreferenceCommand,
  type CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserPoolMfaConfigCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { AuthenticationDetails, CognitoUser, CognitoUserPool } from "amazon-cognito-identity-js";
import type { PostAuthenticationTriggerEvent, PreAuthenticationTriggerEvent } from "aws-lambda";
import { latestCode } from "../../support/inbox.ts";
import { authorizationUrl, callbackOf, oauthApp, relyingParty, signInAt } from "../../support/oauth.ts";
import { confirmedUser, poolWithClient } from "../../support/pools.ts";
import { arn, failsWith, FIXTURES, startTriggerServer, type TriggerServer } from "../../support/triggers.ts";

const PASSWORD = "Corr3ct-Horse";
const LAMBDA = { PreAuthentication: arn("record"), PostAuthentication: arn("record") };

describe("PreAuthentication and PostAuthentication", () => {
  let t: TriggerServer;
  let client: CognitoIdentityProviderClient;
  let poolId: string;
  let clientId: string;

  before(async () => {
    t = await startTriggerServer({ [arn("record")]: { module: join(FIXTURES, "record.ts") } }, [
      "--memory",
      "--delivery",
      "inbox",
    ]);
    client = t.server.client();
    ({ poolId, clientId } = await poolWithClient(client, {
      pool: { LambdaConfig: LAMBDA },
      app: {
        ExplicitAuthFlows: [
          "ALLOW_USER_PASSWORD_AUTH",
          "ALLOW_ADMIN_USER_PASSWORD_AUTH",
          "ALLOW_USER_SRP_AUTH",
          "ALLOW_REFRESH_TOKEN_AUTH",
        ],
      },
    }));
    await confirmedUser(client, poolId, "alice", PASSWORD, [{ Name: "email", Value: "alice@example.com" }]);
    await confirmedUser(client, poolId, "deny-bob", PASSWORD);
  });
  after(() => t.stop());

  const passwordAuth = (username: string, password = PASSWORD, meta?: Record<string, string>) =>
    client.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: username, PASSWORD: password },
        ...(meta ? { ClientMetadata: meta } : {}),
      }),
    );

  test("USER_PASSWORD_AUTH: both events, as documented; ClientMetadata is PreAuthentication's validationData", async () => {
    t.clearEvents();
    const out = await passwordAuth("alice", PASSWORD, { device: "kiosk" });
    assert.ok(out.AuthenticationResult?.IdToken);
    const events = t.events();
    assert.deepEqual(
      events.map((e) => e.triggerSource),
      ["PreAuthentication_Authentication", "PostAuthentication_Authentication"],
    );
    const pre = events[0] as unknown as PreAuthenticationTriggerEvent;
    assert.equal(pre.version, "1");
    assert.equal(pre.userName, "alice");
    assert.equal(pre.userPoolId, poolId);
    assert.equal(pre.callerContext.clientId, clientId);
    assert.deepEqual(pre.request.validationData, { device: "kiosk" });
    assert.equal(pre.request.userNotFound, undefined);
    assert.equal(pre.request.userAttributes.email, "alice@example.com");
    assert.equal(pre.request.userAttributes["cognito:user_status"], "CONFIRMED");
    const post = events[1] as unknown as PostAuthenticationTriggerEvent;
    assert.equal(post.userName, "alice");
    assert.equal(post.request.newDeviceUsed, false);
    // InitiateAuth's ClientMetadata goes to PreAuthentication only (InitiateAuth's API reference).
    assert.equal("clientMetadata" in post.request, false);
    assert.deepEqual(post.response, {});

    // A refresh is no sign-in: neither trigger runs.
    t.clearEvents();
    await client.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "REFRESH_TOKEN_AUTH",
        AuthParameters: { REFRESH_TOKEN: out.AuthenticationResult!.RefreshToken! },
      }),
    );
    assert.deepEqual(t.events(), []);
  });

  test("PreAuthentication denies, before the password is checked; PostAuthentication does not run", async () => {
    t.clearEvents();
    await failsWith(
      passwordAuth("deny-bob", "wrong-password"),
      "UserLambdaValidationException",
      "PreAuthentication failed with error PreAuthentication_Authentication says no.",
    );
    assert.deepEqual(
      t.events().map((e) => e.triggerSource),
      ["PreAuthentication_Authentication"],
    );
  });

  test("a wrong password: PreAuthentication ran, PostAuthentication did not", async () => {
    t.clearEvents();
    await assert.rejects(passwordAuth("alice", "Wrong-passw0rd"), { name: "NotAuthorizedException" });
    assert.deepEqual(
      t.events().map((e) => e.triggerSource),
      ["PreAuthentication_Authentication"],
    );
  });

  test("an unknown user: no trigger; with PreventUserExistenceErrors, PreAuthentication with userNotFound", async () => {
    t.clearEvents();
    await assert.rejects(passwordAuth("nobody"), { name: "UserNotFoundException" });
    assert.deepEqual(t.events(), []);
    const hiding = await poolWithClient(client, {
      pool: { LambdaConfig: LAMBDA },
      app: {
        ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        PreventUserExistenceErrors: "ENABLED",
      },
    });
    await assert.rejects(
      client.send(
        new InitiateAuthCommand({
          ClientId: hiding.clientId,
          AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: "nobody", PASSWORD },
        }),
      ),
      { name: "NotAuthorizedException" },
    );
    const [pre] = t.events<PreAuthenticationTriggerEvent>("PreAuthentication_Authentication");
    assert.equal(pre?.userName, "nobody");
    assert.equal(pre?.request.userNotFound, true);
    assert.deepEqual(pre?.request.userAttributes, {});
  });

  test("ADMIN_USER_PASSWORD_AUTH", async () => {
    t.clearEvents();
    await client.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "alice", PASSWORD },
        ClientMetadata: { via: "admin" },
      }),
    );
    const [pre, post] = t.events();
    assert.deepEqual((pre as unknown as PreAuthenticationTriggerEvent).request.validationData, {
      via: "admin",
    });
    assert.equal(post?.triggerSource, "PostAuthentication_Authentication");
  });

  test("USER_SRP_AUTH through amazon-cognito-identity-js: PreAuthentication at InitiateAuth, PostAuthentication at the verifier", async () => {
    t.clearEvents();
    const pool = new CognitoUserPool({
      UserPoolId: poolId,
      ClientId: clientId,
      endpoint: `${t.server.url}/`,
    });
    const user = new CognitoUser({ Username: "alice", Pool: pool });
    await new Promise((resolve, reject) =>
      user.authenticateUser(
        new AuthenticationDetails({
          Username: "alice",
          Password: PASSWORD,
          ClientMetadata: { lib: "identity-js" },
        }),
        { onSuccess: resolve, onFailure: reject },
      ),
    );
    const [pre, post] = t.events();
    assert.equal(pre?.triggerSource, "PreAuthentication_Authentication");
    assert.deepEqual((pre as unknown as PreAuthenticationTriggerEvent).request.validationData, {
      lib: "identity-js",
    });
    assert.equal(post?.triggerSource, "PostAuthentication_Authentication");
    assert.deepEqual((post as unknown as PostAuthenticationTriggerEvent).request.clientMetadata, {
      lib: "identity-js",
    });
  });

  test("NEW_PASSWORD_REQUIRED: PostAuthentication when the challenge is answered, with its ClientMetadata", async () => {
    await client.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: "carol",
        TemporaryPassword: "Temp-passw0rd!",
        MessageAction: "SUPPRESS",
      }),
    );
    t.clearEvents();
    const first = await passwordAuth("carol", "Temp-passw0rd!");
    assert.equal(first.ChallengeName, "NEW_PASSWORD_REQUIRED");
    assert.deepEqual(
      t.events().map((e) => e.triggerSource),
      ["PreAuthentication_Authentication"],
    );
    await client.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: "NEW_PASSWORD_REQUIRED",
        Session: first.Session,
        ChallengeResponses: { USERNAME: "carol", NEW_PASSWORD: PASSWORD },
        ClientMetadata: { step: "new-password" },
      }),
    );
    const [post] = t.events<PostAuthenticationTriggerEvent>("PostAuthentication_Authentication");
    assert.deepEqual(post?.request.clientMetadata, { step: "new-password" });
  });

  test("SMS MFA: PostAuthentication when the MFA code completes the sign-in, with that request's ClientMetadata", async () => {
    const mfa = await poolWithClient(client, {
      pool: { LambdaConfig: LAMBDA },
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
    await confirmedUser(client, mfa.poolId, "erin", PASSWORD, [
      { Name: "phone_number", Value: "+15555550101" },
      { Name: "phone_number_verified", Value: "true" },
    ]);
    await client.send(
      new AdminSetUserMFAPreferenceCommand({
        UserPoolId: mfa.poolId,
        Username: "erin",
        SMSMfaSettings: { Enabled: true, PreferredMfa: true },
      }),
    );
    t.clearEvents();
    const first = await client.send(
      new InitiateAuthCommand({
        ClientId: mfa.clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "erin", PASSWORD },
      }),
    );
    assert.equal(first.ChallengeName, "SMS_MFA");
    assert.deepEqual(
      t.events().map((e) => e.triggerSource),
      ["PreAuthentication_Authentication"],
    );
    const code = await latestCode(t.server, { poolId: mfa.poolId, username: "erin" });
    const done = await client.send(
      new RespondToAuthChallengeCommand({
        ClientId: mfa.clientId,
        ChallengeName: "SMS_MFA",
        Session: first.Session,
        ChallengeResponses: { USERNAME: "erin", SMS_MFA_CODE: code },
        ClientMetadata: { step: "mfa" },
      }),
    );
    assert.ok(done.AuthenticationResult?.AccessToken);
    const events = t.events();
    assert.deepEqual(
      events.map((e) => e.triggerSource),
      ["PreAuthentication_Authentication", "PostAuthentication_Authentication"],
    );
    assert.deepEqual((events[1] as unknown as PostAuthenticationTriggerEvent).request.clientMetadata, {
      step: "mfa",
    });
  });

  test("USER_AUTH: PreAuthentication once at InitiateAuth, PostAuthentication after the chosen factor", async () => {
    const choice = await poolWithClient(client, {
      pool: { LambdaConfig: LAMBDA, Policies: { SignInPolicy: { AllowedFirstAuthFactors: ["PASSWORD"] } } },
      app: { ExplicitAuthFlows: ["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] },
    });
    await confirmedUser(client, choice.poolId, "frank", PASSWORD);
    t.clearEvents();
    const first = await client.send(
      new InitiateAuthCommand({
        ClientId: choice.clientId,
        AuthFlow: "USER_AUTH",
        AuthParameters: { USERNAME: "frank" },
        ClientMetadata: { via: "choice" },
      }),
    );
    assert.equal(first.ChallengeName, "SELECT_CHALLENGE");
    const done = await client.send(
      new RespondToAuthChallengeCommand({
        ClientId: choice.clientId,
        ChallengeName: "SELECT_CHALLENGE",
        Session: first.Session,
        ChallengeResponses: { USERNAME: "frank", ANSWER: "PASSWORD", PASSWORD },
      }),
    );
    assert.ok(done.AuthenticationResult?.AccessToken);
    const events = t.events();
    assert.deepEqual(
      events.map((e) => e.triggerSource),
      ["PreAuthentication_Authentication", "PostAuthentication_Authentication"],
    );
    assert.deepEqual((events[0] as unknown as PreAuthenticationTriggerEvent).request.validationData, {
      via: "choice",
    });
  });

  test("the managed login page: both triggers, and PreAuthentication's refusal", async () => {
    const app = await oauthApp(t.server, {}, {}, { LambdaConfig: LAMBDA });
    await confirmedUser(client, app.poolId, "deny-dave", "Passw0rd!long");
    const config = await relyingParty(app);
    t.clearEvents();
    const { url } = await authorizationUrl(config);
    callbackOf(await signInAt(t.server, url, "alice", "Passw0rd!long"));
    assert.deepEqual(
      t.events().map((e) => [e.triggerSource, e.userName]),
      [
        ["PreAuthentication_Authentication", "alice"],
        ["PostAuthentication_Authentication", "alice"],
      ],
    );
    t.clearEvents();
    const refused = await signInAt(
      t.server,
      (await authorizationUrl(config)).url,
      "deny-dave",
      "Passw0rd!long",
    );
    assert.equal(refused.status, 400);
    assert.match(
      await refused.text(),
      /PreAuthentication failed with error PreAuthentication_Authentication says no\./,
    );
    assert.deepEqual(
      t.events().map((e) => e.triggerSource),
      ["PreAuthentication_Authentication"],
    );
  });
});
