import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  AdminInitiateAuthCommand,
  AdminListUserSessionsCommand,
  AdminRevokeUserSessionCommand,
  type AuthenticationResultType,
  type CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  ListUserSessionsCommand,
  RevokeTokenCommand,
  RevokeUserSessionCommand,
  type SessionDescriptionType,
  SetUserPoolSessionConfigurationCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWith } from "../../support/assert.ts";
import { setClockOffset } from "../../support/inbox.ts";
import { confirmedUser } from "../../support/pools.ts";
import { startServer, type TestServer } from "../../support/server.ts";

const PASSWORD = "Sup3r-secret!";

describe("token sessions: what a sign-in starts and its refresh tokens continue", () => {
  let server: TestServer;
  let cognito: CognitoIdentityProviderClient;
  let users = 0;

  before(async () => {
    server = await startServer({ args: ["--memory", "--enable-test-clock"] });
    cognito = server.client();
  });
  after(() => server.stop());

  /** A pool (tracking on unless told), an app client, and a confirmed user. */
  const setup = async (tracking: "ENABLED" | "DISABLED" = "ENABLED", maxPerUser = 20) => {
    const poolId = (await cognito.send(new CreateUserPoolCommand({ PoolName: "sessions" }))).UserPool!.Id!;
    const clientId = (
      await cognito.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: "app",
          ExplicitAuthFlows: [
            "ALLOW_USER_PASSWORD_AUTH",
            "ALLOW_ADMIN_USER_PASSWORD_AUTH",
            "ALLOW_REFRESH_TOKEN_AUTH",
          ],
        }),
      )
    ).UserPoolClient!.ClientId!;
    await cognito.send(
      new SetUserPoolSessionConfigurationCommand({
        UserPoolId: poolId,
        UserSessionTracking: tracking,
        TokenSession: { MaxPerUser: maxPerUser },
      }),
    );
    const username = `user${++users}`;
    await confirmedUser(cognito, poolId, username, PASSWORD);
    const signIn = async (app = clientId): Promise<AuthenticationResultType> =>
      (
        await cognito.send(
          new InitiateAuthCommand({
            ClientId: app,
            AuthFlow: "USER_PASSWORD_AUTH",
            AuthParameters: { USERNAME: username, PASSWORD },
          }),
        )
      ).AuthenticationResult!;
    const list = async () =>
      (await cognito.send(new AdminListUserSessionsCommand({ UserPoolId: poolId, Username: username })))
        .Sessions!;
    const refresh = (token: string) =>
      cognito.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: "REFRESH_TOKEN_AUTH",
          AuthParameters: { REFRESH_TOKEN: token },
        }),
      );
    return { poolId, clientId, username, signIn, list, refresh };
  };
  const getUser = (token: string) => cognito.send(new GetUserCommand({ AccessToken: token }));
  const sessionOf = (sessions: SessionDescriptionType[], id: string) =>
    sessions.find((s) => s.SessionId === id);

  test("with tracking off the session operations are refused and sign-ins record nothing", async () => {
    const { poolId, username, signIn, list } = await setup("DISABLED");
    const tokens = await signIn();
    await rejectsWith(list(), "OperationNotEnabledException", 400, /session tracking is not enabled/i);
    await rejectsWith(
      cognito.send(new ListUserSessionsCommand({ AccessToken: tokens.AccessToken })),
      "OperationNotEnabledException",
      400,
    );
    await cognito.send(
      new SetUserPoolSessionConfigurationCommand({
        UserPoolId: poolId,
        UserSessionTracking: "ENABLED",
        TokenSession: { MaxPerUser: 20 },
      }),
    );
    assert.deepEqual(await list(), []);
    await rejectsWith(
      cognito.send(
        new AdminRevokeUserSessionCommand({
          UserPoolId: poolId,
          Username: username,
          SessionId: "tkn0000000000000000000000000",
        }),
      ),
      "ResourceNotFoundException",
      400,
    );
  });

  test("a sign-in starts a token session; its refreshes continue it", async () => {
    const { clientId, signIn, list, refresh } = await setup();
    const before = Math.floor(Date.now() / 1000);
    const tokens = await signIn();
    const [session, ...rest] = await list();
    assert.equal(rest.length, 0);
    assert.match(session!.SessionId!, /^tkn[a-z0-9]{25}$/);
    assert.equal(session!.SessionType, "TOKEN");
    assert.equal(session!.ClientId, clientId);
    assert.equal(session!.LastIPAddress, "127.0.0.1");
    assert.match(session!.DeviceType!, /aws-sdk-js/);
    assert.equal(session!.IsCurrentSession, false);
    assert.equal(session!.OriginSessionId, undefined);
    assert.ok(session!.CreateDate!.getTime() / 1000 >= before - 1);
    try {
      await setClockOffset(server, 120_000);
      await refresh(tokens.RefreshToken!);
    } finally {
      await setClockOffset(server, 0);
    }
    const [again, ...none] = await list();
    assert.equal(none.length, 0);
    assert.equal(again!.SessionId, session!.SessionId);
    assert.equal(again!.CreateDate!.getTime(), session!.CreateDate!.getTime());
    assert.ok(again!.LastActiveDate!.getTime() >= session!.LastActiveDate!.getTime() + 100_000);
    // A second sign-in is a second session.
    await signIn();
    assert.equal((await list()).length, 2);
  });

  test("ListUserSessions lists the caller's sessions across app clients and marks the current one", async () => {
    const { poolId, signIn } = await setup();
    const other = (
      await cognito.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: "other",
          ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        }),
      )
    ).UserPoolClient!.ClientId!;
    const mine = await signIn();
    await signIn(other);
    const { Sessions, NextToken } = await cognito.send(
      new ListUserSessionsCommand({ AccessToken: mine.AccessToken }),
    );
    assert.equal(NextToken, undefined);
    assert.equal(Sessions!.length, 2);
    assert.deepEqual(Sessions!.map((s) => s.IsCurrentSession).sort(), [false, true]);
    const current = Sessions!.find((s) => s.IsCurrentSession)!;
    assert.notEqual(current.ClientId, other);
    assert.ok(Sessions!.some((s) => s.ClientId === other));
    await rejectsWith(
      cognito.send(new ListUserSessionsCommand({ AccessToken: mine.AccessToken, NextToken: "bogus" })),
      "InvalidParameterException",
      400,
    );
  });

  test("AdminRevokeUserSession ends the session's refresh and access tokens at once, and only its own", async () => {
    const { poolId, username, signIn, list, refresh } = await setup();
    const first = await signIn();
    const firstId = (await list())[0]!.SessionId!;
    const second = await signIn();
    const refreshed = (await refresh(first.RefreshToken!)).AuthenticationResult!;
    await cognito.send(
      new AdminRevokeUserSessionCommand({ UserPoolId: poolId, Username: username, SessionId: firstId }),
    );
    await rejectsWith(
      getUser(first.AccessToken!),
      "NotAuthorizedException",
      400,
      /^Access Token has been revoked$/,
    );
    await rejectsWith(
      getUser(refreshed.AccessToken!),
      "NotAuthorizedException",
      400,
      /^Access Token has been revoked$/,
    );
    await rejectsWith(
      refresh(first.RefreshToken!),
      "NotAuthorizedException",
      400,
      /^Refresh Token has been revoked$/,
    );
    await rejectsWith(
      cognito.send(new ListUserSessionsCommand({ AccessToken: first.AccessToken })),
      "NotAuthorizedException",
      400,
      /^Access Token has been revoked$/,
    );
    assert.ok((await getUser(second.AccessToken!)).Username);
    const left = await list();
    assert.equal(left.length, 1);
    assert.equal(sessionOf(left, firstId), undefined);
    // Revoked means gone: a second revocation does not find it.
    await rejectsWith(
      cognito.send(
        new AdminRevokeUserSessionCommand({ UserPoolId: poolId, Username: username, SessionId: firstId }),
      ),
      "ResourceNotFoundException",
      400,
    );
  });

  test("AdminRevokeUserSession: the session must be the named user's", async () => {
    const a = await setup();
    await a.signIn();
    const id = (await a.list())[0]!.SessionId!;
    const otherUser = `other${++users}`;
    await confirmedUser(cognito, a.poolId, otherUser, PASSWORD);
    await rejectsWith(
      cognito.send(
        new AdminRevokeUserSessionCommand({ UserPoolId: a.poolId, Username: otherUser, SessionId: id }),
      ),
      "ResourceNotFoundException",
      400,
    );
    await rejectsWith(
      cognito.send(
        new AdminRevokeUserSessionCommand({ UserPoolId: a.poolId, Username: "nobody", SessionId: id }),
      ),
      "UserNotFoundException",
      400,
    );
    await rejectsWith(
      cognito.send(new AdminListUserSessionsCommand({ UserPoolId: a.poolId, Username: "nobody" })),
      "UserNotFoundException",
      400,
    );
    await rejectsWith(
      cognito.send(new AdminListUserSessionsCommand({ UserPoolId: "us-east-1_nopool000", Username: "x" })),
      "ResourceNotFoundException",
      400,
    );
    assert.equal((await a.list()).length, 1);
  });

  test("RevokeUserSession ends another of the caller's sessions, never the current one", async () => {
    const { signIn, list } = await setup();
    const mine = await signIn();
    const lost = await signIn();
    const sessions = (await cognito.send(new ListUserSessionsCommand({ AccessToken: mine.AccessToken })))
      .Sessions!;
    const current = sessions.find((s) => s.IsCurrentSession)!.SessionId!;
    const other = sessions.find((s) => !s.IsCurrentSession)!.SessionId!;
    await rejectsWith(
      cognito.send(new RevokeUserSessionCommand({ AccessToken: mine.AccessToken, SessionId: current })),
      "InvalidParameterException",
      400,
    );
    await cognito.send(
      new RevokeUserSessionCommand({
        AccessToken: mine.AccessToken,
        SessionId: other,
        RevokeAssociatedSessions: "NONE",
      }),
    );
    await rejectsWith(
      getUser(lost.AccessToken!),
      "NotAuthorizedException",
      400,
      /^Access Token has been revoked$/,
    );
    assert.ok((await getUser(mine.AccessToken!)).Username);
    assert.deepEqual(
      (await list()).map((s) => s.SessionId),
      [current],
    );
    await rejectsWith(
      cognito.send(new RevokeUserSessionCommand({ AccessToken: mine.AccessToken, SessionId: other })),
      "ResourceNotFoundException",
      400,
    );
    // Another user's session is not the caller's to end.
    const stranger = await setup();
    await stranger.signIn();
    const theirs = (await stranger.list())[0]!.SessionId!;
    await rejectsWith(
      cognito.send(new RevokeUserSessionCommand({ AccessToken: mine.AccessToken, SessionId: theirs })),
      "ResourceNotFoundException",
      400,
    );
    assert.equal((await stranger.list()).length, 1);
  });

  test("past MaxPerUser a new sign-in evicts the least recently used token session", async () => {
    const { signIn, list, refresh } = await setup("ENABLED", 2);
    const first = await signIn();
    const second = await signIn();
    // The first is used again, so the second is now the least recently used.
    try {
      await setClockOffset(server, 5_000);
      await refresh(first.RefreshToken!);
      await setClockOffset(server, 10_000);
      const third = await signIn();
      assert.ok((await getUser(third.AccessToken!)).Username);
    } finally {
      await setClockOffset(server, 0);
    }
    await rejectsWith(
      getUser(second.AccessToken!),
      "NotAuthorizedException",
      400,
      /^Access Token has been revoked$/,
    );
    await rejectsWith(refresh(second.RefreshToken!), "NotAuthorizedException", 400, /revoked/);
    assert.ok((await getUser(first.AccessToken!)).Username);
    assert.equal((await list()).length, 2);
  });

  test("lowering MaxPerUser evicts nothing until the next sign-in", async () => {
    const { poolId, signIn, list } = await setup("ENABLED", 5);
    for (let i = 0; i < 4; i++) await signIn();
    await cognito.send(
      new SetUserPoolSessionConfigurationCommand({
        UserPoolId: poolId,
        UserSessionTracking: "ENABLED",
        TokenSession: { MaxPerUser: 2 },
      }),
    );
    assert.equal((await list()).length, 4);
    await signIn();
    assert.equal((await list()).length, 2);
  });

  test("RevokeToken, GlobalSignOut and rotation keep the sessions in step with the tokens", async () => {
    const { poolId, clientId, signIn, list } = await setup();
    const revokedOne = await signIn();
    const kept = await signIn();
    await cognito.send(new RevokeTokenCommand({ ClientId: clientId, Token: revokedOne.RefreshToken }));
    assert.equal((await list()).length, 1);
    // Rotation: the rotated refresh token continues the same session.
    const rotating = (
      await cognito.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: "rotating",
          ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
          RefreshTokenRotation: { Feature: "ENABLED", RetryGracePeriodSeconds: 0 },
        }),
      )
    ).UserPoolClient!.ClientId!;
    const rotated = await signIn(rotating);
    const next = await cognito.send(
      new GetTokensFromRefreshTokenCommand({ ClientId: rotating, RefreshToken: rotated.RefreshToken }),
    );
    assert.ok(next.AuthenticationResult?.RefreshToken);
    const sessions = await list();
    assert.equal(sessions.length, 2);
    assert.equal(sessions.filter((s) => s.ClientId === rotating).length, 1);
    await cognito.send(new GlobalSignOutCommand({ AccessToken: kept.AccessToken }));
    assert.deepEqual(await list(), []);
  });

  test("an admin sign-in starts a session too", async () => {
    const { poolId, clientId, username, list } = await setup();
    await cognito.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: username, PASSWORD },
      }),
    );
    assert.equal((await list()).length, 1);
  });
});
