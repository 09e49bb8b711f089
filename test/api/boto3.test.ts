import assert from "node:assert/strict";
import { execFile, spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { startServer, type TestServer } from "../support/server.ts";

const run = promisify(execFile);
const script = join(dirname(fileURLToPath(import.meta.url)), "boto3", "smoke.py");
const hasBoto3 = spawnSync("python3", ["-c", "import boto3"]).status === 0;

let server: TestServer;
before(async () => {
  server = await startServer();
});
after(() => server.stop());

test(
  "a boto3 scenario: pools, clients, users, groups, tags, admin sign-in",
  {
    skip: !hasBoto3 && "boto3 is not installed",
  },
  async () => {
    const { stdout } = await run("python3", [script, server.url], {
      env: { ...process.env, AWS_MAX_ATTEMPTS: "1" },
    });
    assert.match(stdout, /boto3 scenario ok/);
  },
);
