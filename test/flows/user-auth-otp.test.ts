/**
 * USER_AUTH with the one-time-password first factors EMAIL_OTP and SMS_OTP, through the AWS SDK:
 * PREFERRED_CHALLENGE and SELECT_CHALLENGE, the code sent through the inbox delivery, the answer
 * with EMAIL_OTP_CODE / SMS_OTP_CODE, and the refusals (wrong, expired or another user's code, a
 * factor the pool does not allow, an unverified address, a user with MFA).
 */
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import {
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  AdminSetUserMFAPreferenceCommand,
  type CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserPoolMfaConfigCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWith } from "../support/assert.ts";
import { inbox, latestCode, setClockOffset } from "../support/inbox.ts";
import { confirmedUser, poolWithClient } from "../support/pools.ts";
import { startServer, type TestServer } from "../support/server.ts";

const PASSWORD = "One-time-first-1!";
const SMS = { SnsCallerArn: "arn:aws:iam::123456789012:role/sns", ExternalId: "ext" };
const SES = {
  EmailSendingAccount: "DEVELOPER" as const,
  SourceArn: "arn:aws:ses:us-east-1:123456789012:identity/example.com",
  From: "no-reply@example.com",
};

describe("USER_AUTH with EMAIL_OTP and SMS_OTP", () => {
  let server: TestServer;
  let client: CognitoIdentityProviderClient;
  let poolId: string;
  let clientId: string;
  let hidingClientId: string;
  let users = 0;

  before(async () => {
    server = await startServer({ args: ["--memory", "--delivery", "inbox", "--enable-test-clock"] });
    client = server.client();
    ({ poolId, clientId } = await poolWithClient(client, {
      pool: {
        PoolName: "passwordless",
        EmailConfiguration: SES,
        SmsConfiguration: SMS,
        Policies: { SignInPolicy: { AllowedFirstAuthFactors: ["PASSWORD", "EMAIL_OTP", "SMS_OTP"] } },
      },
      app: {
        ExplicitAuthFlows: ["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        AuthSessionValidity: 15,
      },
    }));
    const hiding = await client.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: "hiding",
        ExplicitAuthFlows: ["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        PreventUserExistenceErrors: "ENABLED",
      }),
    );
    hidingClientId = hiding.UserPoolClient!.ClientId!;
  });
  after(() => server.stop());
  beforeEach(() => setClockOffset(server, 0));

  /** A user with a verified email and phone number (unless told otherwise). */
  async function newUser(verified = true): Promise<string> {
    const name = `otp${++users}`;
    await confirmedUser(client, poolId, name, PASSWORD, [
      { Name: "email", Value: `${name}@example.com` },
      { Name: "email_verified", Value: String(verified) },
      { Name: "phone_number", Value: `+1555010${String(users).padStart(4, "0")}` },
      { Name: "phone_number_verified", Value: String(verified) },
    ]);
    return name;
  }

  const initiate = (params: Record<string, string>, id = clientId) =>
    client.send(new InitiateAuthCommand({ ClientId: id, AuthFlow: "USER_AUTH", AuthParameters: params }));

  const respond = (name: string, responses: Record<string, string>, session?: string, id = clientId) =>
    client.send(
      new RespondToAuthChallengeCommand({
        ClientId: id,
        ChallengeName: name as "EMAIL_OTP",
        ChallengeResponses: responses,
        Session: session,
      }),
    );

  function username(out: { AuthenticationResult?: { AccessToken?: string; RefreshToken?: string } }) {
    const access = out.AuthenticationResult?.AccessToken;
    assert.ok(access, "tokens");
    assert.ok(out.AuthenticationResult?.RefreshToken);
    return (JSON.parse(Buffer.from(access.split(".")[1]!, "base64url").toString()) as { username: string })
      .username;
  }

  test("PREFERRED_CHALLENGE EMAIL_OTP sends a code by email; EMAIL_OTP_CODE signs in, once", async () => {
    const name = await newUser();
    const out = await initiate({ USERNAME: name, PREFERRED_CHALLENGE: "EMAIL_OTP" });
    assert.equal(out.ChallengeName, "EMAIL_OTP");
    assert.deepEqual(out.ChallengeParameters, {
      CODE_DELIVERY_DELIVERY_MEDIUM: "EMAIL",
      CODE_DELIVERY_DESTINATION: "o***@e***",
    });
    const [message] = await inbox(server, { poolId, username: name });
    assert.equal(message?.channel, "EMAIL");
    assert.equal(message.destination, `${name}@example.com`);
    assert.match(message.body, new RegExp(`^Your authentication code is ${message.code}\\. $`));
    const done = await respond("EMAIL_OTP", { USERNAME: name, EMAIL_OTP_CODE: message.code }, out.Session);
    assert.equal(username(done), name);
    await rejectsWith(
      respond("EMAIL_OTP", { USERNAME: name, EMAIL_OTP_CODE: message.code }, out.Session),
      "NotAuthorizedException",
      400,
      /^Invalid session for the user, session is expired\.$/,
    );
  });

  test("PREFERRED_CHALLENGE SMS_OTP sends a code by SMS; SMS_OTP_CODE signs in", async () => {
    const name = await newUser();
    const out = await initiate({ USERNAME: name, PREFERRED_CHALLENGE: "SMS_OTP" });
    assert.equal(out.ChallengeName, "SMS_OTP");
    assert.equal(out.ChallengeParameters?.CODE_DELIVERY_DELIVERY_MEDIUM, "SMS");
    assert.match(out.ChallengeParameters?.CODE_DELIVERY_DESTINATION ?? "", /^\+\*+\d{4}$/);
    const [message] = await inbox(server, { poolId, username: name });
    assert.equal(message?.channel, "SMS");
    await rejectsWith(
      respond("SMS_OTP", { USERNAME: name }, out.Session),
      "InvalidParameterException",
      400,
      /^Missing required parameter SMS_OTP_CODE$/,
    );
    const done = await respond("SMS_OTP", { USERNAME: name, SMS_OTP_CODE: message.code }, out.Session);
    assert.equal(username(done), name);
  });

  test("SELECT_CHALLENGE offers the codes to a user with verified addresses; ANSWER=EMAIL_OTP / SMS_OTP sends one", async () => {
    for (const [answer, codeName] of [
      ["EMAIL_OTP", "EMAIL_OTP_CODE"],
      ["SMS_OTP", "SMS_OTP_CODE"],
    ] as const) {
      const name = await newUser();
      const first = await initiate({ USERNAME: name });
      assert.equal(first.ChallengeName, "SELECT_CHALLENGE");
      assert.deepEqual(first.AvailableChallenges, ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP"]);
      const second = await respond("SELECT_CHALLENGE", { USERNAME: name, ANSWER: answer }, first.Session);
      assert.equal(second.ChallengeName, answer);
      const code = await latestCode(server, { poolId, username: name });
      assert.equal(
        username(await respond(answer, { USERNAME: name, [codeName]: code }, second.Session)),
        name,
      );
    }
  });

  test("AdminInitiateAuth and AdminRespondToAuthChallenge take the code factors too", async () => {
    const name = await newUser();
    const out = await client.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        AuthFlow: "USER_AUTH",
        AuthParameters: { USERNAME: name, PREFERRED_CHALLENGE: "EMAIL_OTP" },
      }),
    );
    assert.equal(out.ChallengeName, "EMAIL_OTP");
    const done = await client.send(
      new AdminRespondToAuthChallengeCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        ChallengeName: "EMAIL_OTP",
        Session: out.Session,
        ChallengeResponses: {
          USERNAME: name,
          EMAIL_OTP_CODE: await latestCode(server, { poolId, username: name }),
        },
      }),
    );
    assert.equal(username(done), name);
  });

  test("a wrong code is CodeMismatchException and the session stays for the right one", async () => {
    const name = await newUser();
    const out = await initiate({ USERNAME: name, PREFERRED_CHALLENGE: "EMAIL_OTP" });
    const code = await latestCode(server, { poolId, username: name });
    const wrong = code === "000000" ? "111111" : "000000";
    await rejectsWith(
      respond("EMAIL_OTP", { USERNAME: name, EMAIL_OTP_CODE: wrong }, out.Session),
      "CodeMismatchException",
      400,
      /^Invalid code or auth state for the user\.$/,
    );
    assert.equal(
      username(await respond("EMAIL_OTP", { USERNAME: name, EMAIL_OTP_CODE: code }, out.Session)),
      name,
    );
  });

  test("a code past its three minutes is ExpiredCodeException", async () => {
    const name = await newUser();
    const out = await initiate({ USERNAME: name, PREFERRED_CHALLENGE: "SMS_OTP" });
    const code = await latestCode(server, { poolId, username: name });
    await setClockOffset(server, 3 * 60_000 + 5_000);
    await rejectsWith(
      respond("SMS_OTP", { USERNAME: name, SMS_OTP_CODE: code }, out.Session),
      "ExpiredCodeException",
      400,
    );
  });

  test("another user's code, and another user's USERNAME on the session, are refused", async () => {
    const a = await newUser();
    const b = await newUser();
    const forA = await initiate({ USERNAME: a, PREFERRED_CHALLENGE: "EMAIL_OTP" });
    const forB = await initiate({ USERNAME: b, PREFERRED_CHALLENGE: "EMAIL_OTP" });
    const codeA = await latestCode(server, { poolId, username: a });
    const codeB = await latestCode(server, { poolId, username: b });
    if (codeA !== codeB)
      await rejectsWith(
        respond("EMAIL_OTP", { USERNAME: a, EMAIL_OTP_CODE: codeB }, forA.Session),
        "CodeMismatchException",
        400,
      );
    await rejectsWith(
      respond("EMAIL_OTP", { USERNAME: b, EMAIL_OTP_CODE: codeB }, forA.Session),
      "NotAuthorizedException",
      400,
      /^Invalid session for the user\.$/,
    );
    // An SMS_OTP answer on an EMAIL_OTP session is no answer to it.
    await rejectsWith(
      respond("SMS_OTP", { USERNAME: b, SMS_OTP_CODE: codeB }, forB.Session),
      "NotAuthorizedException",
      400,
    );
    assert.equal(
      username(await respond("EMAIL_OTP", { USERNAME: b, EMAIL_OTP_CODE: codeB }, forB.Session)),
      b,
    );
  });

  test("a pool that does not allow the factor, or a user without a verified address, is not offered it", async () => {
    const other = await poolWithClient(client, {
      pool: {
        PoolName: "email-only",
        EmailConfiguration: SES,
        Policies: { SignInPolicy: { AllowedFirstAuthFactors: ["PASSWORD", "EMAIL_OTP"] } },
      },
      app: { ExplicitAuthFlows: ["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] },
    });
    await confirmedUser(client, other.poolId, "someone", PASSWORD, [
      { Name: "email", Value: "someone@example.com" },
      { Name: "email_verified", Value: "true" },
      { Name: "phone_number", Value: "+15550109999" },
      { Name: "phone_number_verified", Value: "true" },
    ]);
    const out = await initiate({ USERNAME: "someone", PREFERRED_CHALLENGE: "SMS_OTP" }, other.clientId);
    assert.equal(out.ChallengeName, "SELECT_CHALLENGE");
    assert.deepEqual(out.AvailableChallenges, ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"]);
    await rejectsWith(
      client.send(
        new RespondToAuthChallengeCommand({
          ClientId: other.clientId,
          ChallengeName: "SELECT_CHALLENGE",
          Session: out.Session,
          ChallengeResponses: { USERNAME: "someone", ANSWER: "SMS_OTP" },
        }),
      ),
      "InvalidParameterException",
      400,
      /^The challenge SMS_OTP is not available for this user\.$/,
    );
    assert.equal((await inbox(server, { poolId: other.poolId })).length, 0, "no code was sent");

    const unverified = await newUser(false);
    const plain = await initiate({ USERNAME: unverified, PREFERRED_CHALLENGE: "EMAIL_OTP" });
    assert.equal(plain.ChallengeName, "SELECT_CHALLENGE");
    assert.deepEqual(plain.AvailableChallenges, ["PASSWORD", "PASSWORD_SRP"]);
    assert.equal((await inbox(server, { poolId, username: unverified })).length, 0);
  });

  test("a user with MFA turned on is not offered the code factors; with MFA OPTIONAL the others sign in without MFA", async () => {
    await client.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: poolId,
        MfaConfiguration: "OPTIONAL",
        SmsMfaConfiguration: { SmsAuthenticationMessage: "MFA code {####}" },
      }),
    );
    try {
      const withMfa = await newUser();
      await client.send(
        new AdminSetUserMFAPreferenceCommand({
          UserPoolId: poolId,
          Username: withMfa,
          SMSMfaSettings: { Enabled: true, PreferredMfa: true },
        }),
      );
      const out = await initiate({ USERNAME: withMfa, PREFERRED_CHALLENGE: "EMAIL_OTP" });
      assert.equal(out.ChallengeName, "SELECT_CHALLENGE");
      assert.deepEqual(out.AvailableChallenges, ["PASSWORD", "PASSWORD_SRP"]);
      // The password factor is followed by the MFA challenge.
      const password = await respond(
        "SELECT_CHALLENGE",
        { USERNAME: withMfa, ANSWER: "PASSWORD", PASSWORD },
        out.Session,
      );
      assert.equal(password.ChallengeName, "SMS_MFA");

      const without = await newUser();
      const first = await initiate({ USERNAME: without, PREFERRED_CHALLENGE: "SMS_OTP" });
      assert.equal(first.ChallengeName, "SMS_OTP");
      const code = await latestCode(server, { poolId, username: without });
      assert.equal(
        username(await respond("SMS_OTP", { USERNAME: without, SMS_OTP_CODE: code }, first.Session)),
        without,
      );
    } finally {
      await client.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: "OFF" }));
    }
  });

  test("with MFA ON the code factors are not offered", async () => {
    await client.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: poolId,
        MfaConfiguration: "ON",
        SmsMfaConfiguration: { SmsAuthenticationMessage: "MFA code {####}" },
      }),
    );
    try {
      const name = await newUser();
      const out = await initiate({ USERNAME: name, PREFERRED_CHALLENGE: "EMAIL_OTP" });
      assert.equal(out.ChallengeName, "SELECT_CHALLENGE");
      assert.deepEqual(out.AvailableChallenges, ["PASSWORD", "PASSWORD_SRP"]);
    } finally {
      await client.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: "OFF" }));
    }
  });

  test("an unknown user is UserNotFoundException, unless the client hides users: then a simulated challenge no code answers", async () => {
    await rejectsWith(
      initiate({ USERNAME: "nobody", PREFERRED_CHALLENGE: "EMAIL_OTP" }),
      "UserNotFoundException",
      400,
    );
    const out = await initiate({ USERNAME: "nobody", PREFERRED_CHALLENGE: "EMAIL_OTP" }, hidingClientId);
    assert.equal(out.ChallengeName, "EMAIL_OTP");
    assert.equal(out.ChallengeParameters?.CODE_DELIVERY_DELIVERY_MEDIUM, "EMAIL");
    assert.match(out.ChallengeParameters?.CODE_DELIVERY_DESTINATION ?? "", /^[a-z]\*\*\*@[a-z]\*\*\*$/);
    const again = await initiate({ USERNAME: "nobody", PREFERRED_CHALLENGE: "EMAIL_OTP" }, hidingClientId);
    assert.deepEqual(again.ChallengeParameters, out.ChallengeParameters, "the same destination each time");
    assert.equal((await inbox(server, { poolId, username: "nobody" })).length, 0, "nothing was sent");
    await rejectsWith(
      respond("EMAIL_OTP", { USERNAME: "nobody", EMAIL_OTP_CODE: "123456" }, out.Session, hidingClientId),
      "CodeMismatchException",
      400,
      /^Invalid code or auth state for the user\.$/,
    );
  });
});
