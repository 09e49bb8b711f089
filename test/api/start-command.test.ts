/**
 * The `lanyard` command (bin/lanyard.js) starts the server, and keeps Node's compile cache so that
 * later starts skip stripping and compiling the sources again.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "node:test";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

test("bin/lanyard.js listens, and leaves a compile cache for the next start", async () => {
  const cache = mkdtempSync(join(tmpdir(), "lanyard-compile-cache-"));
  // The cache goes to the user's cache directory (XDG_CACHE_HOME, else ~/.cache) unless told otherwise.
  const env = { ...process.env };
  delete env.NODE_COMPILE_CACHE;
  delete env.NODE_DISABLE_COMPILE_CACHE;
  try {
    const child = spawn(
      process.execPath,
      [join(root, "bin", "lanyard.js"), "--host", "127.0.0.1", "--port", "0", "--memory"],
      { cwd: root, env: { ...env, XDG_CACHE_HOME: cache }, stdio: ["ignore", "pipe", "pipe"] },
    );
    const url = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout!.on("data", (d: Buffer) => {
        out += d.toString();
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.once("exit", (code) => reject(new Error(`exited with ${code}`)));
    });
    const res = await fetch(`${url}/`, {
      method: "POST",
      headers: { "x-amz-target": "AWSCognitoIdentityProviderService.ListUserPools" },
      body: "{}",
    });
    assert.ok(res.status < 500, `answers requests (HTTP ${res.status})`);
    await res.body?.cancel();
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await exited;
    assert.ok(
      readdirSync(join(cache, "lanyard", "compile-cache")).length > 0,
      "the compile cache was written",
    );
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
});
