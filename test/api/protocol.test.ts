import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  ListUserPoolsCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { OPERATIONS } from "../../src/generated/operations.ts";
import { OPERATION_TABLE } from "../../src/operations/table.ts";
import { rawRequest, startServer, type TestServer } from "../support/server.ts";

describe("AWS JSON 1.1 protocol", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.stop());

  test("GET /health answers ok", async () => {
    const res = await fetch(`${server.url}/health`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: "ok" });
  });

  test("every response carries x-amzn-RequestId, errors carry x-amzn-ErrorType", async () => {
    const ok = await rawRequest(server.url, "ListUserPools", JSON.stringify({ MaxResults: 5 }));
    assert.equal(ok.status, 200);
    assert.match(ok.headers.get("x-amzn-requestid") ?? "", /^[0-9a-f-]{36}$/);
    const bad = await rawRequest(
      server.url,
      "DescribeUserPool",
      JSON.stringify({ UserPoolId: "us-east-1_nothere00" }),
    );
    assert.equal(bad.status, 400);
    assert.equal(bad.headers.get("x-amzn-errortype"), "ResourceNotFoundException");
    assert.match(bad.headers.get("x-amzn-requestid") ?? "", /^[0-9a-f-]{36}$/);
    assert.equal(bad.json.__type, "ResourceNotFoundException");
    assert.equal(bad.json.message, "User pool us-east-1_nothere00 does not exist.");
  });

  test("malformed JSON is a SerializationException", async () => {
    const res = await rawRequest(server.url, "ListUserPools", "{not json");
    assert.equal(res.status, 400);
    assert.equal(res.json.__type, "SerializationException");
  });

  test("a JSON body that is not an object is a SerializationException", async () => {
    const res = await rawRequest(server.url, "ListUserPools", "[1,2]");
    assert.equal(res.status, 400);
    assert.equal(res.json.__type, "SerializationException");
  });

  test("a value of the wrong type is a SerializationException", async () => {
    const res = await rawRequest(server.url, "ListUserPools", JSON.stringify({ MaxResults: "ten" }));
    assert.equal(res.status, 400);
    assert.equal(res.json.__type, "SerializationException");
  });

  test("a missing or unknown X-Amz-Target is UnknownOperationException", async () => {
    const missing = await rawRequest(server.url, undefined, "{}");
    assert.equal(missing.status, 400);
    assert.equal(missing.json.__type, "UnknownOperationException");
    const unknown = await rawRequest(server.url, "MakeCoffee", "{}");
    assert.equal(unknown.status, 400);
    assert.equal(unknown.json.__type, "UnknownOperationException");
    assert.match(String(unknown.json.message), /MakeCoffee/);
  });

  test("a wrong content type is refused with a 4xx naming the expected one", async () => {
    const res = await rawRequest(server.url, "ListUserPools", JSON.stringify({ MaxResults: 5 }), {
      "content-type": "text/plain",
    });
    assert.equal(res.status, 415);
    assert.match(String(res.json.message), /application\/x-amz-json-1\.1/);
  });

  test("an oversized body is refused with 413", async () => {
    const res = await rawRequest(
      server.url,
      "ListUserPools",
      JSON.stringify({ pad: "x".repeat(2 * 1024 * 1024) }),
    );
    assert.equal(res.status, 413);
    assert.equal(res.json.__type, "RequestEntityTooLargeException");
  });

  test("a call answers alike in every shape: the usual one, a charset parameter, a chunked body", async () => {
    // The usual shape is answered in front of Fastify (src/http/fast-path.ts), the others by its route.
    const body = JSON.stringify({ UserPoolId: "us-east-1_nothere00" });
    const shapes: Array<{ name: string; headers?: Record<string, string>; chunked?: boolean }> = [
      { name: "usual" },
      { name: "charset", headers: { "content-type": "application/x-amz-json-1.1; charset=utf-8" } },
      { name: "chunked", chunked: true },
    ];
    const answers = [];
    for (const shape of shapes) {
      const res = await rawRequest(server.url, "DescribeUserPool", body, shape.headers, true, shape.chunked);
      answers.push({
        name: shape.name,
        status: res.status,
        names: [...res.headers.keys()].filter((n) => n !== "date").sort(),
        cors: res.headers.get("access-control-allow-origin"),
        exposed: res.headers.get("access-control-expose-headers"),
        type: res.headers.get("x-amzn-errortype"),
        id: /^[0-9a-f-]{36}$/.test(res.headers.get("x-amzn-requestid") ?? ""),
        json: res.json,
      });
    }
    const [usual, ...others] = answers;
    assert.equal(usual!.status, 400);
    assert.equal(usual!.cors, "*");
    assert.equal(usual!.type, "ResourceNotFoundException");
    assert.equal(usual!.id, true);
    for (const other of others) assert.deepEqual({ ...other, name: usual!.name }, usual, other.name);
  });

  // Any operation of the model that the table does not have yet (none, once all are built).
  const unbuilt = Object.keys(OPERATIONS).find((name) => !(name in OPERATION_TABLE));
  test("an operation not built yet answers a 4xx naming it", { skip: unbuilt === undefined }, async () => {
    const res = await rawRequest(server.url, unbuilt!, JSON.stringify({}));
    assert.equal(res.status, 400);
    assert.equal(res.json.__type, "UnsupportedOperationException");
    assert.match(String(res.json.message), new RegExp(unbuilt!));
  });

  test("validation errors read like AWS's and list every violation", async () => {
    const res = await rawRequest(server.url, "AdminGetUser", JSON.stringify({ UserPoolId: "bad pool id" }));
    assert.equal(res.status, 400);
    assert.equal(res.json.__type, "InvalidParameterException");
    assert.equal(
      res.json.message,
      "2 validation errors detected: Value 'bad pool id' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+; Value null at 'username' failed to satisfy constraint: Member must not be null",
    );
  });

  test("sensitive values are not echoed in validation errors", async () => {
    const res = await rawRequest(
      server.url,
      "AdminSetUserPassword",
      JSON.stringify({ UserPoolId: "us-east-1_abc", Username: "u", Password: "" }),
    );
    assert.equal(res.status, 400);
    assert.match(String(res.json.message), /Value at 'password' failed to satisfy constraint/);
  });

  test("range constraints are checked", async () => {
    const res = await rawRequest(server.url, "ListUserPools", JSON.stringify({ MaxResults: 61 }));
    assert.equal(res.status, 400);
    assert.equal(
      res.json.message,
      "1 validation error detected: Value '61' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 60",
    );
  });

  test("timestamps are epoch seconds and the SDK parses them as dates", async () => {
    const client = server.client();
    const before = Date.now();
    const { UserPool } = await client.send(new CreateUserPoolCommand({ PoolName: "times" }));
    assert.ok(UserPool?.CreationDate instanceof Date);
    assert.ok(Math.abs(UserPool.CreationDate.getTime() - before) < 60_000);
    const raw = await rawRequest(server.url, "DescribeUserPool", JSON.stringify({ UserPoolId: UserPool.Id }));
    const pool = raw.json.UserPool as { CreationDate: number };
    assert.equal(typeof pool.CreationDate, "number");
    assert.ok(pool.CreationDate < 1e11, "seconds, not milliseconds");
    const d = await client.send(new DescribeUserPoolCommand({ UserPoolId: UserPool.Id }));
    assert.equal(d.UserPool?.Id, UserPool.Id);
  });

  test("the region comes from the SigV4 credential scope", async () => {
    const west = server.client(undefined, "eu-west-1");
    const { UserPool } = await west.send(new CreateUserPoolCommand({ PoolName: "west" }));
    assert.match(UserPool?.Id ?? "", /^eu-west-1_[0-9A-Za-z]{9}$/);
    assert.match(UserPool?.Arn ?? "", /^arn:aws:cognito-idp:eu-west-1:\d{12}:userpool\/eu-west-1_/);
    const listed = await west.send(new ListUserPoolsCommand({ MaxResults: 60 }));
    assert.ok(listed.UserPools?.every((p) => p.Id?.startsWith("eu-west-1_")));
  });
});
