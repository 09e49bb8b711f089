/**
 * The published package: `npm pack` (which builds dist/), installed into an empty directory, then
 * `npx lanyard --memory` there: it starts, answers /health and an AWS CLI call, and says its
 * version. On the Node 24 of this checkout, and on Node 22 when LANYARD_TEST_NODE22 names a Node 22
 * binary (skipped, saying so, otherwise).
 */
import assert from "node:assert/strict";
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, test } from "node:test";
import { promisify } from "node:util";
import { root } from "../support/process.ts";

const run = promisify(execFile);
let work: string;
let app: string;

before(async () => {
  work = mkdtempSync(join(tmpdir(), "lanyard-pack-"));
  await run("npm", ["pack", "--pack-destination", work], { cwd: root, maxBuffer: 16 << 20 });
  const tarball = readdirSync(work).find((f) => f.endsWith(".tgz"));
  assert.ok(tarball, "npm pack wrote a tarball");
  app = join(work, "app");
  // An empty directory with nothing but the package installed in it.
  mkdirSync(app);
  writeFileSync(join(app, "package.json"), '{ "name": "app", "private": true }\n');
  await run("npm", ["install", "--no-audit", "--no-fund", "--omit=dev", join(work, tarball)], {
    cwd: app,
    maxBuffer: 16 << 20,
  });
});
after(() => rmSync(work, { recursive: true, force: true }));

test("the tarball holds the built JavaScript and nothing of the sources or tests", () => {
  const files = readdirSync(join(app, "node_modules", "lanyard"), { recursive: true }).map(String);
  assert.ok(files.includes(join("dist", "lanyard.js")));
  for (const f of files)
    assert.ok(!/^(src|test|bench|scripts|docs|model)([/\\]|$)/.test(f), `not packed: ${f}`);
  assert.ok(!files.some((f) => f.endsWith(".ts")), "no TypeScript in the package");
});

async function startPacked(
  nodeDir: string,
): Promise<{ child: ChildProcess; url: string; stderr: () => string }> {
  // `npx lanyard`, with the given Node first on PATH (npx runs the bin with the `node` it finds).
  const env = {
    ...process.env,
    PATH: `${nodeDir}:${process.env.PATH}`,
    NODE_COMPILE_CACHE: join(work, "cache"),
  };
  const child = spawn(
    "npx",
    [
      "--no-install",
      "lanyard",
      "--memory",
      "--host",
      "127.0.0.1",
      "--port",
      "0",
      "--password-hashing",
      "test",
    ],
    // Its own process group: SIGTERM goes to npx and to the server it started.
    { cwd: app, env, stdio: ["ignore", "pipe", "pipe"], detached: true },
  );
  let err = "";
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => {
      process.kill(-child.pid!, "SIGKILL");
      reject(new Error(`did not start: ${err}`));
    }, 30_000);
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}: ${err}`));
    });
  });
  return { child, url, stderr: () => err };
}

async function checkPacked(nodeDir: string, major: number): Promise<void> {
  const env = { ...process.env, PATH: `${nodeDir}:${process.env.PATH}` };
  const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };
  const v = await run("npx", ["--no-install", "lanyard", "--version"], { cwd: app, env });
  assert.equal(v.stdout, `lanyard ${version}\n`);
  const nodeVersion = await run(join(nodeDir, "node"), ["--version"]);
  assert.match(nodeVersion.stdout, new RegExp(`^v${major}\\.`));
  const server = await startPacked(nodeDir);
  try {
    const health = await fetch(`${server.url}/health`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: "ok" });
    const { stdout } = await run(
      "aws",
      [
        "cognito-idp",
        "create-user-pool",
        "--pool-name",
        "packed",
        "--endpoint-url",
        server.url,
        "--region",
        "us-east-1",
        "--output",
        "json",
      ],
      { env: { ...process.env, AWS_ACCESS_KEY_ID: "dummy", AWS_SECRET_ACCESS_KEY: "dummy", AWS_PAGER: "" } },
    );
    assert.match((JSON.parse(stdout) as { UserPool: { Id: string } }).UserPool.Id, /^us-east-1_/);
  } finally {
    // Every process of the group gone: the pipes close (the exit code of SIGTERM's drain is
    // checked in lifecycle.test.ts; here npx itself ends by the signal).
    const closed = new Promise<void>((r) => server.child.stdout!.once("close", () => r()));
    process.kill(-server.child.pid!, "SIGTERM");
    await closed;
  }
}

test("npx lanyard --memory runs from the installed package on Node 24", async () => {
  await checkPacked(dirname(process.execPath), 24);
});

const node22 = process.env.LANYARD_TEST_NODE22;
test(
  "npx lanyard --memory runs from the installed package on Node 22",
  { skip: node22 ? false : "skipped: set LANYARD_TEST_NODE22 to a Node 22 binary to run it" },
  async () => {
    await checkPacked(dirname(node22!), 22);
  },
);
