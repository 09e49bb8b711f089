/**
 * The SQLite data directory holds private signing keys, the server secret and password hashes:
 * it is created 0700 with files 0600 whatever the umask, and a directory or file that others can
 * read is refused at start. Always on SQLite (the servers here are started with `--data` directly).
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import {
  CognitoIdentityProviderClient,
  CreateUserPoolCommand,
} from "@aws-sdk/client-cognito-identity-provider";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const main = join(root, "src", "main.ts");
const work = mkdtempSync(join(tmpdir(), "lanyard-data-files-"));
after(() => rmSync(work, { recursive: true, force: true }));

/** `node src/main.ts ...` under `umask 022`, as a shell would start it. */
function command(args: string[]): string[] {
  const quoted = [process.execPath, main, "--host", "127.0.0.1", "--port", "0", ...args]
    .map((a) => `'${a.replaceAll("'", "'\\''")}'`)
    .join(" ");
  return ["-c", `umask 022 && exec ${quoted}`];
}

async function start(args: string[]): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn("/bin/sh", command(args), { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = "";
    child.stdout!.on("data", (d: Buffer) => {
      stdout += d.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
      if (m) resolve(m[1]!);
    });
    child.on("exit", (code) => reject(new Error(`server exited with ${code}: ${stderr}`)));
  });
  return { url, child };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await exited;
}

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

describe("data directory permissions", () => {
  const dir = join(work, "data");
  const db = join(dir, "lanyard.db");

  test("the directory is created 0700 and lanyard.db and -wal 0600 under umask 022, with no -shm file", async () => {
    const { url, child } = await start(["--data", dir]);
    try {
      const client = new CognitoIdentityProviderClient({
        endpoint: url,
        region: "us-east-1",
        credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "test-secret" },
        maxAttempts: 1,
      });
      await client.send(new CreateUserPoolCommand({ PoolName: "keys-on-disk" }));
      client.destroy();
      assert.equal(mode(dir), "700");
      for (const file of [db, `${db}-wal`]) assert.equal(mode(file), "600", file);
      // The connection holds the database's lock: the WAL index is in the process's memory.
      assert.equal(existsSync(`${db}-shm`), false);

      // While it runs, a second Lanyard on the same directory is refused, and so is an export.
      const second = spawnSync("/bin/sh", command(["--data", dir]), {
        cwd: root,
        encoding: "utf8",
        timeout: 30_000,
      });
      assert.equal(second.status, 2, second.stderr);
      assert.match(second.stderr, /the data directory .*data is in use by another Lanyard .*: stop it first/);
      const exported = spawnSync(process.execPath, [main, "export", "--data", dir], {
        cwd: root,
        encoding: "utf8",
        timeout: 30_000,
      });
      assert.notEqual(exported.status, 0);
      assert.match(exported.stderr, /is in use by another Lanyard/);
      assert.equal(exported.stdout, "");
    } finally {
      await stop(child);
    }
    // Once it has stopped, the directory is free again.
    const { child: again } = await start(["--data", dir]);
    await stop(again);
  });

  test("a data directory others can read is refused at start, exit code 2", () => {
    chmodSync(dir, 0o755);
    try {
      const r = spawnSync("/bin/sh", command(["--data", dir]), {
        cwd: root,
        encoding: "utf8",
        timeout: 15_000,
      });
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, /the data directory .*data has mode 0755: the group or others can read it/);
      assert.match(r.stderr, /chmod 700 /);
    } finally {
      chmodSync(dir, 0o700);
    }
  });

  test("a database file others can read is refused at start, exit code 2", () => {
    chmodSync(db, 0o644);
    try {
      const r = spawnSync("/bin/sh", command(["--data", dir]), {
        cwd: root,
        encoding: "utf8",
        timeout: 15_000,
      });
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, /the data file .*lanyard\.db has mode 0644/);
    } finally {
      chmodSync(db, 0o600);
    }
  });

  test("with the modes restored, the same data directory opens again", async () => {
    const { child } = await start(["--data", dir]);
    await stop(child);
  });
});
