/**
 * The server's own defences: access keys that are refused at start, test aids kept to loopback, the
 * Host check against DNS rebinding, the body limit answered readably, the request timeout and the
 * connection cap.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { InitiateAuthCommand, ListUserPoolsCommand } from "@aws-sdk/client-cognito-identity-provider";
import { Sha256 } from "@smithy/core/checksum";
import { SignatureV4 } from "@smithy/signature-v4";
import { startServer, type TestServer } from "../support/server.ts";

const work = mkdtempSync(join(tmpdir(), "lanyard-hardening-"));
after(() => rmSync(work, { recursive: true, force: true }));

const KEY = { accessKeyId: "AKIALANYARDHARDEN", secretAccessKey: "hardening-secret-0123456789" };
const KEY_ENV = { LANYARD_ACCESS_KEY_ID: KEY.accessKeyId, LANYARD_SECRET_ACCESS_KEY: KEY.secretAccessKey };

/** Runs `lanyard ARGS` to its end (for the refusals at start). */
function run(args: string[], env: Record<string, string> = {}): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, ["src/main.ts", "--memory", "--port", "0", ...args], {
    encoding: "utf8",
    timeout: 15_000,
    env: { ...process.env, ...env },
  });
  return { status: r.status, stderr: r.stderr };
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * A request with a Host header of our choosing (fetch would not send one). A body is streamed in
 * 64 KiB pieces, as an SDK uploads it; any error on the way (a reset or broken pipe while
 * sending) fails the request, even after an answer arrived.
 */
function send(
  url: string,
  options: {
    method?: string;
    path?: string;
    host?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
  },
): Promise<Answer> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    let answer: Answer | undefined;
    let failed: Error | undefined;
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        method: options.method ?? "GET",
        path: options.path ?? "/",
        headers: { host: options.host ?? u.host, ...options.headers },
        agent: false,
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => (text += d));
        res.on("end", () => (answer = { status: res.statusCode!, headers: res.headers, text }));
        res.on("error", (e) => (failed ??= e));
      },
    );
    req.on("error", (e) => (failed ??= e));
    req.on("close", () => {
      if (failed || !answer) reject(failed ?? new Error("no answer"));
      else resolve(answer);
    });
    req.setTimeout(10_000, () => req.destroy(new Error("no answer within 10 s")));
    void (async () => {
      const body = Buffer.from(options.body ?? "");
      for (let at = 0; at < body.length && !req.destroyed; at += 65_536) {
        if (!req.write(body.subarray(at, at + 65_536)))
          await new Promise((r) => {
            req.once("drain", r);
            req.once("close", r);
          });
      }
      if (!req.destroyed) req.end();
    })();
  });
}

/** A signed ListUserPools, signed for the Host header given. */
async function signedListPools(url: string, host: string): Promise<Answer> {
  const u = new URL(url);
  const body = JSON.stringify({ MaxResults: 1 });
  const signer = new SignatureV4({
    service: "cognito-idp",
    region: "us-east-1",
    credentials: KEY,
    sha256: Sha256,
  });
  const signed = await signer.sign({
    method: "POST",
    protocol: "http:",
    hostname: u.hostname,
    port: Number(u.port),
    path: "/",
    headers: {
      host,
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": "AWSCognitoIdentityProviderService.ListUserPools",
    },
    body,
  });
  return send(url, { method: "POST", host, headers: signed.headers, body });
}

describe("access keys are checked at start", () => {
  test("an empty secretAccessKey in the config file is refused, naming the key", () => {
    const file = join(work, "empty-secret.json");
    writeFileSync(file, JSON.stringify({ accessKeys: [{ accessKeyId: "AKIAEMPTY", secretAccessKey: "" }] }));
    const r = run(["--config", file]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /accessKeys\[0\]\.secretAccessKey of access key AKIAEMPTY is empty/);
  });

  test("a short secret is refused, in the file as in the environment", () => {
    const file = join(work, "short-secret.json");
    writeFileSync(
      file,
      JSON.stringify({
        accessKeys: [
          { accessKeyId: "AKIAGOOD", secretAccessKey: "a-long-enough-secret" },
          { accessKeyId: "AKIASHORT", secretAccessKey: "short" },
        ],
      }),
    );
    const fromFile = run(["--config", file]);
    assert.equal(fromFile.status, 2);
    assert.match(fromFile.stderr, /accessKeys\[1\]\.secretAccessKey of access key AKIASHORT is too short/);
    assert.match(fromFile.stderr, /at least 16 characters/);
    const fromEnv = run([], {
      LANYARD_ACCESS_KEY_ID: "AKIAENV",
      LANYARD_SECRET_ACCESS_KEY: "fifteen-chars!!",
    });
    assert.equal(fromEnv.status, 2);
    assert.match(fromEnv.stderr, /LANYARD_SECRET_ACCESS_KEY of access key AKIAENV is too short/);
  });

  test("an empty access key id is refused", () => {
    const file = join(work, "empty-id.json");
    writeFileSync(
      file,
      JSON.stringify({ accessKeys: [{ accessKeyId: "", secretAccessKey: "x".repeat(40) }] }),
    );
    const r = run(["--config", file]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /accessKeys\[0\]\.accessKeyId must be a non-empty access key id/);
  });
});

describe("test aids", () => {
  for (const aid of [
    ["--enable-reset"],
    ["--enable-test-clock"],
    ["--enable-test-federation"],
    ["--enable-mock-idp"],
    ["--delivery", "inbox"],
  ]) {
    test(`${aid.join(" ")} on a non-loopback address is refused without --insecure, even with keys`, () => {
      const r = run(["--host", "0.0.0.0", ...aid], KEY_ENV);
      assert.equal(r.status, 2, r.stderr);
      assert.match(
        r.stderr,
        new RegExp(
          `refusing to listen on 0\\.0\\.0\\.0 with ${aid.join(" ")}: test aids have no authentication`,
        ),
      );
    });
  }

  test("each aid that is on is announced with a warning, reset included", async () => {
    const server = await startServer({
      args: [
        "--memory",
        "--enable-reset",
        "--enable-test-clock",
        "--enable-test-federation",
        "--delivery",
        "inbox",
      ],
    });
    try {
      const warnings = server
        .logs()
        .split("\n")
        .filter((l) => l.includes("WARNING"));
      assert.equal(warnings.length, 4, server.logs());
      for (const route of [
        "/_lanyard/reset",
        "/_lanyard/inbox",
        "/_lanyard/clock",
        "/_lanyard/federated-sign-in",
      ])
        assert.ok(
          warnings.some((w) => w.includes(route)),
          route,
        );
    } finally {
      await server.stop();
    }
  });

  test("with keys configured, /_lanyard/* answers only a loopback Host", async () => {
    const server = await startServer({
      args: ["--memory", "--enable-reset", "--delivery", "inbox"],
      env: KEY_ENV,
    });
    try {
      const rebound = await send(server.url, {
        method: "POST",
        path: "/_lanyard/reset",
        host: `evil.example:${server.port}`,
      });
      assert.equal(rebound.status, 403);
      assert.equal(JSON.parse(rebound.text).__type, "UnrecognizedClientException");
      const inbox = await send(server.url, { path: "/_lanyard/inbox", host: "attacker.test" });
      assert.equal(inbox.status, 403);
      const local = await send(server.url, {
        method: "POST",
        path: "/_lanyard/reset",
        host: `localhost:${server.port}`,
      });
      assert.equal(local.status, 200);
      assert.deepEqual(JSON.parse(local.text), { reset: true });
      // Signed admin calls are not Host-checked when keys are configured: the signature covers the Host.
      const signed = await signedListPools(server.url, `lanyard.internal:${server.port}`);
      assert.equal(signed.status, 200, signed.text);
    } finally {
      await server.stop();
    }
  });
});

describe("Host check without access keys (DNS rebinding)", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ args: ["--memory", "--public-url", "http://lanyard.test:8080"] });
  });
  after(() => server.stop());

  test("a request whose Host is another name is refused with 403 UnrecognizedClientException", async () => {
    const res = await signedListPools(server.url, `rebind.attacker.example:${server.port}`);
    assert.equal(res.status, 403);
    assert.equal(res.headers["x-amzn-errortype"], "UnrecognizedClientException");
    const body = JSON.parse(res.text) as { __type: string; message: string };
    assert.equal(body.__type, "UnrecognizedClientException");
    assert.match(body.message, /Host header "rebind\.attacker\.example:\d+" is not accepted/);
    const health = await send(server.url, { path: "/health", host: "rebind.attacker.example" });
    assert.equal(health.status, 403);
  });

  test("localhost, 127.0.0.1, [::1] with any port and the public URL's host are accepted", async () => {
    for (const host of [
      `localhost:${server.port}`,
      "127.0.0.1",
      "[::1]:1234",
      "LOCALHOST",
      "lanyard.test:8080",
    ]) {
      const res = await signedListPools(server.url, host);
      assert.equal(res.status, 200, `${host}: ${res.text}`);
    }
  });

  test("the SDK against 127.0.0.1 works as before", async () => {
    const out = await server.client().send(new ListUserPoolsCommand({ MaxResults: 1 }));
    assert.ok(Array.isArray(out.UserPools));
  });
});

describe("request bodies and connections", { timeout: 60_000 }, () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({
      args: ["--memory"],
      env: {
        LANYARD_MAX_BODY_BYTES: "65536",
        LANYARD_REQUEST_TIMEOUT_MS: "1500",
        LANYARD_HEADERS_TIMEOUT_MS: "1000",
        LANYARD_MAX_CONNECTIONS: "8",
      },
    });
  });
  after(() => server.stop());

  const oversized = Buffer.alloc(8 * 1024 * 1024, "a");
  const headers = {
    "content-type": "application/x-amz-json-1.1",
    "x-amz-target": "AWSCognitoIdentityProviderService.InitiateAuth",
  };

  test("a body over the limit gets a 413 the client reads while still sending", async () => {
    const res = await send(server.url, {
      method: "POST",
      headers: { ...headers, "content-length": String(oversized.length) },
      body: oversized,
    });
    assert.equal(res.status, 413);
    assert.deepEqual(JSON.parse(res.text), {
      __type: "RequestEntityTooLargeException",
      message: "Request body larger than 65536 bytes.",
    });
  });

  test("the AWS SDK gets RequestEntityTooLargeException, not a broken pipe it would retry", async () => {
    const input = {
      AuthFlow: "USER_PASSWORD_AUTH" as const,
      ClientId: "x",
      ClientMetadata: { big: "a".repeat(8e6) },
    };
    await assert.rejects(server.client().send(new InitiateAuthCommand(input)), (e: Error) => {
      assert.equal(e.name, "RequestEntityTooLargeException");
      return true;
    });
  });

  test("so does a chunked body that grows over the limit", async () => {
    const res = await send(server.url, {
      method: "POST",
      headers: { ...headers, "transfer-encoding": "chunked" },
      body: oversized,
    });
    assert.equal(res.status, 413);
    assert.equal(JSON.parse(res.text).__type, "RequestEntityTooLargeException");
  });

  test("a connection that dribbles its body is cut after the request timeout", async () => {
    const socket = connect(server.port, "127.0.0.1");
    await new Promise((r) => socket.once("connect", r));
    socket.write(
      `POST / HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nContent-Type: application/x-amz-json-1.1\r\n` +
        "X-Amz-Target: AWSCognitoIdentityProviderService.InitiateAuth\r\nContent-Length: 60000\r\n\r\n",
    );
    const started = Date.now();
    let received = "";
    socket.on("data", (d: Buffer) => (received += d.toString()));
    const drip = setInterval(() => socket.writable && socket.write("a"), 100);
    try {
      const closed = await closedWithin(socket, 6000);
      assert.ok(closed, "the connection was still open after 6 s");
      const elapsed = Date.now() - started;
      assert.ok(elapsed >= 1000, `cut too early: ${elapsed} ms`);
      assert.match(received, /^HTTP\/1\.1 408 /);
    } finally {
      clearInterval(drip);
      socket.destroy();
    }
  });

  test("connections over the cap are closed at once; those under it are served", async () => {
    const idle: Socket[] = [];
    try {
      for (let i = 0; i < 8; i++) {
        const s = connect(server.port, "127.0.0.1");
        s.on("error", () => {});
        await new Promise((r) => s.once("connect", r));
        idle.push(s);
      }
      await new Promise((r) => setTimeout(r, 100));
      const extra = connect(server.port, "127.0.0.1");
      extra.on("error", () => {});
      assert.ok(await closedWithin(extra, 900), "a connection over the cap stayed open");
      extra.destroy();
      for (const s of idle) s.destroy();
      await new Promise((r) => setTimeout(r, 100));
      const res = await send(server.url, { path: "/health" });
      assert.equal(res.status, 200);
    } finally {
      for (const s of idle) s.destroy();
    }
  });
});

function closedWithin(socket: Socket, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (socket.destroyed) return resolve(true);
    const timer = setTimeout(() => resolve(false), ms);
    socket.on("error", () => {});
    socket.once("close", () => {
      clearTimeout(timer);
      resolve(true);
    });
    socket.resume();
  });
}
