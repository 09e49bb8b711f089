/**
 * SSO sessions: with session tracking on, a sign-in on the managed login pages is an SSO session
 * (the browser's cookie), listed beside the token sessions of the codes it answers; revoking it ends
 * the cookie, LINKED revocations follow the link both ways, and each app client reuses the SSO
 * session only within its MaxValidityMinutes.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  AdminListUserSessionsCommand,
  AdminRevokeUserSessionCommand,
  type CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  GetUserCommand,
  RevokeTokenCommand,
  SetUserPoolClientSessionConfigurationCommand,
  SetUserPoolSessionConfigurationCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWith } from "../support/assert.ts";
import { setClockOffset } from "../support/inbox.ts";
import {
  browse,
  CALLBACK,
  callbackOf,
  Jar,
  type OAuthApp,
  oauthApp,
  PASSWORD,
  signInAt,
} from "../support/oauth.ts";
import { startServer, type TestServer } from "../support/server.ts";

describe("SSO sessions of the managed login", () => {
  let server: TestServer;
  let cognito: CognitoIdentityProviderClient;
  before(async () => {
    server = await startServer({ args: ["--memory", "--enable-test-clock"] });
    cognito = server.client();
  });
  after(() => server.stop());

  const authorizeUrl = (app: { clientId: string }, state = "st") =>
    `${server.url}/oauth2/authorize?${new URLSearchParams({ response_type: "code", client_id: app.clientId, redirect_uri: CALLBACK, scope: "openid aws.cognito.signin.user.admin", state })}`;

  const tracked = async (): Promise<OAuthApp> => {
    const app = await oauthApp(server);
    await cognito.send(
      new SetUserPoolSessionConfigurationCommand({
        UserPoolId: app.poolId,
        UserSessionTracking: "ENABLED",
        TokenSession: { MaxPerUser: 20 },
      }),
    );
    return app;
  };
  const list = async (app: OAuthApp) =>
    (await cognito.send(new AdminListUserSessionsCommand({ UserPoolId: app.poolId, Username: "alice" })))
      .Sessions!;
  const redeem = async (clientId: string, location: string) => {
    const res = await fetch(`${server.url}/oauth2/token`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "user-agent":
          "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36",
      },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        client_id: clientId,
        code: new URL(location).searchParams.get("code")!,
        redirect_uri: CALLBACK,
      }),
    });
    assert.equal(res.status, 200);
    return (await res.json()) as { access_token: string; refresh_token: string };
  };
  /** Where an authorization request goes now: "callback" (the SSO session reused) or "login". */
  const visit = async (
    clientId: string,
    jar: Jar,
  ): Promise<{ to: "callback" | "login"; location: string }> => {
    const res = await browse(authorizeUrl({ clientId }, "again"), jar);
    assert.equal(res.status, 302);
    const location = res.headers.get("location")!;
    return { to: location.startsWith("/login?") ? "login" : "callback", location };
  };
  const secondClient = async (app: OAuthApp) =>
    (
      await cognito.send(
        new CreateUserPoolClientCommand({
          UserPoolId: app.poolId,
          ClientName: "second",
          AllowedOAuthFlowsUserPoolClient: true,
          AllowedOAuthFlows: ["code"],
          AllowedOAuthScopes: ["openid", "aws.cognito.signin.user.admin"],
          CallbackURLs: [CALLBACK],
          SupportedIdentityProviders: ["COGNITO"],
        }),
      )
    ).UserPoolClient!.ClientId!;

  test("a managed login sign-in is an SSO session, and its code's tokens a token session linked to it", async () => {
    const app = await tracked();
    const jar = new Jar();
    const signedIn = callbackOf(await signInAt(server, authorizeUrl(app), "alice", PASSWORD, jar));
    await redeem(app.clientId, signedIn.href);
    const sessions = await list(app);
    const sso = sessions.find((s) => s.SessionType === "SSO")!;
    const token = sessions.find((s) => s.SessionType === "TOKEN")!;
    assert.equal(sessions.length, 2);
    assert.match(sso.SessionId!, /^sso[a-z0-9]{25}$/);
    assert.equal(sso.ClientId, app.clientId);
    assert.equal(sso.OriginSessionId, undefined);
    assert.equal(token.OriginSessionId, sso.SessionId);
    assert.equal(token.DeviceType, "Chrome 125 / Linux");
    // Another app client reuses the SSO session: a second token session through the same SSO session.
    const other = await secondClient(app);
    try {
      await setClockOffset(server, 5 * 60_000);
      const again = await visit(other, jar);
      assert.equal(again.to, "callback");
      await redeem(other, again.location);
    } finally {
      await setClockOffset(server, 0);
    }
    const after = await list(app);
    const ssoAfter = after.filter((s) => s.SessionType === "SSO");
    assert.equal(ssoAfter.length, 1);
    assert.equal(after.filter((s) => s.OriginSessionId === sso.SessionId).length, 2);
    // The reuse and its token grant are the SSO session's latest activity.
    assert.ok(ssoAfter[0]!.LastActiveDate!.getTime() >= sso.LastActiveDate!.getTime() + 4 * 60_000);
  });

  test("revoking the SSO session ends the cookie; LINKED ends the token sessions that came through it", async () => {
    const app = await tracked();
    const jar = new Jar();
    const tokens = await redeem(
      app.clientId,
      callbackOf(await signInAt(server, authorizeUrl(app), "alice", PASSWORD, jar)).href,
    );
    const sso = (await list(app)).find((s) => s.SessionType === "SSO")!;
    await cognito.send(
      new AdminRevokeUserSessionCommand({
        UserPoolId: app.poolId,
        Username: "alice",
        SessionId: sso.SessionId,
        RevokeAssociatedSessions: "NONE",
      }),
    );
    assert.equal((await visit(app.clientId, jar)).to, "login");
    // NONE: the token session lives on.
    assert.ok((await cognito.send(new GetUserCommand({ AccessToken: tokens.access_token }))).Username);
    assert.equal((await list(app)).length, 1);

    const jar2 = new Jar();
    const second = await redeem(
      app.clientId,
      callbackOf(await signInAt(server, authorizeUrl(app), "alice", PASSWORD, jar2)).href,
    );
    const sso2 = (await list(app)).find((s) => s.SessionType === "SSO")!;
    await cognito.send(
      new AdminRevokeUserSessionCommand({
        UserPoolId: app.poolId,
        Username: "alice",
        SessionId: sso2.SessionId,
        RevokeAssociatedSessions: "LINKED",
      }),
    );
    await rejectsWith(
      cognito.send(new GetUserCommand({ AccessToken: second.access_token })),
      "NotAuthorizedException",
      400,
      /^Access Token has been revoked$/,
    );
    assert.equal((await visit(app.clientId, jar2)).to, "login");
    // The first sign-in's token session, not linked to this SSO session, remains.
    assert.ok((await cognito.send(new GetUserCommand({ AccessToken: tokens.access_token }))).Username);
  });

  test("LINKED on a token session ends its SSO session; RevokeToken LINKED does too, not the siblings", async () => {
    const app = await tracked();
    const other = await secondClient(app);
    const jar = new Jar();
    const first = await redeem(
      app.clientId,
      callbackOf(await signInAt(server, authorizeUrl(app), "alice", PASSWORD, jar)).href,
    );
    const sibling = await redeem(other, (await visit(other, jar)).location);
    await cognito.send(
      new RevokeTokenCommand({
        ClientId: app.clientId,
        Token: first.refresh_token,
        RevokeAssociatedSessions: "LINKED",
      }),
    );
    assert.equal((await visit(app.clientId, jar)).to, "login");
    await rejectsWith(
      cognito.send(new GetUserCommand({ AccessToken: first.access_token })),
      "NotAuthorizedException",
      400,
      /revoked/,
    );
    assert.ok((await cognito.send(new GetUserCommand({ AccessToken: sibling.access_token }))).Username);
    const left = await list(app);
    assert.deepEqual(
      left.map((s) => s.SessionType),
      ["TOKEN"],
    );

    const jar2 = new Jar();
    await redeem(
      app.clientId,
      callbackOf(await signInAt(server, authorizeUrl(app), "alice", PASSWORD, jar2)).href,
    );
    const now = await list(app);
    const sso = now.find((s) => s.SessionType === "SSO")!;
    const token = now.find((s) => s.OriginSessionId === sso.SessionId)!;
    await cognito.send(
      new AdminRevokeUserSessionCommand({
        UserPoolId: app.poolId,
        Username: "alice",
        SessionId: token.SessionId,
        RevokeAssociatedSessions: "LINKED",
      }),
    );
    assert.equal((await visit(app.clientId, jar2)).to, "login");
  });

  test("an app client reuses the SSO session only within its MaxValidityMinutes", async () => {
    const app = await tracked();
    const other = await secondClient(app);
    await cognito.send(
      new SetUserPoolClientSessionConfigurationCommand({
        UserPoolId: app.poolId,
        ClientId: other,
        SSOSession: { MaxValidityMinutes: 0 },
      }),
    );
    await cognito.send(
      new SetUserPoolClientSessionConfigurationCommand({
        UserPoolId: app.poolId,
        ClientId: app.clientId,
        SSOSession: { MaxValidityMinutes: 180 },
      }),
    );
    const jar = new Jar();
    const res = await signInAt(server, authorizeUrl(app), "alice", PASSWORD, jar);
    callbackOf(res);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith(`lanyard_session_${app.poolId}=`))!;
    assert.match(cookie, /; Max-Age=10800/);
    // MaxValidityMinutes 0: never reused, always the form.
    assert.equal((await visit(other, jar)).to, "login");
    try {
      await setClockOffset(server, 150 * 60_000);
      assert.equal((await visit(app.clientId, jar)).to, "callback");
      await setClockOffset(server, 181 * 60_000);
      assert.equal((await visit(app.clientId, jar)).to, "login");
    } finally {
      await setClockOffset(server, 0);
    }
  });

  test("the logout endpoint ends the SSO session", async () => {
    const app = await tracked();
    const jar = new Jar();
    callbackOf(await signInAt(server, authorizeUrl(app), "alice", PASSWORD, jar));
    assert.equal((await list(app)).filter((s) => s.SessionType === "SSO").length, 1);
    const out = await browse(
      `${server.url}/logout?${new URLSearchParams({ client_id: app.clientId, logout_uri: "http://localhost:8976/signed-out" })}`,
      jar,
    );
    assert.equal(out.status, 302);
    assert.deepEqual(await list(app), []);
  });

  test("without session tracking the managed login records no SSO session", async () => {
    const app = await oauthApp(server);
    const jar = new Jar();
    const res = await signInAt(server, authorizeUrl(app), "alice", PASSWORD, jar);
    await redeem(app.clientId, callbackOf(res).href);
    assert.match(res.headers.getSetCookie().join("\n"), /; Max-Age=3600/);
    await cognito.send(
      new SetUserPoolSessionConfigurationCommand({
        UserPoolId: app.poolId,
        UserSessionTracking: "ENABLED",
        TokenSession: { MaxPerUser: 20 },
      }),
    );
    assert.deepEqual(await list(app), []);
    // The old cookie still signs in (it names no SSO session).
    assert.equal((await visit(app.clientId, jar)).to, "callback");
  });
});
