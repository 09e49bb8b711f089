import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { after, before, describe, test } from "node:test";
import {
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminUserGlobalSignOutCommand,
  type AuthenticationResultType,
  type CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  type CreateUserPoolClientCommandInput,
  CreateUserPoolCommand,
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  RevokeTokenCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWith } from "../support/assert.ts";
import { setClockOffset } from "../support/inbox.ts";
import { confirmedUser } from "../support/pools.ts";
import { startServer, type TestServer } from "../support/server.ts";

const PASSWORD = "Sup3r-secret!";

describe("signing out and revoking tokens", () => {
  let server: TestServer;
  let client: CognitoIdentityProviderClient;
  let poolId: string;
  let clientId: string;
  let userCount = 0;

  const appClient = async (extra: Partial<CreateUserPoolClientCommandInput> = {}) =>
    (
      await client.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: "app",
          ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
          ...extra,
        }),
      )
    ).UserPoolClient!;

  before(async () => {
    server = await startServer({ args: ["--memory", "--enable-test-clock"] });
    client = server.client();
    poolId = (await client.send(new CreateUserPoolCommand({ PoolName: "revocation" }))).UserPool!.Id!;
    clientId = (await appClient()).ClientId!;
  });
  after(() => server.stop());

  /** A new confirmed user. */
  const newUser = async () => {
    const username = `user${++userCount}`;
    await confirmedUser(client, poolId, username, PASSWORD);
    return username;
  };
  const signIn = async (username: string, app = clientId): Promise<AuthenticationResultType> =>
    (
      await client.send(
        new InitiateAuthCommand({
          ClientId: app,
          AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: username, PASSWORD },
        }),
      )
    ).AuthenticationResult!;
  const refresh = (token: string, app = clientId) =>
    client.send(
      new InitiateAuthCommand({
        ClientId: app,
        AuthFlow: "REFRESH_TOKEN_AUTH",
        AuthParameters: { REFRESH_TOKEN: token },
      }),
    );
  const getUser = (token: string) => client.send(new GetUserCommand({ AccessToken: token }));
  const works = async (tokens: AuthenticationResultType) => {
    assert.ok((await getUser(tokens.AccessToken!)).Username);
    assert.ok((await refresh(tokens.RefreshToken!)).AuthenticationResult?.AccessToken);
  };
  const revoked = async (tokens: AuthenticationResultType) => {
    await rejectsWith(
      getUser(tokens.AccessToken!),
      "NotAuthorizedException",
      400,
      /^Access Token has been revoked$/,
    );
    await rejectsWith(
      refresh(tokens.RefreshToken!),
      "NotAuthorizedException",
      400,
      /^Refresh Token has been revoked$/,
    );
  };

  describe("GlobalSignOut", () => {
    test("ends every session of the user at once; a new sign-in works", async () => {
      const username = await newUser();
      const first = await signIn(username);
      const second = await signIn(username);
      const refreshed = (await refresh(first.RefreshToken!)).AuthenticationResult!;
      const other = await signIn(await newUser());

      await client.send(new GlobalSignOutCommand({ AccessToken: first.AccessToken }));
      await revoked(first);
      await revoked(second);
      await rejectsWith(getUser(refreshed.AccessToken!), "NotAuthorizedException", 400, /revoked/);
      // Other users keep their sessions; the user can sign in again at once.
      await works(other);
      await works(await signIn(username));
    });

    test("a revoked or expired access token cannot sign out", async () => {
      const username = await newUser();
      const tokens = await signIn(username);
      await client.send(new GlobalSignOutCommand({ AccessToken: tokens.AccessToken }));
      await rejectsWith(
        client.send(new GlobalSignOutCommand({ AccessToken: tokens.AccessToken })),
        "NotAuthorizedException",
        400,
        /^Access Token has been revoked$/,
      );
      const fresh = await signIn(username);
      try {
        await setClockOffset(server, 3_601_000);
        await rejectsWith(
          client.send(new GlobalSignOutCommand({ AccessToken: fresh.AccessToken })),
          "NotAuthorizedException",
          400,
          /^Access Token has expired$/,
        );
      } finally {
        await setClockOffset(server, 0);
      }
      await works(fresh);
    });
  });

  describe("AdminUserGlobalSignOut", () => {
    test("ends every session of the named user", async () => {
      const username = await newUser();
      const first = await signIn(username);
      const second = await signIn(username);
      await client.send(new AdminUserGlobalSignOutCommand({ UserPoolId: poolId, Username: username }));
      await revoked(first);
      await revoked(second);
      await works(await signIn(username));
    });

    test("an unknown user or pool is an error", async () => {
      await rejectsWith(
        client.send(new AdminUserGlobalSignOutCommand({ UserPoolId: poolId, Username: "nobody" })),
        "UserNotFoundException",
        400,
        /^User does not exist\.$/,
      );
      await rejectsWith(
        client.send(new AdminUserGlobalSignOutCommand({ UserPoolId: "us-east-1_nopenope1", Username: "x" })),
        "ResourceNotFoundException",
        400,
      );
    });
  });

  describe("RevokeToken", () => {
    const revoke = (token: string, app = clientId, secret?: string) =>
      client.send(new RevokeTokenCommand({ Token: token, ClientId: app, ClientSecret: secret }));

    test("revokes one sign-in: its refresh token and the access tokens issued with it", async () => {
      const username = await newUser();
      const target = await signIn(username);
      const refreshed = (await refresh(target.RefreshToken!)).AuthenticationResult!;
      const kept = await signIn(username);

      await revoke(target.RefreshToken!);
      await revoked(target);
      await rejectsWith(
        getUser(refreshed.AccessToken!),
        "NotAuthorizedException",
        400,
        /^Access Token has been revoked$/,
      );
      await rejectsWith(
        client.send(
          new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: target.RefreshToken }),
        ),
        "NotAuthorizedException",
        400,
        /^Refresh Token has been revoked$/,
      );
      await works(kept);
      // Revoking again, or a token never issued, is not an error.
      await revoke(target.RefreshToken!);
      await revoke("bm90LWEtcmVmcmVzaC10b2tlbg");
    });

    test("only refresh tokens can be revoked", async () => {
      const tokens = await signIn(await newUser());
      await rejectsWith(revoke(tokens.AccessToken!), "UnsupportedTokenTypeException", 400);
      await rejectsWith(revoke(tokens.IdToken!), "UnsupportedTokenTypeException", 400);
      await works(tokens);
    });

    test("a client with token revocation turned off refuses", async () => {
      const noRevocation = (await appClient({ EnableTokenRevocation: false })).ClientId!;
      const tokens = await signIn(await newUser(), noRevocation);
      await rejectsWith(revoke(tokens.RefreshToken!, noRevocation), "UnsupportedOperationException", 400);
      assert.ok((await refresh(tokens.RefreshToken!, noRevocation)).AuthenticationResult);
    });

    test("a client with a secret must send it; another client cannot revoke the token", async () => {
      const confidential = await appClient({ GenerateSecret: true });
      const app = confidential.ClientId!;
      const secret = confidential.ClientSecret!;
      const username = await newUser();
      const mine = await signIn(username);
      await rejectsWith(revoke(mine.RefreshToken!, app), "UnauthorizedException", 401);
      await rejectsWith(revoke(mine.RefreshToken!, app, secret), "UnauthorizedException", 401);
      await works(mine);

      const tokens = await signIn(username);
      const theirs = (
        await client.send(
          new InitiateAuthCommand({
            ClientId: app,
            AuthFlow: "USER_PASSWORD_AUTH",
            AuthParameters: {
              USERNAME: username,
              PASSWORD,
              SECRET_HASH: secretHash(secret, username, app),
            },
          }),
        )
      ).AuthenticationResult!;
      await rejectsWith(
        revoke(theirs.RefreshToken!, app, "wrongsecretwrongsecretwrongsecret"),
        "UnauthorizedException",
        401,
      );
      await revoke(theirs.RefreshToken!, app, secret);
      await rejectsWith(
        getUser(theirs.AccessToken!),
        "NotAuthorizedException",
        400,
        /^Access Token has been revoked$/,
      );
      await works(tokens);
    });

    test("an unknown client is refused", async () => {
      await rejectsWith(revoke("abc", "nosuchclient0000000000000"), "UnauthorizedException", 401);
    });
  });

  describe("AdminDisableUser", () => {
    test("ends every session for good; after AdminEnableUser only new sign-ins work", async () => {
      const username = await newUser();
      const before = await signIn(username);
      await client.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: username }));
      await revoked(before);
      await rejectsWith(
        client.send(
          new InitiateAuthCommand({
            ClientId: clientId,
            AuthFlow: "USER_PASSWORD_AUTH",
            AuthParameters: { USERNAME: username, PASSWORD },
          }),
        ),
        "NotAuthorizedException",
        400,
        /^User is disabled\.$/,
      );

      await client.send(new AdminEnableUserCommand({ UserPoolId: poolId, Username: username }));
      await revoked(before);
      await works(await signIn(username));
    });
  });
});

function secretHash(secret: string, username: string, clientId: string): string {
  return createHmac("sha256", secret)
    .update(username + clientId)
    .digest("base64");
}
