/**
 * PreTokenGeneration through the AWS SDK and the OAuth endpoints, with the tokens verified by
 * aws-jwt-verify against the pool's JWKS (`--issuer aws`): V2_0 claims and scopes in both tokens,
 * V1_0 (PreTokenGenerationConfig and the older PreTokenGeneration member) changing the ID token only,
 * V3_0 for the client credentials grant, the triggerSource of each path, the excluded claims, and a
 * function's bad answer.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  type CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateResourceServerCommand,
  CreateUserPoolClientCommand,
  GetClientTokenCommand,
  InitiateAuthCommand,
  type LambdaConfigType,
  RespondToAuthChallengeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import type { PreTokenGenerationV2TriggerEvent } from "aws-lambda";
import { CognitoJwtVerifier } from "aws-jwt-verify";
import * as oidc from "openid-client";
import type { Jwks } from "aws-jwt-verify/jwk";
import { CALLBACK, callbackOf, oauthApp, signInAt } from "../../support/oauth.ts";
import { confirmedUser, poolWithClient } from "../../support/pools.ts";
import { arn, failsWith, FIXTURES, startTriggerServer, type TriggerServer } from "../../support/triggers.ts";

const PASSWORD = "Corr3ct-Horse";
const FLOWS = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] as const;

describe("PreTokenGeneration", () => {
  let t: TriggerServer;
  let client: CognitoIdentityProviderClient;

  before(async () => {
    t = await startTriggerServer(
      {
        [arn("pre-token")]: { module: join(FIXTURES, "pre-token.ts") },
        [arn("garbage")]: { module: join(FIXTURES, "garbage.ts") },
      },
      ["--memory", "--issuer", "aws"],
    );
    client = t.server.client();
  });
  after(() => t.stop());

  /** A pool with the function, an app client, and alice (email, in group "staff"). */
  async function setup(lambda: LambdaConfigType) {
    const { poolId, clientId } = await poolWithClient(client, {
      pool: { LambdaConfig: lambda },
      app: { ExplicitAuthFlows: [...FLOWS] },
    });
    await confirmedUser(client, poolId, "alice", PASSWORD, [{ Name: "email", Value: "alice@example.com" }]);
    await client.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: "staff" }));
    await client.send(
      new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: "alice", GroupName: "staff" }),
    );
    const jwks = (await (await fetch(`${t.server.url}/${poolId}/.well-known/jwks.json`)).json()) as Jwks;
    return { poolId, clientId, jwks };
  }

  function verifiers(poolId: string, clientId: string, jwks: Jwks) {
    const id = CognitoJwtVerifier.create({ userPoolId: poolId, tokenUse: "id", clientId });
    const access = CognitoJwtVerifier.create({ userPoolId: poolId, tokenUse: "access", clientId });
    id.cacheJwks(jwks);
    access.cacheJwks(jwks);
    return { id, access };
  }

  const signIn = (clientId: string, meta?: Record<string, string>) =>
    client.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "alice", PASSWORD },
        ...(meta ? { ClientMetadata: meta } : {}),
      }),
    );

  test("V2_0: claims and scopes added to both tokens, which verify against the JWKS", async () => {
    const { poolId, clientId, jwks } = await setup({
      PreTokenGenerationConfig: { LambdaVersion: "V2_0", LambdaArn: arn("pre-token") },
    });
    t.clearEvents();
    // InitiateAuth's ClientMetadata does not reach PreTokenGeneration (the fixture's tenant is then "acme").
    const out = await signIn(clientId, { tenant: "globex" });
    const v = verifiers(poolId, clientId, jwks);
    const id = await v.id.verify(out.AuthenticationResult!.IdToken!);
    const access = await v.access.verify(out.AuthenticationResult!.AccessToken!);
    assert.equal(id.tenant, "acme");
    assert.equal(id.email, undefined, "email suppressed");
    assert.notEqual(id.sub, "not-the-user", "sub is an excluded claim");
    assert.deepEqual(id["cognito:groups"], ["overridden"]);
    assert.equal(access.tenant, "acme");
    assert.deepEqual(access.plan, { tier: "gold", seats: 5 });
    assert.deepEqual(access.roles, ["reader", "writer"]);
    assert.equal(access.username, "alice", "username is excluded: it cannot be suppressed");
    assert.deepEqual(access["cognito:groups"], ["overridden"]);
    assert.deepEqual(String(access.scope).split(" "), ["aws.cognito.signin.user.admin", "api/added"]);

    const [event] = t.events<PreTokenGenerationV2TriggerEvent>();
    assert.ok(event);
    assert.equal(event.version, "2");
    assert.equal(event.triggerSource, "TokenGeneration_Authentication");
    assert.equal(event.userName, "alice");
    assert.equal(event.callerContext.clientId, clientId);
    assert.equal(event.request.userAttributes.email, "alice@example.com");
    assert.deepEqual(event.request.groupConfiguration, {
      groupsToOverride: ["staff"],
      iamRolesToOverride: [],
    });
    assert.deepEqual(event.request.scopes, ["aws.cognito.signin.user.admin"]);
    assert.equal(event.request.clientMetadata, undefined);
    assert.deepEqual(event.response, { claimsAndScopeOverrideDetails: null });

    // A refresh: TokenGeneration_RefreshTokens, and the claims again.
    t.clearEvents();
    const refreshed = await client.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "REFRESH_TOKEN_AUTH",
        AuthParameters: { REFRESH_TOKEN: out.AuthenticationResult!.RefreshToken! },
      }),
    );
    assert.equal((await v.access.verify(refreshed.AuthenticationResult!.AccessToken!)).tenant, "acme");
    assert.deepEqual(
      t.events().map((e) => e.triggerSource),
      ["TokenGeneration_RefreshTokens"],
    );
  });

  test("V1_0 (and the older PreTokenGeneration member): the ID token changes, the access token keeps its claims", async () => {
    for (const lambda of [
      { PreTokenGenerationConfig: { LambdaVersion: "V1_0" as const, LambdaArn: arn("pre-token") } },
      { PreTokenGeneration: arn("pre-token") },
    ]) {
      const { poolId, clientId, jwks } = await setup(lambda);
      t.clearEvents();
      const out = await signIn(clientId);
      const v = verifiers(poolId, clientId, jwks);
      const id = await v.id.verify(out.AuthenticationResult!.IdToken!);
      const access = await v.access.verify(out.AuthenticationResult!.AccessToken!);
      assert.equal(id.tenant, "acme");
      assert.equal(id.email, undefined);
      assert.deepEqual(id["cognito:groups"], ["overridden"]);
      assert.equal(access.tenant, undefined);
      assert.equal(access.scope, "aws.cognito.signin.user.admin");
      const [event] = t.events();
      assert.equal(event?.version, "1");
      assert.deepEqual(event?.response, { claimsOverrideDetails: null });
      assert.equal((event?.request as { scopes?: unknown }).scopes, undefined);
    }
  });

  test("NEW_PASSWORD_REQUIRED: TokenGeneration_NewPasswordChallenge", async () => {
    const { poolId, clientId } = await setup({
      PreTokenGenerationConfig: { LambdaVersion: "V2_0", LambdaArn: arn("pre-token") },
    });
    await client.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: "bob",
        TemporaryPassword: "Temp-passw0rd!",
        MessageAction: "SUPPRESS",
      }),
    );
    const first = await client.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "bob", PASSWORD: "Temp-passw0rd!" },
      }),
    );
    t.clearEvents();
    await client.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: "NEW_PASSWORD_REQUIRED",
        Session: first.Session,
        ChallengeResponses: { USERNAME: "bob", NEW_PASSWORD: PASSWORD },
      }),
    );
    assert.deepEqual(
      t.events().map((e) => e.triggerSource),
      ["TokenGeneration_NewPasswordChallenge"],
    );
  });

  test("the managed login page: TokenGeneration_HostedAuth, and the code grant's tokens carry the claims", async () => {
    const app = await oauthApp(
      t.server,
      {},
      {},
      {
        LambdaConfig: { PreTokenGenerationConfig: { LambdaVersion: "V2_0", LambdaArn: arn("pre-token") } },
      },
    );
    const verifier = oidc.randomPKCECodeVerifier();
    const url = new URL(`${t.server.url}/oauth2/authorize`);
    url.search = new URLSearchParams({
      response_type: "code",
      client_id: app.clientId,
      redirect_uri: CALLBACK,
      scope: "openid email profile",
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
    }).toString();
    t.clearEvents();
    const callback = callbackOf(await signInAt(t.server, url, "alice", "Passw0rd!long"));
    const res = await fetch(`${t.server.url}/oauth2/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        client_id: app.clientId,
        code: callback.searchParams.get("code")!,
        redirect_uri: CALLBACK,
        code_verifier: verifier,
      }),
    });
    assert.equal(res.status, 200);
    const tokens = (await res.json()) as { id_token: string; access_token: string };
    const jwks = (await (await fetch(`${t.server.url}/${app.poolId}/.well-known/jwks.json`)).json()) as Jwks;
    const v = verifiers(app.poolId, app.clientId, jwks);
    assert.equal((await v.id.verify(tokens.id_token)).tenant, "acme");
    const access = await v.access.verify(tokens.access_token);
    assert.deepEqual(String(access.scope).split(" "), ["openid", "email", "profile", "api/added"]);
    assert.deepEqual(
      t.events().map((e) => e.triggerSource),
      ["TokenGeneration_HostedAuth"],
    );
    assert.deepEqual((t.events()[0] as unknown as PreTokenGenerationV2TriggerEvent).request.scopes, [
      "openid",
      "email",
      "profile",
    ]);
  });

  test("V3_0: the client credentials grant's access token, TokenGeneration_ClientCredentials", async () => {
    const { poolId } = await poolWithClient(client, {
      pool: {
        LambdaConfig: { PreTokenGenerationConfig: { LambdaVersion: "V3_0", LambdaArn: arn("pre-token") } },
      },
    });
    await client.send(
      new CreateResourceServerCommand({
        UserPoolId: poolId,
        Identifier: "api",
        Name: "api",
        Scopes: [
          { ScopeName: "read", ScopeDescription: "read" },
          { ScopeName: "write", ScopeDescription: "write" },
        ],
      }),
    );
    const { UserPoolClient } = await client.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: "service",
        GenerateSecret: true,
        ExplicitAuthFlows: ["ALLOW_CLIENT_TOKEN_AUTH" as "ALLOW_USER_PASSWORD_AUTH"],
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ["client_credentials"],
        AllowedOAuthScopes: ["api/read", "api/write"],
      }),
    );
    const m2m = { id: UserPoolClient!.ClientId!, secret: UserPoolClient!.ClientSecret! };
    t.clearEvents();
    const out = await client.send(
      new GetClientTokenCommand({ ClientId: m2m.id, Secret: m2m.secret, ClientMetadata: { tenant: "m2m" } }),
    );
    const jwks = (await (await fetch(`${t.server.url}/${poolId}/.well-known/jwks.json`)).json()) as Jwks;
    const verifier = CognitoJwtVerifier.create({ userPoolId: poolId, tokenUse: "access", clientId: m2m.id });
    verifier.cacheJwks(jwks);
    const access = await verifier.verify(out.ClientAuthenticationResult!.AccessToken!);
    assert.equal(access.tenant, "m2m");
    assert.deepEqual(String(access.scope).split(" "), ["api/read", "api/added"]);
    const [event] = t.events<PreTokenGenerationV2TriggerEvent>();
    assert.ok(event);
    assert.equal(event.version, "3");
    assert.equal(event.triggerSource as string, "TokenGeneration_ClientCredentials");
    assert.equal(event.callerContext.clientId, m2m.id);
    assert.deepEqual(event.request.scopes, ["api/read", "api/write"]);
  });

  test("V2_0 is not called for the client credentials grant", async () => {
    const { poolId } = await poolWithClient(client, {
      pool: {
        LambdaConfig: { PreTokenGenerationConfig: { LambdaVersion: "V2_0", LambdaArn: arn("pre-token") } },
      },
    });
    await client.send(
      new CreateResourceServerCommand({
        UserPoolId: poolId,
        Identifier: "api",
        Name: "api",
        Scopes: [{ ScopeName: "read", ScopeDescription: "read" }],
      }),
    );
    const { UserPoolClient } = await client.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: "service",
        GenerateSecret: true,
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ["client_credentials"],
        AllowedOAuthScopes: ["api/read"],
      }),
    );
    t.clearEvents();
    const res = await fetch(`${t.server.url}/oauth2/token`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${Buffer.from(`${UserPoolClient!.ClientId}:${UserPoolClient!.ClientSecret}`).toString("base64")}`,
      },
      body: new URLSearchParams({ grant_type: "client_credentials" }),
    });
    assert.equal(res.status, 200);
    assert.deepEqual(t.events(), []);
  });

  test("a bad answer fails the sign-in with InvalidLambdaResponseException", async () => {
    const { clientId } = await setup({
      PreTokenGenerationConfig: { LambdaVersion: "V2_0", LambdaArn: arn("garbage") },
    });
    await failsWith(signIn(clientId), "InvalidLambdaResponseException", "Unrecognizable lambda output");
  });
});
