/**
 * Request-rate limits by Cognito quota category: off by default on loopback; over a limit the
 * request gets TooManyRequestsException as Cognito shapes it (400, "Rate exceeded"), which the AWS
 * SDK v3's standard retry strategy treats as throttling: it backs off and retries, and succeeds or
 * gives up after maxAttempts.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  ListUserPoolClientsCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { rawRequest, startServer, type TestServer } from "../../support/server.ts";

type Metadata = { $metadata: { attempts?: number; totalRetryDelay?: number; httpStatusCode?: number } };

function sdkClient(server: TestServer, maxAttempts: number): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    endpoint: server.url,
    region: "us-east-1",
    credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "test-secret" },
    maxAttempts,
  });
}

async function poolWithUser(server: TestServer): Promise<string> {
  const admin = server.client();
  const poolId = (await admin.send(new CreateUserPoolCommand({ PoolName: "limits" }))).UserPool!.Id!;
  await admin.send(
    new AdminCreateUserCommand({ UserPoolId: poolId, Username: "ann", MessageAction: "SUPPRESS" }),
  );
  return poolId;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("rate limits are off by default on a loopback address", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.stop());

  test("a burst far above Cognito's UserPoolRead quota is served", async () => {
    const admin = server.client();
    const poolId = (await admin.send(new CreateUserPoolCommand({ PoolName: "free" }))).UserPool!.Id!;
    const results = await Promise.all(
      Array.from({ length: 40 }, () => admin.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))),
    );
    assert.equal(results.length, 40);
  });
});

describe("rate limits set to explicit values", () => {
  let server: TestServer;
  let poolId: string;
  before(async () => {
    server = await startServer({ args: ["--memory", "--rate-limits", "UserRead=2"] });
    poolId = await poolWithUser(server);
  });
  after(() => server.stop());

  const getUser = (c: CognitoIdentityProviderClient) =>
    c.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "ann" }));

  test("over the limit: TooManyRequestsException, 400, Rate exceeded, as Cognito sends it", async () => {
    await sleep(1100);
    const once = sdkClient(server, 1);
    const started = Date.now();
    const settled = await Promise.allSettled(Array.from({ length: 8 }, () => getUser(once)));
    const refused = settled.filter((s) => s.status === "rejected");
    // The bucket's 2, and what it refilled (2 per second) while the burst was answered.
    const served = settled.length - refused.length;
    assert.ok(
      served >= 2 && served <= 3 + Math.floor(((Date.now() - started) * 2) / 1000),
      `served ${served}`,
    );
    assert.ok(refused.length >= 1);
    for (const r of refused) {
      const e = (r as PromiseRejectedResult).reason as Error & Metadata;
      assert.equal(e.name, "TooManyRequestsException");
      assert.equal(e.message, "Rate exceeded");
      assert.equal(e.$metadata.httpStatusCode, 400);
      assert.equal(e.$metadata.attempts, 1);
    }
    // On the wire: the status, __type, message and x-amzn-ErrorType clients read.
    const body = JSON.stringify({ UserPoolId: poolId, Username: "ann" });
    const raws = await Promise.all(
      Array.from({ length: 6 }, () => rawRequest(server.url, "AdminGetUser", body)),
    );
    const raw = raws.find((r) => r.status !== 200);
    assert.ok(raw, "a flood of raw requests is throttled too");
    assert.equal(raw.status, 400);
    assert.deepEqual(raw.json, { __type: "TooManyRequestsException", message: "Rate exceeded" });
    assert.equal(raw.headers.get("x-amzn-errortype"), "TooManyRequestsException");
    assert.ok(raw.headers.get("x-amzn-requestid"));
    once.destroy();
  });

  test("other categories keep their own (Cognito default) quota", async () => {
    const admin = server.client();
    for (let i = 0; i < 5; i++) await admin.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
  });

  test("the SDK's standard retry strategy backs off and retries until the request is served", async () => {
    await sleep(1100);
    const retrying = sdkClient(server, 8);
    const results = (await Promise.all(Array.from({ length: 6 }, () => getUser(retrying)))) as Metadata[];
    const retried = results.filter((r) => (r.$metadata.attempts ?? 1) > 1);
    assert.ok(retried.length >= 1, `retried: ${retried.length}`);
    // Full jitter: one retry's delay may round down to 0 ms, not all of them.
    assert.ok(retried.some((r) => (r.$metadata.totalRetryDelay ?? 0) > 0));
    retrying.destroy();
  });

  test("and gives up after maxAttempts, with the throttling error", async () => {
    await sleep(1100);
    const twice = sdkClient(server, 2);
    const settled = await Promise.allSettled(Array.from({ length: 16 }, () => getUser(twice)));
    const gaveUp = settled
      .filter((s) => s.status === "rejected")
      .map((s) => (s as PromiseRejectedResult).reason);
    assert.ok(gaveUp.length > 0);
    for (const e of gaveUp as (Error & Metadata)[]) {
      assert.equal(e.name, "TooManyRequestsException");
      assert.equal(e.$metadata.attempts, 2);
    }
    // The strategy's back-off is "full jitter" (a random delay up to its bound), so one retry's
    // delay may round down to 0 ms; together they show it waited.
    const delays = (gaveUp as (Error & Metadata)[]).map((e) => e.$metadata.totalRetryDelay ?? 0);
    assert.ok(
      delays.some((d) => d > 0),
      `retry delays ${delays.join(", ")} ms`,
    );
    twice.destroy();
  });
});

describe("rate limits at Cognito's defaults", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ args: ["--memory", "--rate-limits", "cognito"] });
  });
  after(() => server.stop());

  test("each UserPoolClientRead operation is held to 5 per second per pool", async () => {
    const admin = server.client();
    const poolId = (await admin.send(new CreateUserPoolCommand({ PoolName: "p" }))).UserPool!.Id!;
    const other = (await admin.send(new CreateUserPoolCommand({ PoolName: "q" }))).UserPool!.Id!;
    const clientId = (
      await admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: "a" }))
    ).UserPoolClient!.ClientId!;
    await sleep(1100);
    const settled = (n: number, send: () => Promise<unknown>) =>
      Array.from({ length: n }, () =>
        send().then(
          () => true,
          (e: Error) => (e.name === "TooManyRequestsException" ? false : Promise.reject(e)),
        ),
      );
    const [describes, lists, others] = await Promise.all([
      Promise.all(
        settled(8, () =>
          admin.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId })),
        ),
      ),
      // Another operation of the category, and the same operation on another pool, have their own 5.
      Promise.all(
        settled(3, () => admin.send(new ListUserPoolClientsCommand({ UserPoolId: poolId, MaxResults: 10 }))),
      ),
      Promise.all(
        settled(3, () => admin.send(new ListUserPoolClientsCommand({ UserPoolId: other, MaxResults: 10 }))),
      ),
    ]);
    const served = describes.filter(Boolean).length;
    assert.ok(served >= 5 && served <= 6, `served ${served} of 8`);
    assert.deepEqual([...lists, ...others], [true, true, true, true, true, true]);
  });
});
