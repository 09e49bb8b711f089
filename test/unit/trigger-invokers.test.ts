/**
 * The trigger invokers behind the `triggers` option: the module invoker's worker pool (async and
 * callback handlers, TypeScript and JavaScript files, a throw, a timeout, a crash, an endless loop
 * that stalls nothing else), the ARN patterns, and an ARN with no mapping. The HTTP and Lambda
 * invokers are tested through a server in test/api/triggers/.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { arnMatches, parseTriggers } from "../../src/config/triggers.ts";
import { ConfigError } from "../../src/config/types.ts";
import { ConfiguredTriggerInvokers } from "../../src/triggers/invokers.ts";

const fixtures = join(import.meta.dirname, "..", "fixtures", "triggers");
const arn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

const invokers = new ConfiguredTriggerInvokers(
  parseTriggers(
    {
      [arn("echo")]: { module: join(fixtures, "echo.ts") },
      [arn("callback")]: { module: join(fixtures, "callback.js") },
      [arn("throws")]: { module: join(fixtures, "throws.ts") },
      [arn("loops")]: { module: join(fixtures, "loops.ts") },
      [arn("garbage")]: { module: join(fixtures, "garbage.ts") },
      [arn("exits")]: { module: join(fixtures, "exits.ts") },
      [arn("missing-file")]: { module: join(fixtures, "no-such-file.ts") },
    },
    "triggers",
    true,
  ),
  2,
);
after(() => invokers.close());

const options = { timeoutMs: 5000, requestId: "r-1" };
const event = () => ({ triggerSource: "PreSignUp_SignUp", request: {}, response: {} });

describe("the module invoker", () => {
  test("an async TypeScript handler's answer comes back as JSON", async () => {
    const out = await invokers.invoke(arn("echo"), event(), options);
    assert.equal(out.kind, "ok");
    const result = (out as { result: { triggerSource: string; response: { functionName: string } } }).result;
    assert.equal(result.triggerSource, "PreSignUp_SignUp");
    assert.equal(result.response.functionName, "echo");
  });

  test("a callback handler in JavaScript", async () => {
    const out = await invokers.invoke(arn("callback"), event(), options);
    assert.deepEqual(out, { kind: "ok", result: { ...event(), response: { style: "callback" } } });
  });

  test("a thrown error is the function's failure, with its message", async () => {
    assert.deepEqual(await invokers.invoke(arn("throws"), event(), options), {
      kind: "error",
      message: "Email domain not allowed",
    });
  });

  test("a missing handler file fails the invocation", async () => {
    const out = await invokers.invoke(arn("missing-file"), event(), options);
    assert.equal(out.kind, "error");
  });

  test("an answer that is no event is passed on as it is (the domain refuses it)", async () => {
    assert.deepEqual(await invokers.invoke(arn("garbage"), event(), options), {
      kind: "ok",
      result: "not an event",
    });
  });

  test("a handler that crashes its worker fails only that invocation; the pool goes on", async () => {
    assert.deepEqual(await invokers.invoke(arn("exits"), event(), options), {
      kind: "error",
      message: "Runtime exited with error: exit status 3",
    });
    assert.equal((await invokers.invoke(arn("echo"), event(), options)).kind, "ok");
  });

  test("an endless loop times out and stalls no other invocation", async () => {
    const started = Date.now();
    const looping = invokers.invoke(arn("loops"), event(), { ...options, timeoutMs: 1500 });
    // The other worker answers many times while the loop spins.
    for (let i = 0; i < 20; i++)
      assert.equal((await invokers.invoke(arn("echo"), event(), options)).kind, "ok");
    assert.ok(Date.now() - started < 1500, "the echoes waited for the loop");
    assert.deepEqual(await looping, {
      kind: "failed",
      reason: "Socket timeout while invoking Lambda function",
    });
    assert.ok(Date.now() - started >= 1400);
    // Both workers serve again afterwards (the looping one was replaced).
    const again = await Promise.all([1, 2, 3, 4].map(() => invokers.invoke(arn("echo"), event(), options)));
    assert.ok(again.every((o) => o.kind === "ok"));
  });

  test("an ARN with no mapping is not invoked", async () => {
    assert.deepEqual(await invokers.invoke(arn("unmapped"), event(), options), {
      kind: "failed",
      reason: "ResourceNotFoundException",
    });
  });
});

describe("the triggers option", () => {
  test("ARN patterns: * is any text, the rest literal", () => {
    assert.ok(arnMatches("arn:aws:lambda:*:*:function:pre-*", arn("pre-sign-up")));
    assert.ok(arnMatches("*", arn("x")));
    assert.ok(!arnMatches("arn:aws:lambda:*:*:function:pre-*", arn("post")));
    assert.ok(!arnMatches(arn("a"), arn("ab")));
    assert.ok(arnMatches("a*b*c", "abc"));
    assert.ok(!arnMatches("ab*ba", "aba"));
  });

  test("the targets it takes, and what it refuses", () => {
    const parsed = parseTriggers(
      '{"a":{"url":"http://127.0.0.1:1/x"},"b":{"lambda":{"endpoint":"http://127.0.0.1:2","region":"eu-west-1","credentials":{"accessKeyId":"AK","secretAccessKey":"SK"}}}}',
      "LANYARD_TRIGGERS",
      false,
    );
    assert.deepEqual(parsed, [
      { pattern: "a", target: { url: "http://127.0.0.1:1/x" } },
      {
        pattern: "b",
        target: {
          lambda: {
            endpoint: "http://127.0.0.1:2",
            region: "eu-west-1",
            credentials: { accessKeyId: "AK", secretAccessKey: "SK" },
          },
        },
      },
    ]);
    // In the config file, module paths are relative to the file; in the environment, to the working directory.
    assert.deepEqual(parseTriggers({ a: { module: "h/x.ts" } }, "/etc/lanyard/c.json: triggers", true), [
      { pattern: "a", target: { module: "/etc/lanyard/h/x.ts" } },
    ]);
    assert.deepEqual(parseTriggers('{"a":{"module":"x.ts"}}', "LANYARD_TRIGGERS", false), [
      { pattern: "a", target: { module: join(process.cwd(), "x.ts") } },
    ]);
    assert.throws(() => parseTriggers({ a: { url: "ftp://x" } }, "triggers", true), ConfigError);
    assert.throws(
      () => parseTriggers({ a: { module: "x", url: "http://h" } }, "triggers", true),
      ConfigError,
    );
    assert.throws(() => parseTriggers({ a: { lambda: { port: 1 } } }, "triggers", true), ConfigError);
    assert.throws(() => parseTriggers([], "triggers", true), ConfigError);
    assert.throws(() => parseTriggers("{", "LANYARD_TRIGGERS", false), ConfigError);
  });
});
