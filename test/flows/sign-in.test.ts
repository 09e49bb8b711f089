import assert from "node:assert/strict";
import { createHmac, X509Certificate } from "node:crypto";
import { after, before, describe, test } from "node:test";
import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  AdminSetUserPasswordCommand,
  type CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  GetSigningCertificateCommand,
  GetTokensFromRefreshTokenCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { rejectsWith } from "../support/assert.ts";
import { poolWithClient } from "../support/pools.ts";
import { startServer, type TestServer } from "../support/server.ts";

describe("sign-in through the AWS SDK", () => {
  let server: TestServer;
  let client: CognitoIdentityProviderClient;
  let poolId: string;
  let clientId: string;
  const password = "Sup3r-secret!";

  before(async () => {
    server = await startServer();
    client = server.client();
    ({ poolId, clientId } = await poolWithClient(client, {
      pool: {
        PoolName: "sign-in",
        AliasAttributes: ["email"],
        Schema: [{ Name: "team", AttributeDataType: "String" }],
      },
      app: {
        ExplicitAuthFlows: [
          "ALLOW_USER_PASSWORD_AUTH",
          "ALLOW_ADMIN_USER_PASSWORD_AUTH",
          "ALLOW_REFRESH_TOKEN_AUTH",
          "ALLOW_USER_SRP_AUTH",
        ],
      },
    }));
  });
  after(() => server.stop());

  async function confirmedUser(username: string, attrs: { Name: string; Value: string }[] = []) {
    await client.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: username,
        UserAttributes: attrs,
        MessageAction: "SUPPRESS",
      }),
    );
    await client.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: poolId,
        Username: username,
        Password: password,
        Permanent: true,
      }),
    );
  }

  test("a temporary password leads to NEW_PASSWORD_REQUIRED, then tokens", async () => {
    await client.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: "newbie",
        TemporaryPassword: "Temp0rary!pw",
        MessageAction: "SUPPRESS",
        UserAttributes: [{ Name: "email", Value: "newbie@example.com" }],
      }),
    );
    const first = await client.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "newbie", PASSWORD: "Temp0rary!pw" },
      }),
    );
    assert.equal(first.ChallengeName, "NEW_PASSWORD_REQUIRED");
    assert.ok(first.Session);
    assert.equal(first.ChallengeParameters?.USER_ID_FOR_SRP, "newbie");
    const done = await client.send(
      new AdminRespondToAuthChallengeCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        ChallengeName: "NEW_PASSWORD_REQUIRED",
        Session: first.Session,
        ChallengeResponses: { USERNAME: "newbie", NEW_PASSWORD: "Brand-n3w-pass" },
      }),
    );
    assert.ok(done.AuthenticationResult?.AccessToken);
    assert.ok(done.AuthenticationResult?.RefreshToken);
    assert.equal(done.AuthenticationResult?.TokenType, "Bearer");
    assert.equal(done.AuthenticationResult?.ExpiresIn, 3600);
    const user = await client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "newbie" }));
    assert.equal(user.UserStatus, "CONFIRMED");
    // The session was answered once.
    await rejectsWith(
      client.send(
        new AdminRespondToAuthChallengeCommand({
          UserPoolId: poolId,
          ClientId: clientId,
          ChallengeName: "NEW_PASSWORD_REQUIRED",
          Session: first.Session,
          ChallengeResponses: { USERNAME: "newbie", NEW_PASSWORD: "Brand-n3w-pass2" },
        }),
      ),
      "NotAuthorizedException",
      400,
      /session is expired/,
    );
  });

  test("USER_PASSWORD_AUTH issues Cognito-shaped tokens that verify against the JWKS", async () => {
    await confirmedUser("tokens", [
      { Name: "email", Value: "tokens@example.com" },
      { Name: "email_verified", Value: "true" },
      { Name: "custom:team", Value: "blue" },
      { Name: "address", Value: "1 Main Street" },
    ]);
    const out = await client.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "tokens", PASSWORD: password },
      }),
    );
    const r = out.AuthenticationResult!;
    const issuer = `${server.url}/${poolId}`;
    const jwks = createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`));
    const id = await jwtVerify(r.IdToken!, jwks, { issuer, audience: clientId });
    assert.equal(id.payload.token_use, "id");
    assert.equal(id.payload["cognito:username"], "tokens");
    assert.equal(id.payload.email, "tokens@example.com");
    assert.equal(id.payload.email_verified, true);
    assert.equal(id.payload["custom:team"], "blue");
    // The address claim is OpenID Connect's object, as in Cognito's ID tokens.
    assert.deepEqual(id.payload.address, { formatted: "1 Main Street" });
    for (const claim of ["sub", "auth_time", "exp", "iat", "jti", "origin_jti", "event_id"])
      assert.ok(id.payload[claim], claim);
    const access = await jwtVerify(r.AccessToken!, jwks, { issuer });
    assert.equal(access.payload.token_use, "access");
    assert.equal(access.payload.client_id, clientId);
    assert.equal(access.payload.username, "tokens");
    assert.equal(access.payload.scope, "aws.cognito.signin.user.admin");
    assert.equal(access.payload.origin_jti, id.payload.origin_jti);
    assert.notEqual(decodeProtectedHeader(r.IdToken!).kid, decodeProtectedHeader(r.AccessToken!).kid);
    const discovery = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as Record<
      string,
      string
    >;
    assert.equal(discovery.issuer, issuer);
    assert.equal(discovery.jwks_uri, `${issuer}/.well-known/jwks.json`);

    // Sign-in by a verified email alias.
    const byAlias = await client.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "tokens@example.com", PASSWORD: password },
      }),
    );
    assert.ok(byAlias.AuthenticationResult?.IdToken);

    // Refresh keeps the sign-in's origin and auth_time.
    const refreshed = await client.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "REFRESH_TOKEN_AUTH",
        AuthParameters: { REFRESH_TOKEN: r.RefreshToken! },
      }),
    );
    assert.equal(refreshed.AuthenticationResult?.RefreshToken, undefined);
    const again = await jwtVerify(refreshed.AuthenticationResult!.AccessToken!, jwks, { issuer });
    assert.equal(again.payload.origin_jti, access.payload.origin_jti);
    assert.equal(again.payload.auth_time, access.payload.auth_time);
    const viaGetTokens = await client.send(
      new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: r.RefreshToken! }),
    );
    assert.ok(viaGetTokens.AuthenticationResult?.IdToken);
    await rejectsWith(
      client.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: "REFRESH_TOKEN_AUTH",
          AuthParameters: { REFRESH_TOKEN: "nope" },
        }),
      ),
      "NotAuthorizedException",
      400,
      /Invalid Refresh Token/,
    );
  });

  test("wrong password, unknown, disabled and unconfirmed users get AWS's errors", async () => {
    await confirmedUser("errors");
    const attempt = (USERNAME: string, PASSWORD: string) =>
      client.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME, PASSWORD },
        }),
      );
    await rejectsWith(
      attempt("errors", "Wr0ng-password"),
      "NotAuthorizedException",
      400,
      /^Incorrect username or password\.$/,
    );
    await rejectsWith(attempt("ghost", password), "UserNotFoundException", 400, /User does not exist/);
    await client.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: "errors" }));
    await rejectsWith(attempt("errors", password), "NotAuthorizedException", 400, /User is disabled/);
    await client.send(new AdminEnableUserCommand({ UserPoolId: poolId, Username: "errors" }));
    assert.ok((await attempt("errors", password)).AuthenticationResult);
    await rejectsWith(
      client.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: "errors" },
        }),
      ),
      "InvalidParameterException",
      400,
      /Missing required parameter PASSWORD/,
    );
    await rejectsWith(
      client.send(
        new InitiateAuthCommand({
          ClientId: "nosuchclient0000000000000",
          AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: "x", PASSWORD: "y" },
        }),
      ),
      "ResourceNotFoundException",
      400,
    );
  });

  test("the client's ExplicitAuthFlows are enforced", async () => {
    const srpOnly = (
      await client.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: "srp-only",
          ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        }),
      )
    ).UserPoolClient!.ClientId!;
    await rejectsWith(
      client.send(
        new InitiateAuthCommand({
          ClientId: srpOnly,
          AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: "a", PASSWORD: "b" },
        }),
      ),
      "InvalidParameterException",
      400,
      /USER_PASSWORD_AUTH flow not enabled for this client/,
    );
  });

  test("clients with a secret need SECRET_HASH", async () => {
    const created = await client.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: "secret",
        GenerateSecret: true,
        ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      }),
    );
    const id = created.UserPoolClient!.ClientId!;
    const secret = created.UserPoolClient!.ClientSecret!;
    await confirmedUser("hashed");
    const hash = createHmac("sha256", secret).update(`hashed${id}`).digest("base64");
    await rejectsWith(
      client.send(
        new InitiateAuthCommand({
          ClientId: id,
          AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: "hashed", PASSWORD: password },
        }),
      ),
      "NotAuthorizedException",
      400,
      /configured for secret/,
    );
    await rejectsWith(
      client.send(
        new InitiateAuthCommand({
          ClientId: id,
          AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: "hashed", PASSWORD: password, SECRET_HASH: "AAAA" },
        }),
      ),
      "NotAuthorizedException",
      400,
      /Unable to verify secret hash/,
    );
    const ok = await client.send(
      new InitiateAuthCommand({
        ClientId: id,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "hashed", PASSWORD: password, SECRET_HASH: hash },
      }),
    );
    assert.ok(ok.AuthenticationResult?.RefreshToken);
    const refreshed = await client.send(
      new InitiateAuthCommand({
        ClientId: id,
        AuthFlow: "REFRESH_TOKEN_AUTH",
        AuthParameters: { REFRESH_TOKEN: ok.AuthenticationResult!.RefreshToken!, SECRET_HASH: hash },
      }),
    );
    assert.ok(refreshed.AuthenticationResult?.AccessToken);
    await rejectsWith(
      client.send(
        new GetTokensFromRefreshTokenCommand({
          ClientId: id,
          RefreshToken: ok.AuthenticationResult!.RefreshToken!,
          ClientSecret: "wrongwrongwrongwrongwrongwrong",
        }),
      ),
      "NotAuthorizedException",
      400,
    );
  });

  test("GetSigningCertificate returns an X.509 certificate of the pool's key", async () => {
    const { Certificate } = await client.send(new GetSigningCertificateCommand({ UserPoolId: poolId }));
    const cert = new X509Certificate(Buffer.from(Certificate!, "base64"));
    assert.match(cert.subject, new RegExp(poolId));
    assert.ok(cert.verify(cert.publicKey));
  });

  test("an unsupported challenge answer is refused", async () => {
    await rejectsWith(
      client.send(
        new RespondToAuthChallengeCommand({
          ClientId: clientId,
          ChallengeName: "NEW_PASSWORD_REQUIRED",
          ChallengeResponses: { USERNAME: "x", NEW_PASSWORD: "y" },
          Session: "bogus-session-value-that-is-long-enough",
        }),
      ),
      "NotAuthorizedException",
      400,
    );
  });
});
