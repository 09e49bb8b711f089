/**
 * Two Lanyard processes on one PostgreSQL database, as behind a load balancer: whatever one does,
 * the other sees: pools, users, sign-ins in progress, refresh tokens, revocations, lockouts, and a
 * username stays unique when both sign it up at once. Runs on PostgreSQL only.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  type AuthenticationResultType,
  type CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  RevokeTokenCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { createLocalJWKSet, type JSONWebKeySet, jwtVerify } from "jose";
import { rejectsWith } from "../support/assert.ts";
import { createTestDatabase, type TestDatabase, testPostgresUrl } from "../support/postgres.ts";
import { startServer, type TestServer } from "../support/server.ts";
import { passwordVerifierResponses, startClientSrp } from "../support/srp-client.ts";

const PASSWORD = "Sup3r-secret!";
/** Both instances stand behind one address, so they issue tokens with one issuer. */
const PUBLIC_URL = "http://lanyard.test";

describe(
  "two Lanyard instances on one PostgreSQL database",
  {
    skip: testPostgresUrl() ? false : "runs on PostgreSQL only (LANYARD_TEST_POSTGRES_URL is not set)",
  },
  () => {
    let db: TestDatabase;
    let one: TestServer;
    let two: TestServer;
    let a: CognitoIdentityProviderClient;
    let b: CognitoIdentityProviderClient;
    let poolId: string;
    let clientId: string;
    let users = 0;

    before(async () => {
      db = await createTestDatabase();
      // Started together: both migrate the empty database at once.
      const args = ["--storage", db.url, "--public-url", PUBLIC_URL];
      [one, two] = await Promise.all([startServer({ args }), startServer({ args })]);
      a = one.client();
      b = two.client();
      poolId = (await a.send(new CreateUserPoolCommand({ PoolName: "shared" }))).UserPool!.Id!;
      clientId = (
        await a.send(
          new CreateUserPoolClientCommand({
            UserPoolId: poolId,
            ClientName: "app",
            ExplicitAuthFlows: [
              "ALLOW_USER_PASSWORD_AUTH",
              "ALLOW_USER_SRP_AUTH",
              "ALLOW_REFRESH_TOKEN_AUTH",
            ],
          }),
        )
      ).UserPoolClient!.ClientId!;
    });
    after(async () => {
      await Promise.all([one?.stop(), two?.stop()]);
      await db?.drop();
    });

    /** A confirmed user, created through instance one. */
    async function newUser(): Promise<string> {
      const username = `user${++users}`;
      await a.send(
        new AdminCreateUserCommand({ UserPoolId: poolId, Username: username, MessageAction: "SUPPRESS" }),
      );
      await a.send(
        new AdminSetUserPasswordCommand({
          UserPoolId: poolId,
          Username: username,
          Password: PASSWORD,
          Permanent: true,
        }),
      );
      return username;
    }
    const signIn = async (via: CognitoIdentityProviderClient, username: string, password = PASSWORD) =>
      (
        await via.send(
          new InitiateAuthCommand({
            ClientId: clientId,
            AuthFlow: "USER_PASSWORD_AUTH",
            AuthParameters: { USERNAME: username, PASSWORD: password },
          }),
        )
      ).AuthenticationResult!;
    const refresh = (via: CognitoIdentityProviderClient, token: string) =>
      via.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: "REFRESH_TOKEN_AUTH",
          AuthParameters: { REFRESH_TOKEN: token },
        }),
      );
    const jwks = async (server: TestServer) =>
      (await (await fetch(`${server.url}/${poolId}/.well-known/jwks.json`)).json()) as JSONWebKeySet;

    test("what one instance creates, the other serves", async () => {
      const username = await newUser();
      const user = await b.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
      assert.equal(user.UserStatus, "CONFIRMED");
      const pool = await b.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
      assert.equal(pool.UserPool?.Name, "shared");
      assert.deepEqual(await jwks(two), await jwks(one), "one set of signing keys");
    });

    test("sign in through one (password and SRP), refresh through the other", async () => {
      const username = await newUser();
      const tokens = await signIn(b, username);
      // The token instance two signed verifies against instance one's keys, with the shared issuer.
      const verified = await jwtVerify(tokens.IdToken!, createLocalJWKSet(await jwks(one)), {
        issuer: `${PUBLIC_URL}/${poolId}`,
        audience: clientId,
      });
      assert.equal(verified.payload["cognito:username"], username);
      const refreshed = (await refresh(a, tokens.RefreshToken!)).AuthenticationResult!;
      assert.ok(refreshed.AccessToken);
      assert.equal(
        (await b.send(new GetUserCommand({ AccessToken: refreshed.AccessToken }))).Username,
        username,
      );

      // SRP: the challenge comes from instance two, the answer goes to instance one.
      const srp = startClientSrp();
      const challenge = await b.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: "USER_SRP_AUTH",
          AuthParameters: { USERNAME: username, SRP_A: srp.srpA },
        }),
      );
      assert.equal(challenge.ChallengeName, "PASSWORD_VERIFIER");
      const answered = await a.send(
        new RespondToAuthChallengeCommand({
          ClientId: clientId,
          ChallengeName: "PASSWORD_VERIFIER",
          Session: challenge.Session,
          ChallengeResponses: passwordVerifierResponses({
            poolId,
            password: PASSWORD,
            client: srp,
            challengeParameters: challenge.ChallengeParameters!,
          }),
        }),
      );
      assert.ok(answered.AuthenticationResult?.RefreshToken);
      const again = await refresh(b, answered.AuthenticationResult.RefreshToken);
      assert.ok(again.AuthenticationResult?.IdToken);
    });

    test("a revocation through one is honoured by the other", async () => {
      const revokedBy = async (via: CognitoIdentityProviderClient, tokens: AuthenticationResultType) => {
        await rejectsWith(
          via.send(new GetUserCommand({ AccessToken: tokens.AccessToken })),
          "NotAuthorizedException",
          400,
          /revoked/,
        );
        await rejectsWith(refresh(via, tokens.RefreshToken!), "NotAuthorizedException", 400, /revoked/);
      };
      // RevokeToken through one: the refresh token and its access tokens are refused by two.
      const username = await newUser();
      const target = await signIn(b, username);
      const kept = await signIn(b, username);
      await a.send(new RevokeTokenCommand({ ClientId: clientId, Token: target.RefreshToken }));
      await revokedBy(b, target);
      assert.ok((await refresh(b, kept.RefreshToken!)).AuthenticationResult, "another sign-in is untouched");

      // GlobalSignOut through two: every token of the user is refused by one.
      const everywhere = await signIn(a, username);
      await b.send(new GlobalSignOutCommand({ AccessToken: everywhere.AccessToken }));
      await revokedBy(a, everywhere);
      await revokedBy(a, kept);

      // AdminDisableUser through one: two refuses the next sign-in.
      await a.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: username }));
      await rejectsWith(signIn(b, username), "NotAuthorizedException", 400, /disabled/);
      await b.send(new AdminEnableUserCommand({ UserPoolId: poolId, Username: username }));
      assert.ok((await signIn(a, username)).AccessToken);
    });

    test("failed sign-ins on both instances add up to one lockout", async () => {
      const username = await newUser();
      for (let i = 0; i < 5; i++)
        await rejectsWith(
          signIn(i % 2 ? a : b, username, "Wrong-passw0rd!"),
          "NotAuthorizedException",
          400,
          /Incorrect username or password/,
        );
      // Five failures, counted in the database: locked out on either instance.
      await rejectsWith(signIn(a, username), "NotAuthorizedException", 400, /Password attempts exceeded/);
      await rejectsWith(signIn(b, username), "NotAuthorizedException", 400, /Password attempts exceeded/);
    });

    test("concurrent sign-ups of one username on both instances: exactly one wins", async () => {
      const attempts = Array.from({ length: 8 }, (_, i) =>
        (i % 2 ? a : b).send(
          new SignUpCommand({
            ClientId: clientId,
            Username: "contested",
            Password: PASSWORD,
            UserAttributes: [{ Name: "email", Value: `contested${i}@example.com` }],
          }),
        ),
      );
      const results = await Promise.allSettled(attempts);
      const won = results.filter((r) => r.status === "fulfilled");
      assert.equal(won.length, 1, JSON.stringify(results.map((r) => r.status)));
      for (const r of results)
        if (r.status === "rejected") assert.equal((r.reason as Error).name, "UsernameExistsException");

      const admins = await Promise.allSettled(
        Array.from({ length: 8 }, (_, i) =>
          (i % 2 ? a : b).send(
            new AdminCreateUserCommand({
              UserPoolId: poolId,
              Username: "contested-admin",
              MessageAction: "SUPPRESS",
            }),
          ),
        ),
      );
      assert.equal(admins.filter((r) => r.status === "fulfilled").length, 1);
      for (const r of admins)
        if (r.status === "rejected") assert.equal((r.reason as Error).name, "UsernameExistsException");
      const pool = await a.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
      assert.equal(pool.UserPool?.EstimatedNumberOfUsers, users + 2);
    });
  },
);
