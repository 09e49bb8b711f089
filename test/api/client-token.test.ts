/**
 * GetClientToken: an app client with a secret and ALLOW_CLIENT_TOKEN_AUTH as its only flow gets a
 * machine-to-machine access token through the user pools API, the same token as the client
 * credentials grant; the flow's rules when the client is written; the refusals of the operation.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  CreateResourceServerCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  type ExplicitAuthFlowsType,
  GetClientTokenCommand,
  InitiateAuthCommand,
  UpdateUserPoolClientCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { JwtVerifier } from "aws-jwt-verify";
import type { Jwks } from "aws-jwt-verify/jwk";
import { decodeJwt } from "../../src/crypto/jwt.ts";
import { rejectsWith } from "../support/assert.ts";
import { rawRequest, startServer, type TestServer } from "../support/server.ts";

const API = "https://api.example.com";
const READ = `${API}/read`;
const WRITE = `${API}/write`;
/** The SDK's ExplicitAuthFlowsType (3.1169.0) does not list the value yet; the SDK sends it as is. */
const CLIENT_TOKEN_AUTH = "ALLOW_CLIENT_TOKEN_AUTH" as ExplicitAuthFlowsType;

interface M2mClient {
  clientId: string;
  secret: string;
}

describe("GetClientToken", () => {
  let server: TestServer;
  let poolId: string;
  let m2m: M2mClient;
  before(async () => {
    server = await startServer();
    const sdk = server.client();
    const { UserPool } = await sdk.send(new CreateUserPoolCommand({ PoolName: "m2m" }));
    poolId = UserPool!.Id!;
    await sdk.send(
      new CreateResourceServerCommand({
        UserPoolId: poolId,
        Identifier: API,
        Name: "api",
        Scopes: [
          { ScopeName: "read", ScopeDescription: "read" },
          { ScopeName: "write", ScopeDescription: "write" },
          { ScopeName: "admin", ScopeDescription: "admin" },
        ],
      }),
    );
    m2m = await createClient({
      ExplicitAuthFlows: [CLIENT_TOKEN_AUTH],
      // The same client may also use the client credentials grant, to compare the two tokens.
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ["client_credentials"],
      AllowedOAuthScopes: [READ, WRITE],
    });
  });
  after(() => server.stop());

  async function createClient(
    settings: Omit<ConstructorParameters<typeof CreateUserPoolClientCommand>[0], "UserPoolId" | "ClientName">,
  ): Promise<M2mClient> {
    const { UserPoolClient } = await server.client().send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: "service",
        GenerateSecret: true,
        ...settings,
      }),
    );
    return { clientId: UserPoolClient!.ClientId!, secret: UserPoolClient!.ClientSecret! };
  }

  const claimsOf = (jwt: string) => decodeJwt(jwt)!.claims;

  async function clientCredentialsToken(client: M2mClient, scope?: string): Promise<string> {
    const res = await fetch(`${server.url}/oauth2/token`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${Buffer.from(`${client.clientId}:${client.secret}`).toString("base64")}`,
      },
      body: new URLSearchParams({ grant_type: "client_credentials", ...(scope ? { scope } : {}) }),
    });
    assert.equal(res.status, 200);
    return ((await res.json()) as { access_token: string }).access_token;
  }

  test("issues the client's access token, verified against the pool's JWKS, like a client_credentials token", async () => {
    const { ClientAuthenticationResult: result } = await server
      .client()
      .send(new GetClientTokenCommand({ ClientId: m2m.clientId, Secret: m2m.secret }));
    assert.equal(result?.TokenType, "Bearer");
    assert.equal(result?.ExpiresIn, 3600);
    const issuer = `${server.url}/${poolId}`;
    const jwks = (await (await fetch(`${issuer}/.well-known/jwks.json`)).json()) as Jwks;
    const verifier = JwtVerifier.create({
      issuer,
      audience: null,
      scope: [READ, WRITE],
      customJwtCheck: ({ payload }) => {
        if (payload.client_id !== m2m.clientId || payload.token_use !== "access")
          throw new Error("not this client's access token");
      },
    });
    verifier.cacheJwks(jwks);
    const payload = await verifier.verify(result!.AccessToken!);
    assert.equal(payload.sub, m2m.clientId);
    assert.equal(payload.scope, `${READ} ${WRITE}`);
    assert.equal(payload.exp! - payload.iat!, 3600);

    // The client credentials grant's token for the same client has the same claims.
    const grant = claimsOf(await clientCredentialsToken(m2m));
    const api = claimsOf(result!.AccessToken!);
    assert.deepEqual(Object.keys(api).sort(), Object.keys(grant).sort());
    for (const claim of ["sub", "client_id", "token_use", "scope", "iss", "version"])
      assert.equal(api[claim], grant[claim], claim);
    assert.equal(api.cognito_groups, undefined);
    assert.equal(api.username, undefined);
  });

  test("unsigned requests get a token too: Cognito does not evaluate IAM for the operation", async () => {
    const res = await rawRequest(
      server.url,
      "GetClientToken",
      JSON.stringify({ ClientId: m2m.clientId, Secret: m2m.secret, Scopes: [READ] }),
      {},
      false,
    );
    assert.equal(res.status, 200);
    const result = res.json.ClientAuthenticationResult as { AccessToken: string; TokenType: string };
    assert.equal(result.TokenType, "Bearer");
    assert.equal(claimsOf(result.AccessToken).scope, READ);
    // Credentials Lanyard does not know sign the SDK's request: the signature is not checked.
    const stranger = server.client({ accessKeyId: "AKIDSTRANGER", secretAccessKey: "not-configured" });
    const signed = await stranger.send(
      new GetClientTokenCommand({ ClientId: m2m.clientId, Secret: m2m.secret }),
    );
    assert.ok(signed.ClientAuthenticationResult?.AccessToken);
  });

  test("Scopes narrows the token; an empty list means the client's scopes", async () => {
    const sdk = server.client();
    const one = await sdk.send(
      new GetClientTokenCommand({ ClientId: m2m.clientId, Secret: m2m.secret, Scopes: [WRITE] }),
    );
    assert.equal(claimsOf(one.ClientAuthenticationResult!.AccessToken!).scope, WRITE);
    const twice = await sdk.send(
      new GetClientTokenCommand({ ClientId: m2m.clientId, Secret: m2m.secret, Scopes: [WRITE, READ, WRITE] }),
    );
    assert.equal(claimsOf(twice.ClientAuthenticationResult!.AccessToken!).scope, `${WRITE} ${READ}`);
    const none = await sdk.send(
      new GetClientTokenCommand({ ClientId: m2m.clientId, Secret: m2m.secret, Scopes: [] }),
    );
    assert.equal(claimsOf(none.ClientAuthenticationResult!.AccessToken!).scope, `${READ} ${WRITE}`);
    const withMetadata = await sdk.send(
      new GetClientTokenCommand({
        ClientId: m2m.clientId,
        Secret: m2m.secret,
        ClientMetadata: { purpose: "batch" },
      }),
    );
    assert.ok(withMetadata.ClientAuthenticationResult?.AccessToken);
  });

  test("a scope that is not a custom scope of the client is an InvalidParameterException", async () => {
    const sdk = server.client();
    // Unknown to the pool, of the pool's resource server but not allowed to the client, and standard.
    for (const scope of [
      `${API}/delete`,
      `${API}/admin`,
      "https://other.example.com/read",
      "openid",
      "email",
    ])
      await rejectsWith(
        sdk.send(
          new GetClientTokenCommand({ ClientId: m2m.clientId, Secret: m2m.secret, Scopes: [READ, scope] }),
        ),
        "InvalidParameterException",
        400,
        new RegExp(`^Invalid scope requested: ${scope.replace(/[.]/g, "\\.")}$`),
      );
  });

  test("a client with the flow but no custom scopes gets no token", async () => {
    const bare = await createClient({ ExplicitAuthFlows: [CLIENT_TOKEN_AUTH] });
    await rejectsWith(
      server.client().send(new GetClientTokenCommand({ ClientId: bare.clientId, Secret: bare.secret })),
      "InvalidParameterException",
      400,
      /has no custom scopes/,
    );
  });

  test("a wrong secret, or another client's, is a NotAuthorizedException", async () => {
    const sdk = server.client();
    const other = await createClient({
      ExplicitAuthFlows: [CLIENT_TOKEN_AUTH],
      AllowedOAuthScopes: [READ],
    });
    for (const secret of ["a".repeat(52), other.secret])
      await rejectsWith(
        sdk.send(new GetClientTokenCommand({ ClientId: m2m.clientId, Secret: secret })),
        "NotAuthorizedException",
        400,
        new RegExp(`^Unable to verify secret for client ${m2m.clientId}$`),
      );
  });

  test("a client without ALLOW_CLIENT_TOKEN_AUTH is a NotAuthorizedException, even with its secret", async () => {
    const user = await createClient({ AllowedOAuthScopes: [READ] });
    await rejectsWith(
      server.client().send(new GetClientTokenCommand({ ClientId: user.clientId, Secret: user.secret })),
      "NotAuthorizedException",
      400,
      new RegExp(`^ALLOW_CLIENT_TOKEN_AUTH flow not enabled for client ${user.clientId}$`),
    );
  });

  test("an unknown client is a ResourceNotFoundException", async () => {
    await rejectsWith(
      server
        .client()
        .send(new GetClientTokenCommand({ ClientId: "nosuchclient0000000000000", Secret: m2m.secret })),
      "ResourceNotFoundException",
      400,
    );
  });

  test("a client token client signs no user in", async () => {
    await rejectsWith(
      server.client().send(
        new InitiateAuthCommand({
          ClientId: m2m.clientId,
          AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: "alice", PASSWORD: "Passw0rd!" },
        }),
      ),
      "InvalidParameterException",
      400,
      /USER_PASSWORD_AUTH flow not enabled for this client/,
    );
  });

  test("ALLOW_CLIENT_TOKEN_AUTH must be the only flow, and needs a client secret", async () => {
    const sdk = server.client();
    for (const flows of [
      [CLIENT_TOKEN_AUTH, "ALLOW_REFRESH_TOKEN_AUTH"],
      ["ALLOW_USER_SRP_AUTH", CLIENT_TOKEN_AUTH, "ALLOW_REFRESH_TOKEN_AUTH"],
      [CLIENT_TOKEN_AUTH, "USER_PASSWORD_AUTH"],
    ] satisfies ExplicitAuthFlowsType[][])
      await rejectsWith(
        createClient({ ExplicitAuthFlows: flows }),
        "InvalidParameterException",
        400,
        /^ALLOW_CLIENT_TOKEN_AUTH must be the only authentication flow of an app client; ExplicitAuthFlows also lists /,
      );
    await rejectsWith(
      sdk.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: "public",
          ExplicitAuthFlows: [CLIENT_TOKEN_AUTH],
        }),
      ),
      "InvalidParameterException",
      400,
      /^ALLOW_CLIENT_TOKEN_AUTH can only be activated in an app client that has a client secret\.$/,
    );
    // UpdateUserPoolClient holds to the same rules, and can turn a client into a client token one.
    const { UserPoolClient: publicClient } = await sdk.send(
      new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: "public" }),
    );
    await rejectsWith(
      sdk.send(
        new UpdateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientId: publicClient!.ClientId!,
          ExplicitAuthFlows: [CLIENT_TOKEN_AUTH],
        }),
      ),
      "InvalidParameterException",
      400,
      /has a client secret/,
    );
    const later = await createClient({ AllowedOAuthScopes: [READ] });
    await rejectsWith(
      sdk.send(
        new UpdateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientId: later.clientId,
          ExplicitAuthFlows: [CLIENT_TOKEN_AUTH, "ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
          AllowedOAuthScopes: [READ],
        }),
      ),
      "InvalidParameterException",
      400,
      /also lists ALLOW_USER_AUTH, ALLOW_REFRESH_TOKEN_AUTH\.$/,
    );
    const updated = await sdk.send(
      new UpdateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientId: later.clientId,
        ExplicitAuthFlows: [CLIENT_TOKEN_AUTH],
        AllowedOAuthScopes: [READ],
      }),
    );
    assert.deepEqual(updated.UserPoolClient?.ExplicitAuthFlows, [CLIENT_TOKEN_AUTH]);
    const token = await sdk.send(
      new GetClientTokenCommand({ ClientId: later.clientId, Secret: later.secret }),
    );
    assert.equal(claimsOf(token.ClientAuthenticationResult!.AccessToken!).scope, READ);
  });

  test("bad input gets AWS's validation errors", async () => {
    const send = (body: unknown) => rawRequest(server.url, "GetClientToken", JSON.stringify(body), {}, false);
    const missing = await send({});
    assert.equal(missing.status, 400);
    assert.equal(missing.json.__type, "InvalidParameterException");
    assert.equal(
      missing.json.message,
      "2 validation errors detected: Value null at 'clientId' failed to satisfy constraint: Member must not be null; Value null at 'secret' failed to satisfy constraint: Member must not be null",
    );
    const short = await send({ ClientId: m2m.clientId, Secret: "short" });
    assert.equal(short.status, 400);
    assert.equal(short.json.__type, "InvalidParameterException");
    assert.equal(
      short.json.message,
      "1 validation error detected: Value at 'secret' failed to satisfy constraint: Member must have length greater than or equal to 24",
    );
    for (const body of [
      { ClientId: 42, Secret: m2m.secret },
      { ClientId: m2m.clientId, Secret: m2m.secret, Scopes: READ },
      { ClientId: m2m.clientId, Secret: m2m.secret, Scopes: [7] },
      { ClientId: m2m.clientId, Secret: m2m.secret, ClientMetadata: ["purpose"] },
    ]) {
      const res = await send(body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.json.__type, "SerializationException", JSON.stringify(body));
    }
  });
});
