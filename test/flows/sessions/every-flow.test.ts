/**
 * Every way of signing in starts a token session: SRP, USER_AUTH, CUSTOM_AUTH (through the
 * challenge triggers) and a federated sign-in on the managed login (with its SSO session).
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  AdminListUserSessionsCommand,
  type CognitoIdentityProviderClient,
  InitiateAuthCommand,
  ListUsersCommand,
  RespondToAuthChallengeCommand,
  SetUserPoolSessionConfigurationCommand,
  UpdateUserPoolClientCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { type CustomAuthServer, customAuthPool, customAuthServer } from "../../support/custom-auth.ts";
import { federatedApp } from "../../support/federated-app.ts";
import { browse, CALLBACK, hiddenFields, Jar } from "../../support/oauth.ts";
import { confirmedUser } from "../../support/pools.ts";
import { passwordVerifierResponses, startClientSrp } from "../../support/srp-client.ts";

const PASSWORD = "Sup3r-secret!";

describe("every sign-in flow starts a token session", () => {
  let custom: CustomAuthServer;
  let cognito: CognitoIdentityProviderClient;
  before(async () => {
    custom = await customAuthServer({ args: ["--memory", "--enable-mock-idp"] });
    cognito = custom.server.client();
  });
  after(() => custom.stop());

  const track = (poolId: string) =>
    cognito.send(
      new SetUserPoolSessionConfigurationCommand({
        UserPoolId: poolId,
        UserSessionTracking: "ENABLED",
        TokenSession: { MaxPerUser: 20 },
      }),
    );
  const sessionsOf = async (poolId: string, username: string) =>
    (await cognito.send(new AdminListUserSessionsCommand({ UserPoolId: poolId, Username: username })))
      .Sessions!;

  test("SRP, CUSTOM_AUTH and USER_AUTH", async () => {
    const { poolId, clientId } = await customAuthPool(cognito);
    await cognito.send(
      new UpdateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        ExplicitAuthFlows: [
          "ALLOW_CUSTOM_AUTH",
          "ALLOW_USER_SRP_AUTH",
          "ALLOW_USER_AUTH",
          "ALLOW_REFRESH_TOKEN_AUTH",
        ],
      }),
    );
    await track(poolId);
    await confirmedUser(cognito, poolId, "dana", PASSWORD);

    const srp = startClientSrp();
    const started = await cognito.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_SRP_AUTH",
        AuthParameters: { USERNAME: "dana", SRP_A: srp.srpA },
      }),
    );
    const srpDone = await cognito.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: "PASSWORD_VERIFIER",
        ChallengeResponses: passwordVerifierResponses({
          poolId,
          password: PASSWORD,
          client: srp,
          challengeParameters: started.ChallengeParameters!,
        }),
      }),
    );
    assert.ok(srpDone.AuthenticationResult?.RefreshToken);
    assert.equal((await sessionsOf(poolId, "dana")).length, 1);

    const challenge = await cognito.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "CUSTOM_AUTH",
        AuthParameters: { USERNAME: "dana" },
      }),
    );
    const customDone = await cognito.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: "CUSTOM_CHALLENGE",
        Session: challenge.Session,
        ChallengeResponses: { USERNAME: "dana", ANSWER: "42" },
      }),
    );
    assert.ok(customDone.AuthenticationResult?.RefreshToken);
    assert.equal((await sessionsOf(poolId, "dana")).length, 2);

    const userAuth = await cognito.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_AUTH",
        AuthParameters: { USERNAME: "dana", PREFERRED_CHALLENGE: "PASSWORD", PASSWORD },
      }),
    );
    assert.ok(userAuth.AuthenticationResult?.RefreshToken);
    const sessions = await sessionsOf(poolId, "dana");
    assert.equal(sessions.length, 3);
    assert.equal(new Set(sessions.map((s) => s.SessionId)).size, 3);
  });

  test("a federated sign-in on the managed login: an SSO session and its code's token session", async () => {
    const server = custom.server;
    const a = await federatedApp(server, {
      ProviderName: "Mock",
      ProviderDetails: {
        client_id: "my-app",
        client_secret: "anything",
        authorize_scopes: "openid email",
        oidc_issuer: `${server.url}/_lanyard/mock-idp`,
        attributes_request_method: "GET",
      },
      AttributeMapping: { email: "email" },
    });
    await track(a.poolId);
    const jar = new Jar();
    const start = await browse(
      `${server.url}/oauth2/authorize?${new URLSearchParams({
        response_type: "code",
        client_id: a.clientId,
        redirect_uri: CALLBACK,
        scope: "openid email",
        identity_provider: "Mock",
      })}`,
      jar,
    );
    const page = await (await browse(start.headers.get("location")!, jar)).text();
    const action = /<form method="post" action="([^"]+)"/.exec(page)![1]!.replace(/&amp;/g, "&");
    const signed = await browse(`${server.url}${action}`, jar, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        ...hiddenFields(page),
        sub: "fed-user",
        claims: JSON.stringify({ email: "f@example.com" }),
      }).toString(),
    });
    const done = await browse(signed.headers.get("location")!, jar);
    const code = new URL(done.headers.get("location")!).searchParams.get("code")!;
    const res = await fetch(`${server.url}/oauth2/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        client_id: a.clientId,
        ...(a.clientSecret === undefined ? {} : { client_secret: a.clientSecret }),
        code,
        redirect_uri: CALLBACK,
      }),
    });
    assert.equal(res.status, 200, await res.clone().text());
    const username = (
      await cognito.send(new ListUsersCommand({ UserPoolId: a.poolId, Filter: 'username ^= "Mock_"' }))
    ).Users![0]!.Username!;
    const sessions = await sessionsOf(a.poolId, username);
    const sso = sessions.find((s) => s.SessionType === "SSO")!;
    assert.ok(sso);
    assert.equal(sessions.find((s) => s.SessionType === "TOKEN")!.OriginSessionId, sso.SessionId);
  });
});
