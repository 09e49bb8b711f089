/**
 * USER_AUTH (choice-based sign-in) through the AWS SDK: PREFERRED_CHALLENGE, SELECT_CHALLENGE with
 * AvailableChallenges, the PASSWORD and PASSWORD_SRP first factors, ConfirmSignUp's Session, and
 * the auth factors of a user. Passkeys (WEB_AUTHN) are in test/browser/passkeys.test.ts.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  AdminGetUserAuthFactorsCommand,
  AdminInitiateAuthCommand,
  type CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  GetUserAuthFactorsCommand,
  InitiateAuthCommand,
  type InitiateAuthCommandOutput,
  RespondToAuthChallengeCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWith } from "../support/assert.ts";
import { latestCode } from "../support/inbox.ts";
import { confirmedUser, poolWithClient } from "../support/pools.ts";
import { startServer, type TestServer } from "../support/server.ts";
import { passwordVerifierResponses, startClientSrp } from "../support/srp-client.ts";

const PASSWORD = "Choice-based-1!";

describe("USER_AUTH through the AWS SDK", () => {
  let server: TestServer;
  let client: CognitoIdentityProviderClient;
  let poolId: string;
  let clientId: string;
  let hidingClientId: string;
  let users = 0;

  before(async () => {
    server = await startServer({ args: ["--memory", "--delivery", "inbox"] });
    client = server.client();
    ({ poolId, clientId } = await poolWithClient(client, {
      pool: {
        PoolName: "choice",
        AutoVerifiedAttributes: ["email"],
        Policies: { SignInPolicy: { AllowedFirstAuthFactors: ["PASSWORD", "WEB_AUTHN"] } },
      },
      app: {
        ExplicitAuthFlows: ["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH"],
        PreventUserExistenceErrors: "LEGACY",
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

  async function newUser(): Promise<string> {
    const name = `user${++users}`;
    await confirmedUser(client, poolId, name, PASSWORD);
    return name;
  }

  const initiate = (params: Record<string, string>, id = clientId, session?: string) =>
    client.send(
      new InitiateAuthCommand({
        ClientId: id,
        AuthFlow: "USER_AUTH",
        AuthParameters: params,
        Session: session,
      }),
    );

  const respond = (name: string, responses: Record<string, string>, session?: string, id = clientId) =>
    client.send(
      new RespondToAuthChallengeCommand({
        ClientId: id,
        ChallengeName: name as "SELECT_CHALLENGE",
        ChallengeResponses: responses,
        Session: session,
      }),
    );

  function signedIn(out: { AuthenticationResult?: { AccessToken?: string; RefreshToken?: string } }): string {
    assert.ok(out.AuthenticationResult?.AccessToken, "tokens");
    assert.ok(out.AuthenticationResult.RefreshToken);
    return out.AuthenticationResult.AccessToken;
  }

  async function answerVerifier(
    out: InitiateAuthCommandOutput | { ChallengeName?: string; ChallengeParameters?: Record<string, string> },
    srp: ReturnType<typeof startClientSrp>,
    password = PASSWORD,
  ) {
    assert.equal(out.ChallengeName, "PASSWORD_VERIFIER");
    return respond(
      "PASSWORD_VERIFIER",
      passwordVerifierResponses({
        poolId,
        password,
        client: srp,
        challengeParameters: out.ChallengeParameters!,
      }),
    );
  }

  test("a client without ALLOW_USER_AUTH may not start it", async () => {
    const other = await client.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: "srp-only",
        ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      }),
    );
    await rejectsWith(
      initiate(
        { USERNAME: await newUser(), PREFERRED_CHALLENGE: "PASSWORD", PASSWORD },
        other.UserPoolClient!.ClientId!,
      ),
      "InvalidParameterException",
      400,
      /^USER_AUTH flow not enabled for this client$/,
    );
  });

  test("PREFERRED_CHALLENGE PASSWORD with the password signs in; a wrong one is refused", async () => {
    const name = await newUser();
    signedIn(await initiate({ USERNAME: name, PREFERRED_CHALLENGE: "PASSWORD", PASSWORD }));
    await rejectsWith(
      initiate({ USERNAME: name, PREFERRED_CHALLENGE: "PASSWORD", PASSWORD: "Wrong-password-1!" }),
      "NotAuthorizedException",
      400,
      /^Incorrect username or password\.$/,
    );
    await rejectsWith(
      initiate({ USERNAME: name, PREFERRED_CHALLENGE: "PASSWORD" }),
      "InvalidParameterException",
      400,
      /^Missing required parameter PASSWORD$/,
    );
  });

  test("PREFERRED_CHALLENGE PASSWORD_SRP with SRP_A answers PASSWORD_VERIFIER, whose answer signs in", async () => {
    const name = await newUser();
    const srp = startClientSrp();
    const out = await initiate({ USERNAME: name, PREFERRED_CHALLENGE: "PASSWORD_SRP", SRP_A: srp.srpA });
    signedIn(await answerVerifier(out, srp));
    const again = startClientSrp();
    const second = await initiate({ USERNAME: name, PREFERRED_CHALLENGE: "PASSWORD_SRP", SRP_A: again.srpA });
    await rejectsWith(answerVerifier(second, again, "Wrong-password-1!"), "NotAuthorizedException", 400);
  });

  test("without PREFERRED_CHALLENGE, or with one the user cannot use, the answer is SELECT_CHALLENGE", async () => {
    const name = await newUser();
    const choices: Record<string, string>[] = [
      {},
      { PREFERRED_CHALLENGE: "WEB_AUTHN" },
      { PREFERRED_CHALLENGE: "EMAIL_OTP" },
    ];
    for (const params of choices) {
      const out = await initiate({ USERNAME: name, ...params });
      assert.equal(out.ChallengeName, "SELECT_CHALLENGE");
      // WEB_AUTHN is allowed by the pool, but the user has no passkey.
      assert.deepEqual(out.AvailableChallenges, ["PASSWORD", "PASSWORD_SRP"]);
      assert.deepEqual(out.ChallengeParameters, {});
      assert.ok(out.Session);
    }
  });

  test("SELECT_CHALLENGE answered with PASSWORD signs in, once per session", async () => {
    const name = await newUser();
    const { Session } = await initiate({ USERNAME: name });
    signedIn(await respond("SELECT_CHALLENGE", { USERNAME: name, ANSWER: "PASSWORD", PASSWORD }, Session));
    await rejectsWith(
      respond("SELECT_CHALLENGE", { USERNAME: name, ANSWER: "PASSWORD", PASSWORD }, Session),
      "NotAuthorizedException",
      400,
      /^Invalid session for the user, session is expired\.$/,
    );
  });

  test("SELECT_CHALLENGE answered with PASSWORD_SRP goes on to PASSWORD_VERIFIER", async () => {
    const name = await newUser();
    const { Session } = await initiate({ USERNAME: name });
    const srp = startClientSrp();
    const out = await respond(
      "SELECT_CHALLENGE",
      { USERNAME: name, ANSWER: "PASSWORD_SRP", SRP_A: srp.srpA },
      Session,
    );
    signedIn(await answerVerifier(out, srp));
  });

  test("SELECT_CHALLENGE refuses a factor it did not offer, another user's name, and a missing ANSWER", async () => {
    const name = await newUser();
    const other = await newUser();
    const { Session } = await initiate({ USERNAME: name });
    await rejectsWith(
      respond("SELECT_CHALLENGE", { USERNAME: name, ANSWER: "WEB_AUTHN" }, Session),
      "InvalidParameterException",
      400,
      /^The challenge WEB_AUTHN is not available for this user\.$/,
    );
    await rejectsWith(
      respond("SELECT_CHALLENGE", { USERNAME: other, ANSWER: "PASSWORD", PASSWORD }, Session),
      "NotAuthorizedException",
      400,
    );
    await rejectsWith(
      respond("SELECT_CHALLENGE", { USERNAME: name }, Session),
      "InvalidParameterException",
      400,
      /^Missing required parameter ANSWER$/,
    );
    // The refusals left the session for a right answer.
    signedIn(await respond("SELECT_CHALLENGE", { USERNAME: name, ANSWER: "PASSWORD", PASSWORD }, Session));
  });

  test("a pool that allows PASSWORD only offers nothing else", async () => {
    const only = await poolWithClient(client, {
      pool: { PoolName: "password-only" },
      app: { ExplicitAuthFlows: ["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] },
    });
    await confirmedUser(client, only.poolId, "pat", PASSWORD);
    const out = await client.send(
      new InitiateAuthCommand({
        ClientId: only.clientId,
        AuthFlow: "USER_AUTH",
        AuthParameters: { USERNAME: "pat" },
      }),
    );
    assert.deepEqual(out.AvailableChallenges, ["PASSWORD", "PASSWORD_SRP"]);
  });

  test("AdminInitiateAuth takes USER_AUTH too", async () => {
    const name = await newUser();
    const out = await client.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        AuthFlow: "USER_AUTH",
        AuthParameters: { USERNAME: name, PREFERRED_CHALLENGE: "PASSWORD", PASSWORD },
      }),
    );
    signedIn(out);
  });

  test("an unknown user is UserNotFoundException, unless the client hides users: then it looks like a user with a password", async () => {
    await rejectsWith(
      initiate({ USERNAME: "nobody-here" }),
      "UserNotFoundException",
      400,
      /^User does not exist\.$/,
    );
    const out = await initiate({ USERNAME: "nobody-here" }, hidingClientId);
    assert.equal(out.ChallengeName, "SELECT_CHALLENGE");
    assert.deepEqual(out.AvailableChallenges, ["PASSWORD", "PASSWORD_SRP"]);
    await rejectsWith(
      respond(
        "SELECT_CHALLENGE",
        { USERNAME: "nobody-here", ANSWER: "PASSWORD", PASSWORD },
        out.Session,
        hidingClientId,
      ),
      "NotAuthorizedException",
      400,
      /^Incorrect username or password\.$/,
    );
  });

  test("ConfirmSignUp's Session signs the user straight in with USER_AUTH, once", async () => {
    await client.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: "newcomer",
        Password: PASSWORD,
        UserAttributes: [{ Name: "email", Value: "newcomer@example.com" }],
      }),
    );
    await client.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: "later",
        Password: PASSWORD,
        UserAttributes: [{ Name: "email", Value: "later@example.com" }],
      }),
    );
    const code = await latestCode(server, { poolId, username: "newcomer" });
    const { Session } = await client.send(
      new ConfirmSignUpCommand({ ClientId: clientId, Username: "newcomer", ConfirmationCode: code }),
    );
    assert.ok(Session, "ConfirmSignUp answers a Session");
    // Not for another user.
    await rejectsWith(initiate({ USERNAME: "later" }, clientId, Session), "NotAuthorizedException", 400);
    const { Session: second } = await client.send(
      new ConfirmSignUpCommand({
        ClientId: clientId,
        Username: "later",
        ConfirmationCode: await latestCode(server, { poolId, username: "later" }),
      }),
    );
    const access = signedIn(await initiate({ USERNAME: "later" }, clientId, second));
    const claims = JSON.parse(Buffer.from(access.split(".")[1]!, "base64url").toString()) as {
      username: string;
    };
    assert.equal(claims.username, "later");
    await rejectsWith(
      initiate({ USERNAME: "later" }, clientId, second),
      "NotAuthorizedException",
      400,
      /^Invalid session for the user, session is expired\.$/,
    );
  });

  test("GetUserAuthFactors and AdminGetUserAuthFactors list a password user's PASSWORD", async () => {
    const name = await newUser();
    const access = signedIn(await initiate({ USERNAME: name, PREFERRED_CHALLENGE: "PASSWORD", PASSWORD }));
    const mine = await client.send(new GetUserAuthFactorsCommand({ AccessToken: access }));
    assert.equal(mine.Username, name);
    assert.deepEqual(mine.ConfiguredUserAuthFactors, ["PASSWORD"]);
    const theirs = await client.send(
      new AdminGetUserAuthFactorsCommand({ UserPoolId: poolId, Username: name }),
    );
    assert.equal(theirs.Username, name);
    assert.deepEqual(theirs.ConfiguredUserAuthFactors, ["PASSWORD"]);
    await rejectsWith(
      client.send(new AdminGetUserAuthFactorsCommand({ UserPoolId: poolId, Username: "no-such-user" })),
      "UserNotFoundException",
      400,
    );
  });
});
