/**
 * CUSTOM_AUTH through the AWS SDK v3: the define / create / verify triggers as local modules, the
 * session's challenge history, the events they get, and Cognito's errors.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  type CognitoIdentityProviderClient,
  InitiateAuthCommand,
  type InitiateAuthCommandOutput,
  RespondToAuthChallengeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { rejectsWith } from "../../support/assert.ts";
import { customAuthPool, customAuthServer, type CustomAuthServer } from "../../support/custom-auth.ts";
import { confirmedUser, poolWithClient } from "../../support/pools.ts";

const PASSWORD = "Cust0m-auth-password!";

describe("CUSTOM_AUTH through the AWS SDK", () => {
  let lanyard: CustomAuthServer;
  let sdk: CognitoIdentityProviderClient;
  let poolId: string;
  let clientId: string;

  before(async () => {
    lanyard = await customAuthServer();
    sdk = lanyard.server.client();
    ({ poolId, clientId } = await customAuthPool(sdk));
    await confirmedUser(sdk, poolId, "carol", PASSWORD, [
      { Name: "email", Value: "carol@example.com" },
      { Name: "email_verified", Value: "true" },
    ]);
    // The define and create fixtures misbehave for these users (see custom-define.ts).
    for (const mode of ["fail", "undecided", "throw", "throw-create"])
      await confirmedUser(sdk, poolId, `mode-${mode}`, PASSWORD);
  });
  after(() => lanyard.stop());

  const start = (username: string, clientMetadata?: Record<string, string>) =>
    sdk.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "CUSTOM_AUTH",
        AuthParameters: { USERNAME: username },
        ...(clientMetadata ? { ClientMetadata: clientMetadata } : {}),
      }),
    );
  const answer = (step: InitiateAuthCommandOutput, value: string, username = "carol") =>
    sdk.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: "CUSTOM_CHALLENGE",
        Session: step.Session,
        ChallengeResponses: { USERNAME: username, ANSWER: value },
        ClientMetadata: { app: "tests" },
      }),
    );

  test("a custom challenge answered right gives tokens the pool's JWKS verifies", async () => {
    lanyard.takeEvents();
    const step = await start("carol", { app: "tests" });
    assert.equal(step.ChallengeName, "CUSTOM_CHALLENGE");
    assert.ok(step.Session);
    assert.deepEqual(step.ChallengeParameters, {
      question: "What is six times seven?",
      round: "1",
      USERNAME: "carol",
    });
    const done = await answer(step, "42");
    assert.equal(done.ChallengeName, undefined);
    const tokens = done.AuthenticationResult!;
    assert.ok(tokens.RefreshToken);
    const issuer = `${lanyard.server.url}/${poolId}`;
    const jwks = createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`));
    const { payload } = await jwtVerify(tokens.IdToken!, jwks, { issuer, audience: clientId });
    assert.equal(payload["cognito:username"], "carol");

    const events = lanyard.takeEvents();
    assert.deepEqual(
      events.map((e) => e.triggerSource),
      [
        "DefineAuthChallenge_Authentication",
        "CreateAuthChallenge_Authentication",
        "VerifyAuthChallengeResponse_Authentication",
        "DefineAuthChallenge_Authentication",
      ],
    );
    const [define, create, verify, defineAgain] = events as {
      version: string;
      region: string;
      userPoolId: string;
      userName: string;
      callerContext: { clientId: string; awsSdkVersion: string };
      request: Record<string, unknown>;
    }[];
    for (const e of events as (typeof define)[]) {
      assert.equal(e.version, "1");
      assert.equal(e.region, "us-east-1");
      assert.equal(e.userPoolId, poolId);
      assert.equal(e.userName, "carol");
      assert.equal(e.callerContext.clientId, clientId);
      // InitiateAuth's ClientMetadata reaches no challenge trigger; RespondToAuthChallenge's reaches them all.
      if (e === define || e === create) assert.equal("clientMetadata" in e.request, false);
      else assert.deepEqual(e.request.clientMetadata, { app: "tests" });
      const attrs = e.request.userAttributes as Record<string, string>;
      assert.equal(attrs.email, "carol@example.com");
      assert.equal(attrs.email_verified, "true");
      assert.equal(attrs["cognito:user_status"], "CONFIRMED");
      assert.match(attrs.sub!, /^[0-9a-f-]{36}$/);
      assert.equal("userNotFound" in e.request, false);
    }
    assert.deepEqual(define!.request.session, []);
    assert.equal(create!.request.challengeName, "CUSTOM_CHALLENGE");
    assert.deepEqual(create!.request.session, []);
    assert.deepEqual(verify!.request.privateChallengeParameters, { answer: "42" });
    assert.equal(verify!.request.challengeAnswer, "42");
    assert.deepEqual(defineAgain!.request.session, [
      { challengeName: "CUSTOM_CHALLENGE", challengeResult: true, challengeMetadata: "ROUND-1" },
    ]);
  });

  test("AuthParameters CHALLENGE_NAME CUSTOM_CHALLENGE starts with an empty session too", async () => {
    lanyard.takeEvents();
    const step = await sdk.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "CUSTOM_AUTH",
        AuthParameters: { USERNAME: "carol", CHALLENGE_NAME: "CUSTOM_CHALLENGE" },
      }),
    );
    assert.equal(step.ChallengeName, "CUSTOM_CHALLENGE");
    const [define] = lanyard.takeEvents() as { request: { session: unknown } }[];
    assert.deepEqual(define!.request.session, []);
  });

  test("SRP_A first: an invalid SRP_A is refused", async () => {
    await rejectsWith(
      sdk.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: "CUSTOM_AUTH",
          AuthParameters: { USERNAME: "carol", CHALLENGE_NAME: "SRP_A", SRP_A: "0" },
        }),
      ),
      "InvalidParameterException",
      400,
      /^Invalid SRP_A value\.$/,
    );
  });

  test("a wrong answer is a round in the history; the next challenge comes with a new session", async () => {
    const first = await start("carol");
    const second = await answer(first, "41");
    assert.equal(second.ChallengeName, "CUSTOM_CHALLENGE");
    assert.notEqual(second.Session, first.Session);
    assert.equal(second.ChallengeParameters?.round, "2");
    // A session is answered once.
    await rejectsWith(answer(first, "42"), "NotAuthorizedException", 400);
    lanyard.takeEvents();
    const done = await answer(second, "42");
    assert.ok(done.AuthenticationResult?.AccessToken);
    const define = lanyard.takeEvents().at(-1) as { request: { session: unknown } };
    assert.deepEqual(define.request.session, [
      { challengeName: "CUSTOM_CHALLENGE", challengeResult: false, challengeMetadata: "ROUND-1" },
      { challengeName: "CUSTOM_CHALLENGE", challengeResult: true, challengeMetadata: "ROUND-2" },
    ]);
  });

  test("the define trigger's failAuthentication after three wrong answers: Incorrect username or password.", async () => {
    let step = await start("carol");
    step = await answer(step, "1");
    step = await answer(step, "2");
    await rejectsWith(answer(step, "3"), "NotAuthorizedException", 400, /^Incorrect username or password\.$/);
  });

  test("failAuthentication at once", async () => {
    await rejectsWith(
      start("mode-fail"),
      "NotAuthorizedException",
      400,
      /^Incorrect username or password\.$/,
    );
  });

  test("a define answer that decides nothing is an unrecognizable lambda output", async () => {
    await rejectsWith(
      start("mode-undecided"),
      "InvalidLambdaResponseException",
      400,
      /^Unrecognizable lambda output$/,
    );
  });

  test("a define trigger that never decides ends the sign-in after the allowed number of challenges", async () => {
    let step = await start("carol");
    let rounds = 1;
    const next = (s: InitiateAuthCommandOutput) =>
      sdk.send(
        new RespondToAuthChallengeCommand({
          ClientId: clientId,
          ChallengeName: "CUSTOM_CHALLENGE",
          Session: s.Session,
          ChallengeResponses: { USERNAME: "carol", ANSWER: "42" },
          ClientMetadata: { mode: "forever" },
        }),
      );
    for (; rounds < 8; rounds++) step = await next(step);
    assert.equal(step.ChallengeName, "CUSTOM_CHALLENGE");
    await rejectsWith(next(step), "NotAuthorizedException", 400, /^Incorrect username or password\.$/);
  });

  test("a trigger that throws: UserLambdaValidationException naming the trigger", async () => {
    await rejectsWith(
      start("mode-throw"),
      "UserLambdaValidationException",
      400,
      /^DefineAuthChallenge failed with error define refused\.$/,
    );
    await rejectsWith(
      start("mode-throw-create"),
      "UserLambdaValidationException",
      400,
      /^CreateAuthChallenge failed with error create refused\.$/,
    );
    const step = await start("carol");
    await rejectsWith(
      sdk.send(
        new RespondToAuthChallengeCommand({
          ClientId: clientId,
          ChallengeName: "CUSTOM_CHALLENGE",
          Session: step.Session,
          ChallengeResponses: { USERNAME: "carol", ANSWER: "42" },
          ClientMetadata: { mode: "throw-verify" },
        }),
      ),
      "UserLambdaValidationException",
      400,
      /^VerifyAuthChallengeResponse failed with error verify refused\.$/,
    );
  });

  test("the answer's USERNAME must name the user the sign-in began for; ANSWER is required", async () => {
    await confirmedUser(sdk, poolId, "dave", PASSWORD);
    const step = await start("carol");
    await rejectsWith(
      sdk.send(
        new RespondToAuthChallengeCommand({
          ClientId: clientId,
          ChallengeName: "CUSTOM_CHALLENGE",
          Session: step.Session,
          ChallengeResponses: { USERNAME: "carol" },
        }),
      ),
      "InvalidParameterException",
      400,
      /^Missing required parameter ANSWER$/,
    );
    await rejectsWith(answer(step, "42", "dave"), "NotAuthorizedException", 400);
  });

  test("an unknown user: UserNotFoundException before any trigger runs", async () => {
    lanyard.takeEvents();
    await rejectsWith(start("nobody"), "UserNotFoundException", 400, /^User does not exist\.$/);
    assert.deepEqual(lanyard.takeEvents(), []);
  });

  test("AdminInitiateAuth and AdminRespondToAuthChallenge run the same rounds", async () => {
    const step = await sdk.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        AuthFlow: "CUSTOM_AUTH",
        AuthParameters: { USERNAME: "carol" },
      }),
    );
    assert.equal(step.ChallengeName, "CUSTOM_CHALLENGE");
    const done = await sdk.send(
      new AdminRespondToAuthChallengeCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        ChallengeName: "CUSTOM_CHALLENGE",
        Session: step.Session,
        ChallengeResponses: { USERNAME: "carol", ANSWER: "42" },
      }),
    );
    assert.ok(done.AuthenticationResult?.IdToken);
  });

  test("a pool without the define trigger refuses CUSTOM_AUTH as Cognito does", async () => {
    const bare = await poolWithClient(sdk, {
      app: { ExplicitAuthFlows: ["ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] },
    });
    await confirmedUser(sdk, bare.poolId, "erin", PASSWORD);
    await rejectsWith(
      sdk.send(
        new InitiateAuthCommand({
          ClientId: bare.clientId,
          AuthFlow: "CUSTOM_AUTH",
          AuthParameters: { USERNAME: "erin" },
        }),
      ),
      "InvalidParameterException",
      400,
      /^Custom auth lambda trigger is not configured for the user pool\.$/,
    );
  });
});

describe("CUSTOM_AUTH with PreventUserExistenceErrors", () => {
  let lanyard: CustomAuthServer;
  let sdk: CognitoIdentityProviderClient;
  let clientId: string;

  before(async () => {
    lanyard = await customAuthServer();
    sdk = lanyard.server.client();
    const pool = await customAuthPool(sdk, { PreventUserExistenceErrors: "ENABLED" });
    clientId = pool.clientId;
    await confirmedUser(sdk, pool.poolId, "frank", PASSWORD);
  });
  after(() => lanyard.stop());

  test("a name no user has goes through the triggers with userNotFound, and never gets tokens", async () => {
    lanyard.takeEvents();
    const step = await sdk.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "CUSTOM_AUTH",
        AuthParameters: { USERNAME: "ghost" },
      }),
    );
    assert.equal(step.ChallengeName, "CUSTOM_CHALLENGE");
    assert.equal(step.ChallengeParameters?.USERNAME, "ghost");
    const [define] = lanyard.takeEvents() as { userName: string; request: Record<string, unknown> }[];
    assert.equal(define!.userName, "ghost");
    assert.equal(define!.request.userNotFound, true);
    assert.deepEqual(define!.request.userAttributes, {});
    await rejectsWith(
      sdk.send(
        new RespondToAuthChallengeCommand({
          ClientId: clientId,
          ChallengeName: "CUSTOM_CHALLENGE",
          Session: step.Session,
          ChallengeResponses: { USERNAME: "ghost", ANSWER: "42" },
        }),
      ),
      "NotAuthorizedException",
      400,
      /^Incorrect username or password\.$/,
    );
  });

  test("a real user's events say userNotFound false", async () => {
    lanyard.takeEvents();
    await sdk.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "CUSTOM_AUTH",
        AuthParameters: { USERNAME: "frank" },
      }),
    );
    const [define] = lanyard.takeEvents() as { request: Record<string, unknown> }[];
    assert.equal(define!.request.userNotFound, false);
  });
});
