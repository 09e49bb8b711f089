/**
 * The issuer modes: `--issuer aws` gives every token Cognito's own issuer
 * (`https://cognito-idp.<region>.amazonaws.com/<poolId>`), which aws-jwt-verify's CognitoJwtVerifier
 * accepts (with the JWKS fetched from Lanyard and handed over with cacheJwks); the default `self`
 * is `<publicUrl>/<poolId>`, which its generic JwtVerifier verifies fetching the JWKS itself over
 * HTTPS from a `--tls` server. Tokens verify (GetUser) only in the mode they were issued in; the
 * pool's OpenID configuration names the mode's issuer.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  type CognitoIdentityProviderClient,
  GetUserCommand,
  InitiateAuthCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { CognitoJwtVerifier, JwtVerifier } from "aws-jwt-verify";
import { SimpleFetcher } from "aws-jwt-verify/https";
import { type Jwks, SimpleJwksCache } from "aws-jwt-verify/jwk";
import { confirmedUser, poolWithClient } from "../../support/pools.ts";
import { root } from "../../support/process.ts";
import { startServer, type TestServer } from "../../support/server.ts";
import { getJson, startTlsServer, type TlsServer } from "../../support/tls.ts";

const work = mkdtempSync(join(tmpdir(), "lanyard-issuer-"));
after(() => rmSync(work, { recursive: true, force: true }));

const PASSWORD = "Issuer-passw0rd!";
const FLOWS = {
  ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH" as const, "ALLOW_REFRESH_TOKEN_AUTH" as const],
};

async function signIn(client: CognitoIdentityProviderClient, clientId: string, username: string) {
  const { AuthenticationResult } = await client.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: username, PASSWORD },
    }),
  );
  return { id: AuthenticationResult!.IdToken!, access: AuthenticationResult!.AccessToken! };
}

function claims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;
}

describe("--issuer aws", () => {
  let server: TestServer;
  let client: CognitoIdentityProviderClient;
  let poolId: string;
  let clientId: string;
  let tokens: { id: string; access: string };

  before(async () => {
    server = await startServer({ args: ["--memory", "--issuer", "aws"] });
    client = server.client();
    ({ poolId, clientId } = await poolWithClient(client, { app: FLOWS }));
    await confirmedUser(client, poolId, "ada", PASSWORD);
    tokens = await signIn(client, clientId, "ada");
  });
  after(() => server.stop());

  test("every token's iss is Cognito's issuer of the pool's region", () => {
    const issuer = `https://cognito-idp.us-east-1.amazonaws.com/${poolId}`;
    assert.equal(claims(tokens.id).iss, issuer);
    assert.equal(claims(tokens.access).iss, issuer);
  });

  test("the OpenID configuration names that issuer, and the JWKS where Lanyard serves it", async () => {
    const doc = (await (await fetch(`${server.url}/${poolId}/.well-known/openid-configuration`)).json()) as {
      issuer: string;
      jwks_uri: string;
    };
    assert.equal(doc.issuer, `https://cognito-idp.us-east-1.amazonaws.com/${poolId}`);
    assert.equal(doc.jwks_uri, `${server.url}/${poolId}/.well-known/jwks.json`);
  });

  test("CognitoJwtVerifier verifies the ID and access tokens with cacheJwks", async () => {
    const jwks = (await (await fetch(`${server.url}/${poolId}/.well-known/jwks.json`)).json()) as Jwks;
    const id = CognitoJwtVerifier.create({ userPoolId: poolId, tokenUse: "id", clientId });
    id.cacheJwks(jwks);
    const idPayload = await id.verify(tokens.id);
    assert.equal(idPayload["cognito:username"], "ada");
    const access = CognitoJwtVerifier.create({ userPoolId: poolId, tokenUse: "access", clientId });
    access.cacheJwks(jwks);
    const accessPayload = await access.verify(tokens.access);
    assert.equal(accessPayload.client_id, clientId);
  });

  test("GetUser accepts the token", async () => {
    const user = await client.send(new GetUserCommand({ AccessToken: tokens.access }));
    assert.equal(user.Username, "ada");
  });

  test("a pool of another region gets that region's issuer", async () => {
    const eu = server.client(undefined, "eu-west-1");
    const pool = await poolWithClient(eu, { app: FLOWS });
    assert.match(pool.poolId, /^eu-west-1_/);
    await confirmedUser(eu, pool.poolId, "bea", PASSWORD);
    const euTokens = await signIn(eu, pool.clientId, "bea");
    assert.equal(claims(euTokens.id).iss, `https://cognito-idp.eu-west-1.amazonaws.com/${pool.poolId}`);
    const jwks = (await (await fetch(`${server.url}/${pool.poolId}/.well-known/jwks.json`)).json()) as Jwks;
    const verifier = CognitoJwtVerifier.create({
      userPoolId: pool.poolId,
      tokenUse: "id",
      clientId: pool.clientId,
    });
    verifier.cacheJwks(jwks);
    await verifier.verify(euTokens.id);
    assert.equal((await eu.send(new GetUserCommand({ AccessToken: euTokens.access }))).Username, "bea");
  });
});

describe("--issuer aws --tls: Cognito's name pointed at Lanyard (a hosts entry)", () => {
  test("CognitoJwtVerifier fetches the JWKS from cognito-idp.<region>.amazonaws.com itself", async () => {
    const server = await startTlsServer(["--tls", "--memory", "--issuer", "aws"]);
    try {
      assert.match(server.stderr(), /HTTPS certificate for .*cognito-idp\.us-east-1\.amazonaws\.com/);
      const client = server.client();
      const { poolId, clientId } = await poolWithClient(client, { app: FLOWS });
      await confirmedUser(client, poolId, "eve", PASSWORD);
      const tokens = await signIn(client, clientId, "eve");
      // What a hosts entry does: the name resolves to 127.0.0.1 (and the port is Lanyard's).
      const lookup = (
        _host: string,
        options: { all?: boolean },
        done: (e: null, address: string | { address: string; family: number }[], family?: number) => void,
      ) => (options.all ? done(null, [{ address: "127.0.0.1", family: 4 }]) : done(null, "127.0.0.1", 4));
      const fetcher = new SimpleFetcher({
        defaultRequestOptions: { ca: server.ca, port: server.port, lookup },
      });
      const verifier = CognitoJwtVerifier.create(
        { userPoolId: poolId, tokenUse: "access", clientId },
        { jwksCache: new SimpleJwksCache({ fetcher }) },
      );
      const payload = await verifier.verify(tokens.access);
      assert.equal(payload.username, "eve");
    } finally {
      await server.stop();
    }
  });
});

describe("tokens verify only in the mode they were issued in", () => {
  const data = join(work, "switch");

  test("a self token is refused after a restart with --issuer aws, and an aws token after going back", async () => {
    let server = await startServer({ args: ["--data", data] });
    let client = server.client();
    const { poolId, clientId } = await poolWithClient(client, { app: FLOWS });
    await confirmedUser(client, poolId, "cy", PASSWORD);
    const self = await signIn(client, clientId, "cy");
    assert.equal(claims(self.access).iss, `${server.url}/${poolId}`);
    await server.stop();

    server = await startServer({ args: ["--data", data, "--issuer", "aws"] });
    client = server.client();
    try {
      await assert.rejects(client.send(new GetUserCommand({ AccessToken: self.access })), {
        name: "NotAuthorizedException",
        message: "Invalid Access Token",
      });
      const aws = await signIn(client, clientId, "cy");
      assert.equal((await client.send(new GetUserCommand({ AccessToken: aws.access }))).Username, "cy");
      await server.stop();

      server = await startServer({ args: ["--data", data] });
      client = server.client();
      await assert.rejects(client.send(new GetUserCommand({ AccessToken: aws.access })), {
        name: "NotAuthorizedException",
        message: "Invalid Access Token",
      });
    } finally {
      await server.stop();
    }
  });
});

describe("--issuer self over HTTPS (--tls)", () => {
  let server: TlsServer;
  let poolId: string;
  let clientId: string;
  let tokens: { id: string; access: string };
  let issuer: string;

  before(async () => {
    server = await startTlsServer(["--tls", "--memory"]);
    const client = server.client();
    ({ poolId, clientId } = await poolWithClient(client, { app: FLOWS }));
    await confirmedUser(client, poolId, "dee", PASSWORD);
    tokens = await signIn(client, clientId, "dee");
    issuer = `${server.url}/${poolId}`;
  });
  after(() => server.stop());

  test("the issuer is https://127.0.0.1:PORT/<poolId>, in the tokens and the OpenID configuration", async () => {
    assert.match(issuer, /^https:\/\/127\.0\.0\.1:\d+\/us-east-1_/);
    assert.equal(claims(tokens.id).iss, issuer);
    const doc = (await getJson(`${issuer}/.well-known/openid-configuration`, server.ca)) as {
      issuer: string;
    };
    assert.equal(doc.issuer, issuer);
  });

  test("JwtVerifier fetches the JWKS over HTTPS trusting the CA, and verifies", async () => {
    const verifier = JwtVerifier.create(
      { issuer, audience: clientId, jwksUri: `${issuer}/.well-known/jwks.json` },
      {
        jwksCache: new SimpleJwksCache({
          fetcher: new SimpleFetcher({ defaultRequestOptions: { ca: server.ca } }),
        }),
      },
    );
    const payload = await verifier.verify(tokens.id);
    assert.equal(payload["cognito:username"], "dee");
  });

  test("CognitoJwtVerifier refuses the self issuer: it is not Cognito's", async () => {
    const verifier = CognitoJwtVerifier.create({ userPoolId: poolId, tokenUse: "id", clientId });
    verifier.cacheJwks((await getJson(`${issuer}/.well-known/jwks.json`, server.ca)) as Jwks);
    await assert.rejects(verifier.verify(tokens.id), /issuer not configured: https:\/\/127\.0\.0\.1:/);
  });

  test("the documented recipe: JwtVerifier in a process started with NODE_EXTRA_CA_CERTS", async () => {
    const script = `
      import { JwtVerifier } from "aws-jwt-verify";
      const issuer = process.env.ISSUER;
      const verifier = JwtVerifier.create({ issuer, audience: process.env.CLIENT_ID, jwksUri: issuer + "/.well-known/jwks.json" });
      const payload = await verifier.verify(process.env.ID_TOKEN);
      console.log(payload["cognito:username"], payload.token_use);`;
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        ["--input-type=module", "-e", script],
        {
          cwd: root,
          env: {
            ...process.env,
            NODE_EXTRA_CA_CERTS: server.caPath!,
            ISSUER: issuer,
            CLIENT_ID: clientId,
            ID_TOKEN: tokens.id,
          },
        },
        (error, out, err) => (error ? reject(new Error(err)) : resolve(out)),
      ),
    );
    assert.equal(stdout.trim(), "dee id");
  });
});
