/**
 * The process's life: `lanyard --version`, and SIGTERM, which stops taking connections, lets the
 * requests in flight finish and then exits 0.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { join } from "node:path";
import { test } from "node:test";
import { root, spawnLanyard } from "../support/process.ts";

test("lanyard --version prints the package's version", () => {
  const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };
  const out = spawnSync(process.execPath, [join(root, "bin", "lanyard.js"), "--version"], {
    encoding: "utf8",
  });
  assert.equal(out.status, 0);
  assert.equal(out.stdout, `lanyard ${version}\n`);
});

function tryConnect(port: number): Promise<"connected" | "refused"> {
  return new Promise((resolve) => {
    const s = connect(port, "127.0.0.1");
    s.once("connect", () => {
      s.destroy();
      resolve("connected");
    });
    s.once("error", () => resolve("refused"));
  });
}

test("SIGTERM lets a request in flight finish, refuses new connections and exits 0", async () => {
  const server = await spawnLanyard({
    args: ["--memory", "--password-hashing", "test"],
    env: process.env,
  });
  const exited = new Promise<number | null>((r) => server.child.once("exit", (code) => r(code)));
  // A slow request: its headers and half its body are sent, the rest comes after SIGTERM.
  const body = JSON.stringify({ MaxResults: 10 });
  const socket: Socket = connect(server.port, "127.0.0.1");
  await new Promise<void>((r) => socket.once("connect", () => r()));
  let answer = "";
  socket.on("data", (d: Buffer) => (answer += d.toString()));
  const ended = new Promise<void>((r) => socket.once("close", () => r()));
  socket.write(
    "POST / HTTP/1.1\r\n" +
      `host: 127.0.0.1:${server.port}\r\n` +
      "content-type: application/x-amz-json-1.1\r\n" +
      "x-amz-target: AWSCognitoIdentityProviderService.ListUserPools\r\n" +
      `content-length: ${body.length}\r\n\r\n` +
      body.slice(0, 5),
  );
  await new Promise((r) => setTimeout(r, 200));
  server.child.kill("SIGTERM");
  // New connections are refused once the listener is closed, while the slow request is open.
  let state: "connected" | "refused" = "connected";
  for (let i = 0; i < 50 && state === "connected"; i++) {
    await new Promise((r) => setTimeout(r, 50));
    state = await tryConnect(server.port);
  }
  assert.equal(state, "refused", "new connections are refused after SIGTERM");
  assert.equal(server.child.exitCode, null, "the process waits for the request in flight");
  socket.write(body.slice(5));
  await ended;
  assert.match(answer, /^HTTP\/1\.1 (\d+)/);
  const status = Number(/^HTTP\/1\.1 (\d+)/.exec(answer)![1]);
  assert.ok(status < 500, `the request in flight is answered (HTTP ${status})`);
  assert.match(answer, /UserPools|__type/, "with its whole reply");
  assert.equal(await exited, 0);
});
