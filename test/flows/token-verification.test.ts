/**
 * Lanyard's tokens verify with aws-jwt-verify, the library AWS publishes for Cognito tokens:
 * the generic JwtVerifier with Lanyard's issuer and the pool's JWKS (handed over with cacheJwks,
 * since the library fetches keys over HTTPS only), plus its Cognito field checks.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  type CognitoIdentityProviderClient,
  CreateGroupCommand,
  AdminAddUserToGroupCommand,
  InitiateAuthCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { JwtVerifier } from "aws-jwt-verify";
import { validateCognitoJwtFields } from "aws-jwt-verify/cognito-verifier";
import {
  JwtInvalidAudienceError,
  JwtInvalidIssuerError,
  JwtInvalidSignatureError,
} from "aws-jwt-verify/error";
import type { Jwks } from "aws-jwt-verify/jwk";
import { confirmedUser, poolWithClient } from "../support/pools.ts";
import { startServer, type TestServer } from "../support/server.ts";

describe("token verification with aws-jwt-verify", () => {
  let server: TestServer;
  let admin: CognitoIdentityProviderClient;
  let poolId: string;
  let clientId: string;
  let idToken: string;
  let accessToken: string;
  let issuer: string;
  let jwks: Jwks;

  before(async () => {
    server = await startServer();
    admin = server.client();
    ({ poolId, clientId } = await poolWithClient(admin, {
      pool: { PoolName: "verify" },
      app: { ClientName: "api", ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] },
    }));
    await confirmedUser(admin, poolId, "vera", "Ver1fy-password!");
    await admin.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: "editors" }));
    await admin.send(
      new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: "vera", GroupName: "editors" }),
    );
    const auth = await server.client().send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "vera", PASSWORD: "Ver1fy-password!" },
      }),
    );
    idToken = auth.AuthenticationResult!.IdToken!;
    accessToken = auth.AuthenticationResult!.AccessToken!;
    issuer = `${server.url}/${poolId}`;
    const discovery = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as {
      jwks_uri: string;
    };
    jwks = (await (await fetch(discovery.jwks_uri)).json()) as Jwks;
  });
  after(() => server.stop());

  function verifier(audience: string | null, tokenUse: "id" | "access") {
    const v = JwtVerifier.create({
      issuer,
      audience,
      jwksUri: `${issuer}/.well-known/jwks.json`,
      customJwtCheck: ({ payload }) =>
        validateCognitoJwtFields(payload, { tokenUse, clientId, groups: "editors" }),
    });
    v.cacheJwks(jwks);
    return v;
  }

  test("the ID token verifies: signature, issuer, audience, token_use, groups", async () => {
    const payload = await verifier(clientId, "id").verify(idToken);
    assert.equal(payload["cognito:username"], "vera");
    assert.equal(payload.token_use, "id");
    assert.deepEqual(payload["cognito:groups"], ["editors"]);
    // Once cached, the keys serve synchronous verification too.
    assert.equal(verifier(clientId, "id").verifySync(idToken).sub, payload.sub);
  });

  test("the access token verifies (client_id instead of aud)", async () => {
    const payload = await verifier(null, "access").verify(accessToken);
    assert.equal(payload.client_id, clientId);
    assert.equal(payload.token_use, "access");
    assert.equal(payload.username, "vera");
  });

  test("a tampered token, another audience and another issuer are refused", async () => {
    const [header, body, signature] = idToken.split(".");
    const claims = JSON.parse(Buffer.from(body!, "base64url").toString()) as Record<string, unknown>;
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, "cognito:username": "mallory" })).toString("base64url")}.${signature}`;
    await assert.rejects(verifier(clientId, "id").verify(forged), JwtInvalidSignatureError);
    await assert.rejects(
      verifier("someotherclient0000000000a", "id").verify(idToken),
      JwtInvalidAudienceError,
    );
    const elsewhere = JwtVerifier.create({ issuer: `${server.url}/us-east-1_Other0000`, audience: clientId });
    elsewhere.cacheJwks(jwks);
    await assert.rejects(elsewhere.verify(idToken), JwtInvalidIssuerError);
  });
});
