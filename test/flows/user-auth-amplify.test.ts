/**
 * USER_AUTH through aws-amplify v6 in Node: signIn with authFlowType USER_AUTH and a preferred
 * PASSWORD_SRP, PASSWORD or EMAIL_OTP challenge (the code read from the inbox), the first-factor selection (SELECT_CHALLENGE) continued with
 * confirmSignIn, and autoSignIn after confirmSignUp (ConfirmSignUp's Session).
 * (amazon-cognito-identity-js has no USER_AUTH.)
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { Amplify } from "aws-amplify";
import {
  autoSignIn,
  confirmSignIn,
  confirmSignUp,
  fetchAuthSession,
  signIn,
  signOut,
  signUp,
} from "aws-amplify/auth";
import { inbox, latestCode } from "../support/inbox.ts";
import { confirmedUser, poolWithClient } from "../support/pools.ts";
import { startServer, type TestServer } from "../support/server.ts";

const PASSWORD = "Amplify-choice-1!";

describe("USER_AUTH through aws-amplify v6", () => {
  let server: TestServer;
  let client: CognitoIdentityProviderClient;
  let poolId: string;

  before(async () => {
    server = await startServer({ args: ["--memory", "--delivery", "inbox"] });
    client = server.client();
    const made = await poolWithClient(client, {
      pool: {
        PoolName: "amplify-choice",
        AutoVerifiedAttributes: ["email"],
        Policies: { SignInPolicy: { AllowedFirstAuthFactors: ["PASSWORD", "WEB_AUTHN", "EMAIL_OTP"] } },
      },
      app: { ExplicitAuthFlows: ["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] },
    });
    poolId = made.poolId;
    Amplify.configure({
      Auth: {
        Cognito: { userPoolId: poolId, userPoolClientId: made.clientId, userPoolEndpoint: server.url },
      },
    });
  });
  after(() => server.stop());

  async function username(): Promise<string> {
    return (await fetchAuthSession()).tokens?.idToken?.payload["cognito:username"] as string;
  }

  for (const preferredChallenge of ["PASSWORD_SRP", "PASSWORD"] as const) {
    test(`signIn with USER_AUTH and preferredChallenge ${preferredChallenge}`, async () => {
      const name = `pref-${preferredChallenge.toLowerCase()}`;
      await confirmedUser(client, poolId, name, PASSWORD);
      const result = await signIn({
        username: name,
        password: PASSWORD,
        options: { authFlowType: "USER_AUTH", preferredChallenge },
      });
      assert.equal(result.isSignedIn, true);
      assert.equal(result.nextStep.signInStep, "DONE");
      assert.equal(await username(), name);
      await signOut();
    });
  }

  test("signIn with USER_AUTH and preferredChallenge EMAIL_OTP, confirmed with the emailed code", async () => {
    await confirmedUser(client, poolId, "emailed", PASSWORD, [
      { Name: "email", Value: "emailed@example.com" },
      { Name: "email_verified", Value: "true" },
    ]);
    const first = await signIn({
      username: "emailed",
      options: { authFlowType: "USER_AUTH", preferredChallenge: "EMAIL_OTP" },
    });
    assert.equal(first.isSignedIn, false);
    assert.equal(first.nextStep.signInStep, "CONFIRM_SIGN_IN_WITH_EMAIL_CODE");
    assert.deepEqual(
      (first.nextStep as { codeDeliveryDetails?: { deliveryMedium?: string; destination?: string } })
        .codeDeliveryDetails,
      { deliveryMedium: "EMAIL", destination: "e***@e***" },
    );
    const [message] = await inbox(server, { poolId, username: "emailed" });
    assert.ok(message);
    const wrong = message.code === "000000" ? "111111" : "000000";
    await assert.rejects(confirmSignIn({ challengeResponse: wrong }), { name: "CodeMismatchException" });
    const done = await confirmSignIn({ challengeResponse: message.code });
    assert.equal(done.isSignedIn, true);
    assert.equal(done.nextStep.signInStep, "DONE");
    assert.equal(await username(), "emailed");
    await signOut();
  });

  for (const choice of ["PASSWORD_SRP", "PASSWORD"] as const) {
    test(`the first-factor selection, continued with ${choice}`, async () => {
      const name = `select-${choice.toLowerCase()}`;
      await confirmedUser(client, poolId, name, PASSWORD);
      const first = await signIn({ username: name, options: { authFlowType: "USER_AUTH" } });
      assert.equal(first.nextStep.signInStep, "CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION");
      assert.deepEqual((first.nextStep as { availableChallenges?: string[] }).availableChallenges, [
        "PASSWORD",
        "PASSWORD_SRP",
      ]);
      const second = await confirmSignIn({ challengeResponse: choice });
      assert.equal(second.nextStep.signInStep, "CONFIRM_SIGN_IN_WITH_PASSWORD");
      const done = await confirmSignIn({ challengeResponse: PASSWORD });
      assert.equal(done.isSignedIn, true);
      assert.equal(await username(), name);
      await signOut();
    });
  }

  test("autoSignIn after confirmSignUp signs in with ConfirmSignUp's Session", async () => {
    const up = await signUp({
      username: "auto-user",
      password: PASSWORD,
      options: { userAttributes: { email: "auto@example.com" }, autoSignIn: { authFlowType: "USER_AUTH" } },
    });
    assert.equal(up.nextStep.signUpStep, "CONFIRM_SIGN_UP");
    const code = await latestCode(server, { poolId, username: "auto-user" });
    const confirmed = await confirmSignUp({ username: "auto-user", confirmationCode: code });
    assert.equal(confirmed.nextStep.signUpStep, "COMPLETE_AUTO_SIGN_IN");
    const signedIn = await autoSignIn();
    assert.equal(signedIn.isSignedIn, true);
    assert.equal(await username(), "auto-user");
    await signOut();
  });
});
