/**
 * CUSTOM_AUTH through the client libraries apps use: amazon-cognito-identity-js (a custom challenge
 * answered through its customChallenge callback; SRP first with setAuthenticationFlowType
 * CUSTOM_AUTH) and aws-amplify v6 (signIn with CUSTOM_WITHOUT_SRP and CUSTOM_WITH_SRP, then
 * confirmSignIn with the answer).
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
import { confirmSignIn, fetchAuthSession, signIn, signOut } from "aws-amplify/auth";
import { ARNS, customAuthPool, customAuthServer, type CustomAuthServer } from "../../support/custom-auth.ts";
import { latestCode } from "../../support/inbox.ts";
import { confirmedUser, poolWithClient } from "../../support/pools.ts";

const PASSWORD = "Cust0m-auth-password!";

interface Events {
  triggerSource: string;
  request: { session?: { challengeName: string; challengeResult: boolean }[] };
}

describe("CUSTOM_AUTH through the client libraries", () => {
  let lanyard: CustomAuthServer;
  let sdk: CognitoIdentityProviderClient;
  let poolId: string;
  let clientId: string;

  before(async () => {
    lanyard = await customAuthServer();
    sdk = lanyard.server.client();
    ({ poolId, clientId } = await customAuthPool(sdk));
    await confirmedUser(sdk, poolId, "grace", PASSWORD);
  });
  after(() => lanyard.stop());

  const userPool = () =>
    new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: `${lanyard.server.url}/` });

  /** Signs in, answering each custom challenge with the next of `answers`; the questions seen. */
  function customSignIn(
    start: (user: CognitoUser, callbacks: Parameters<CognitoUser["initiateAuth"]>[1]) => void,
    answers: string[],
  ): Promise<{ session: CognitoUserSession; questions: Record<string, string>[] }> {
    const user = new CognitoUser({ Username: "grace", Pool: userPool() });
    user.setAuthenticationFlowType("CUSTOM_AUTH");
    const questions: Record<string, string>[] = [];
    return new Promise((resolve, reject) => {
      const callbacks = {
        onSuccess: (session: CognitoUserSession) => resolve({ session, questions }),
        onFailure: (err: Error) => reject(err),
        customChallenge(parameters: Record<string, string>) {
          questions.push(parameters);
          user.sendCustomChallengeAnswer(answers.shift() ?? "", callbacks);
        },
      };
      start(user, callbacks);
    });
  }

  test("amazon-cognito-identity-js: a custom challenge answered through customChallenge, a wrong answer first", async () => {
    const { session, questions } = await customSignIn(
      (user, callbacks) => user.initiateAuth(new AuthenticationDetails({ Username: "grace" }), callbacks),
      ["41", "42"],
    );
    assert.ok(session.isValid());
    assert.equal(session.getIdToken().payload["cognito:username"], "grace");
    assert.deepEqual(
      questions.map((q) => [q.question, q.round]),
      [
        ["What is six times seven?", "1"],
        ["What is six times seven?", "2"],
      ],
    );
  });

  test("amazon-cognito-identity-js: SRP first (CUSTOM_AUTH with authenticateUser), then the custom challenge", async () => {
    lanyard.takeEvents();
    const { session, questions } = await customSignIn(
      (user, callbacks) =>
        user.authenticateUser(
          new AuthenticationDetails({ Username: "grace", Password: PASSWORD }),
          callbacks,
        ),
      ["42"],
    );
    assert.ok(session.isValid());
    assert.equal(questions.length, 1);
    const defines = (lanyard.takeEvents() as unknown as Events[]).filter(
      (e) => e.triggerSource === "DefineAuthChallenge_Authentication",
    );
    assert.deepEqual(
      defines.map((e) => e.request.session?.map((s) => [s.challengeName, s.challengeResult])),
      [
        [["SRP_A", true]],
        [
          ["SRP_A", true],
          ["PASSWORD_VERIFIER", true],
        ],
        [
          ["SRP_A", true],
          ["PASSWORD_VERIFIER", true],
          ["CUSTOM_CHALLENGE", true],
        ],
      ],
    );
  });

  test("amazon-cognito-identity-js: SRP first with a wrong password is refused before any custom challenge", async () => {
    lanyard.takeEvents();
    await assert.rejects(
      customSignIn(
        (user, callbacks) =>
          user.authenticateUser(
            new AuthenticationDetails({ Username: "grace", Password: "Wr0ng-password!" }),
            callbacks,
          ),
        ["42"],
      ),
      (e: Error & { code?: string }) => {
        assert.equal(e.code, "NotAuthorizedException");
        assert.equal(e.message, "Incorrect username or password.");
        return true;
      },
    );
    const sources = (lanyard.takeEvents() as unknown as Events[]).map((e) => e.triggerSource);
    assert.deepEqual(sources, ["DefineAuthChallenge_Authentication"]);
  });

  for (const authFlowType of ["CUSTOM_WITHOUT_SRP", "CUSTOM_WITH_SRP"] as const) {
    test(`aws-amplify v6: signIn with ${authFlowType}, then confirmSignIn with the answer`, async () => {
      Amplify.configure({
        Auth: {
          Cognito: { userPoolId: poolId, userPoolClientId: clientId, userPoolEndpoint: lanyard.server.url },
        },
      });
      const started = await signIn({
        username: "grace",
        ...(authFlowType === "CUSTOM_WITH_SRP" ? { password: PASSWORD } : {}),
        options: { authFlowType },
      });
      assert.equal(started.isSignedIn, false);
      assert.equal(started.nextStep.signInStep, "CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE");
      const step = started.nextStep as { additionalInfo?: Record<string, string> };
      assert.equal(step.additionalInfo?.question, "What is six times seven?");
      const wrong = await confirmSignIn({ challengeResponse: "7" });
      assert.equal(wrong.nextStep.signInStep, "CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE");
      const done = await confirmSignIn({ challengeResponse: "42" });
      assert.equal(done.isSignedIn, true);
      assert.equal(done.nextStep.signInStep, "DONE");
      const session = await fetchAuthSession();
      assert.equal(session.tokens?.idToken?.payload["cognito:username"], "grace");
      await signOut();
    });
  }
});

describe("CUSTOM_AUTH and MFA", () => {
  let lanyard: CustomAuthServer;
  let poolId: string;
  let clientId: string;

  before(async () => {
    lanyard = await customAuthServer({ args: ["--memory", "--delivery", "inbox"] });
    const sdk = lanyard.server.client();
    ({ poolId, clientId } = await poolWithClient(sdk, {
      pool: {
        LambdaConfig: ARNS,
        SmsConfiguration: { SnsCallerArn: "arn:aws:iam::123456789012:role/sns", ExternalId: "ext" },
      },
      app: { ExplicitAuthFlows: ["ALLOW_CUSTOM_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] },
    }));
    await sdk.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: poolId,
        MfaConfiguration: "OPTIONAL",
        SmsMfaConfiguration: { SmsAuthenticationMessage: "Your code is {####}" },
      }),
    );
    await confirmedUser(sdk, poolId, "heidi", PASSWORD, [
      { Name: "phone_number", Value: "+15555550199" },
      { Name: "phone_number_verified", Value: "true" },
    ]);
    await sdk.send(
      new AdminSetUserMFAPreferenceCommand({
        UserPoolId: poolId,
        Username: "heidi",
        SMSMfaSettings: { Enabled: true, PreferredMfa: true },
      }),
    );
  });
  after(() => lanyard.stop());

  function signIn(withPassword: boolean): Promise<{ session: CognitoUserSession; mfaAsked: boolean }> {
    const pool = new CognitoUserPool({
      UserPoolId: poolId,
      ClientId: clientId,
      endpoint: `${lanyard.server.url}/`,
    });
    const user = new CognitoUser({ Username: "heidi", Pool: pool });
    user.setAuthenticationFlowType("CUSTOM_AUTH");
    let mfaAsked = false;
    return new Promise((resolve, reject) => {
      const callbacks = {
        onSuccess: (session: CognitoUserSession) => resolve({ session, mfaAsked }),
        onFailure: (err: Error) => reject(err),
        customChallenge: () => user.sendCustomChallengeAnswer("42", callbacks),
        mfaRequired: () => {
          mfaAsked = true;
          latestCode(lanyard.server, { username: "heidi" }).then(
            (code) => user.sendMFACode(code, callbacks),
            reject,
          );
        },
      };
      const details = new AuthenticationDetails({ Username: "heidi", Password: PASSWORD });
      if (withPassword) user.authenticateUser(details, callbacks);
      else user.initiateAuth(details, callbacks);
    });
  }

  test("a custom sign-in that proved the password (SRP first) meets the user's MFA after the custom challenges", async () => {
    const { session, mfaAsked } = await signIn(true);
    assert.equal(mfaAsked, true);
    assert.ok(session.isValid());
  });

  test("a passwordless custom sign-in is not followed by MFA", async () => {
    const { session, mfaAsked } = await signIn(false);
    assert.equal(mfaAsked, false);
    assert.ok(session.isValid());
  });
});
