import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { CreateUserPoolCommand, ListUserPoolsCommand } from "@aws-sdk/client-cognito-identity-provider";
import { Sha256 } from "@smithy/core/checksum";
import { SignatureV4 } from "@smithy/signature-v4";
import { rawRequest, startServer, type TestServer } from "../support/server.ts";

const KEY = { accessKeyId: "AKIALANYARDTEST", secretAccessKey: "s3cret/with+chars" };
const OTHER = { accessKeyId: "AKIALANYARDOTHER", secretAccessKey: "another-secret" };

describe("SigV4 with configured credentials", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({
      args: ["--memory"],
      env: { LANYARD_ACCESS_KEY_ID: KEY.accessKeyId, LANYARD_SECRET_ACCESS_KEY: KEY.secretAccessKey },
    });
  });
  after(() => server.stop());

  test("a request signed with a configured key is accepted", async () => {
    const out = await server.client(KEY).send(new ListUserPoolsCommand({ MaxResults: 10 }));
    assert.ok(Array.isArray(out.UserPools));
  });

  test("a wrong secret is InvalidSignatureException", async () => {
    const client = server.client({ accessKeyId: KEY.accessKeyId, secretAccessKey: "wrong" });
    await assert.rejects(client.send(new ListUserPoolsCommand({ MaxResults: 10 })), (e: Error) => {
      assert.equal(e.name, "InvalidSignatureException");
      return true;
    });
  });

  test("an unknown key is UnrecognizedClientException", async () => {
    await assert.rejects(
      server.client(OTHER).send(new ListUserPoolsCommand({ MaxResults: 10 })),
      (e: Error) => {
        assert.equal(e.name, "UnrecognizedClientException");
        return true;
      },
    );
  });

  test("an unsigned admin request is refused", async () => {
    const res = await rawRequest(server.url, "ListUserPools", JSON.stringify({ MaxResults: 10 }), {}, false);
    assert.equal(res.status, 400);
    assert.equal(res.json.__type, "MissingAuthenticationTokenException");
  });

  test("a tampered body is refused", async () => {
    const client = server.client(KEY);
    client.middlewareStack.add(
      (next) => async (args) => {
        const req = args.request as { body?: string };
        req.body = JSON.stringify({ MaxResults: 11 });
        return next(args);
      },
      { step: "finalizeRequest", priority: "low", name: "tamper" },
    );
    await assert.rejects(client.send(new ListUserPoolsCommand({ MaxResults: 10 })), (e: Error) => {
      assert.equal(e.name, "InvalidSignatureException");
      return true;
    });
  });

  test("a request dated 20 minutes ago is refused", async () => {
    const client = server.client(KEY);
    client.config.systemClockOffset = -20 * 60 * 1000;
    await assert.rejects(client.send(new ListUserPoolsCommand({ MaxResults: 10 })), (e: Error) => {
      assert.equal(e.name, "InvalidSignatureException");
      assert.match(e.message, /Signature expired/);
      return true;
    });
  });

  test("a signature that leaves X-Amz-Target out cannot be replayed as another operation", async () => {
    const { UserPool } = await server.client(KEY).send(new CreateUserPoolCommand({ PoolName: "replay" }));
    const body = JSON.stringify({ UserPoolId: UserPool!.Id, Username: "alice" });
    const u = new URL(server.url);
    const signer = new SignatureV4({
      service: "cognito-idp",
      region: "us-east-1",
      credentials: KEY,
      sha256: Sha256,
    });
    const captured = await signer.sign(
      {
        method: "POST",
        protocol: "http:",
        hostname: u.hostname,
        port: Number(u.port),
        path: "/",
        headers: {
          host: u.host,
          "content-type": "application/x-amz-json-1.1",
          "x-amz-target": "AWSCognitoIdentityProviderService.AdminGetUser",
        },
        body,
      },
      { unsignableHeaders: new Set(["x-amz-target"]) },
    );
    assert.doesNotMatch(captured.headers.authorization!, /x-amz-target/);
    const headers = {
      ...captured.headers,
      "x-amz-target": "AWSCognitoIdentityProviderService.AdminDisableUser",
    };
    const res = await fetch(server.url, { method: "POST", headers, body });
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), {
      __type: "InvalidSignatureException",
      message: "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization.",
    });
  });

  test("unsigned operations need no signature", async () => {
    const res = await rawRequest(
      server.url,
      "InitiateAuth",
      JSON.stringify({ AuthFlow: "USER_PASSWORD_AUTH", ClientId: "x" }),
      {},
      false,
    );
    assert.notEqual(res.json.__type, "MissingAuthenticationTokenException");
  });
});

describe("listening without credentials", () => {
  test("a non-loopback address is refused without --insecure", async () => {
    const { spawnSync } = await import("node:child_process");
    const r = spawnSync(process.execPath, ["src/main.ts", "--memory", "--host", "0.0.0.0", "--port", "0"], {
      encoding: "utf8",
      timeout: 15_000,
    });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /refusing to listen on 0\.0\.0\.0 without access keys/);
  });

  test("on loopback it starts and says it accepts any signature", async () => {
    const server = await startServer();
    try {
      assert.match(server.logs(), /no access keys configured/);
      const out = await server
        .client({ accessKeyId: "anything", secretAccessKey: "anything" })
        .send(new ListUserPoolsCommand({ MaxResults: 1 }));
      assert.ok(out.UserPools);
    } finally {
      await server.stop();
    }
  });
});
