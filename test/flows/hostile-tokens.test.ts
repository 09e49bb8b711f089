/** Tokens from nowhere: a token naming a pool that does not exist costs a lookup, never key work. */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { rawRequest, startServer, type TestServer } from "../support/server.ts";

describe("tokens that name no pool", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.stop());

  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const forged = (poolId: string) =>
    [
      b64({ alg: "RS256", kid: "forged" }),
      b64({ iss: `${server.url}/${poolId}`, token_use: "access", sub: "x", exp: 4_102_444_800 }),
      Buffer.alloc(256).toString("base64url"),
    ].join(".");

  test("200 tokens naming unknown pools are refused at once, and make no keys", async () => {
    const started = performance.now();
    const answers = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const poolId = `us-east-1_Nope${String(i).padStart(5, "0")}`;
        const res = await rawRequest(
          server.url,
          "GetUser",
          JSON.stringify({ AccessToken: forged(poolId) }),
          {},
          false,
        );
        return `${res.status} ${String(res.json.__type)}: ${String(res.json.message)}`;
      }),
    );
    const ms = performance.now() - started;
    assert.deepEqual(
      new Set(answers.map((a) => a.replace(/^\d+ /, ""))),
      new Set(["NotAuthorizedException: Invalid Access Token"]),
    );
    // Making two RSA-2048 keys per pool costs ~0.2 s of CPU each time: 200 of them would take
    // tens of seconds. Refusing 200 tokens takes a few milliseconds each.
    assert.ok(ms < 5000, `200 refusals took ${Math.round(ms)} ms`);
  });
});
