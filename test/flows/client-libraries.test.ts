/**
 * Sign-in with the client libraries applications really use, against a running Lanyard:
 * amazon-cognito-identity-js (SRP, new password, refresh) and Amplify v6 (`signIn` in Node).
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  type CognitoIdentityProviderClient,
} from "@aws-sdk/client-cognito-identity-provider";
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserPool,
  type CognitoUserSession,
} from "amazon-cognito-identity-js";
import { Amplify } from "aws-amplify";
import { fetchAuthSession, getCurrentUser, signIn, signOut } from "aws-amplify/auth";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { poolWithClient } from "../support/pools.ts";
import { startServer, type TestServer } from "../support/server.ts";

describe("Cognito client libraries", () => {
  let server: TestServer;
  let admin: CognitoIdentityProviderClient;
  let poolId: string;
  let clientId: string;
  const password = "Libr4ry-password!";

  before(async () => {
    server = await startServer();
    admin = server.client();
    ({ poolId, clientId } = await poolWithClient(admin, {
      pool: { PoolName: "libraries" },
      app: {
        ClientName: "web",
        ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_PASSWORD_AUTH"],
      },
    }));
  });
  after(() => server.stop());

  const userPool = () =>
    new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: `${server.url}/` });

  function authenticate(user: CognitoUser, pw: string) {
    return new Promise<CognitoUserSession | { newPasswordRequired: Record<string, unknown> }>(
      (resolve, reject) => {
        user.authenticateUser(new AuthenticationDetails({ Username: user.getUsername(), Password: pw }), {
          onSuccess: (session) => resolve(session),
          onFailure: (err) => reject(err),
          newPasswordRequired: (userAttributes) => resolve({ newPasswordRequired: userAttributes }),
        });
      },
    );
  }

  async function createUser(username: string, permanent: boolean) {
    await admin.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: username,
        TemporaryPassword: "Temp-passw0rd!",
        MessageAction: "SUPPRESS",
        UserAttributes: [
          { Name: "email", Value: `${username}@example.com` },
          { Name: "email_verified", Value: "true" },
        ],
      }),
    );
    if (permanent)
      await admin.send(
        new AdminSetUserPasswordCommand({
          UserPoolId: poolId,
          Username: username,
          Password: password,
          Permanent: true,
        }),
      );
  }

  test("amazon-cognito-identity-js: SRP sign-in with the right password, refused with a wrong one", async () => {
    await createUser("srp-user", true);
    const user = new CognitoUser({ Username: "srp-user", Pool: userPool() });
    const session = (await authenticate(user, password)) as CognitoUserSession;
    assert.ok(session.isValid());
    const issuer = `${server.url}/${poolId}`;
    const jwks = createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`));
    const { payload } = await jwtVerify(session.getIdToken().getJwtToken(), jwks, {
      issuer,
      audience: clientId,
    });
    assert.equal(payload["cognito:username"], "srp-user");

    const wrong = new CognitoUser({ Username: "srp-user", Pool: userPool() });
    await assert.rejects(authenticate(wrong, "Wrong-passw0rd!"), (e: Error & { code?: string }) => {
      assert.equal(e.code, "NotAuthorizedException");
      assert.equal(e.message, "Incorrect username or password.");
      return true;
    });
  });

  test("amazon-cognito-identity-js: new password required, then refresh", async () => {
    await createUser("fresh-user", false);
    const user = new CognitoUser({ Username: "fresh-user", Pool: userPool() });
    const first = await authenticate(user, "Temp-passw0rd!");
    assert.ok("newPasswordRequired" in first);
    const session = await new Promise<CognitoUserSession>((resolve, reject) =>
      user.completeNewPasswordChallenge("Chosen-passw0rd!", {}, { onSuccess: resolve, onFailure: reject }),
    );
    assert.ok(session.isValid());
    const refreshed = await new Promise<CognitoUserSession>((resolve, reject) =>
      user.refreshSession(session.getRefreshToken(), (err: Error | null, s: CognitoUserSession) =>
        err ? reject(err) : resolve(s),
      ),
    );
    assert.ok(refreshed.getAccessToken().getJwtToken());
    assert.equal(refreshed.getAccessToken().payload.origin_jti, session.getAccessToken().payload.origin_jti);

    const again = new CognitoUser({ Username: "fresh-user", Pool: userPool() });
    const s2 = (await authenticate(again, "Chosen-passw0rd!")) as CognitoUserSession;
    assert.ok(s2.isValid());
  });

  test("aws-amplify v6: signIn in Node against a custom user-pool endpoint", async () => {
    await createUser("amplify-user", true);
    Amplify.configure({
      Auth: { Cognito: { userPoolId: poolId, userPoolClientId: clientId, userPoolEndpoint: server.url } },
    });
    const result = await signIn({ username: "amplify-user", password });
    assert.equal(result.isSignedIn, true);
    assert.equal(result.nextStep.signInStep, "DONE");
    const current = await getCurrentUser();
    assert.equal(current.username, "amplify-user");
    const session = await fetchAuthSession();
    assert.equal(session.tokens?.idToken?.payload["cognito:username"], "amplify-user");
    await signOut();
  });
});
