/**
 * The README's quick start, run as written against a fresh server: every fenced block marked
 * `sh quickstart` runs in bash and every `js quickstart` block runs in Node.js, in README order,
 * sharing the shell variables the blocks set, as in one terminal. The only change made to the
 * blocks is the server's address (`http://127.0.0.1:9229` becomes the test server's). The server
 * starts with the flags of the README's `npm start -- ...` line (the seed file), in memory. The
 * confirmation code a block needs (`$CODE`) is read from the server's standard output, where the
 * README tells the reader to read it.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { startServer, type TestServer } from "../support/server.ts";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const README_URL = "http://127.0.0.1:9229";

interface Block {
  lang: "sh" | "js";
  code: string;
  line: number;
}

/** The README's quick-start blocks, in order. */
function quickstartBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(sh|js) quickstart\s*$/.exec(lines[i]!);
    if (!open) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end] !== "```") end++;
    blocks.push({ lang: open[1] as "sh" | "js", code: lines.slice(start, end).join("\n"), line: start });
    i = end;
  }
  return blocks;
}

/** The flags of the quick start's `npm start -- ...` command. */
function startFlags(markdown: string): string[] {
  const m = /^npm ci && npm start -- (.+)$/m.exec(markdown);
  assert.ok(m, "the README's quick start lost its `npm ci && npm start -- ...` line");
  return m[1]!.trim().split(/\s+/);
}

describe("README quick start", () => {
  let server: TestServer;
  let dir: string;
  let stdout = "";

  before(async () => {
    const flags = startFlags(fs.readFileSync(path.join(ROOT, "README.md"), "utf8"));
    assert.deepEqual(flags, ["--seed", "examples/seed.yaml"]);
    server = await startServer({ args: ["--memory", ...flags.map((f) => (f.endsWith(".yaml") ? path.join(ROOT, f) : f))] });
    server.process.stdout!.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "lanyard-readme-"));
  });
  after(async () => {
    await server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function confirmationCode(): Promise<string> {
    for (let i = 0; i < 50; i++) {
      const m = /\[email to carol@example\.com\][^\n]*purpose=signup[^\n]*\n[^\n]*?(\d{6})/.exec(stdout);
      if (m) return m[1]!;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no confirmation code on the server's stdout:\n${stdout}`);
  }

  test("runs block by block, from the seeded pool to a verified token", async () => {
    const blocks = quickstartBlocks(fs.readFileSync(path.join(ROOT, "README.md"), "utf8"));
    assert.ok(blocks.filter((b) => b.lang === "sh").length >= 3, "the README lost its quick-start shell blocks");
    assert.ok(blocks.filter((b) => b.lang === "js").length >= 2, "the README lost its verification snippets");

    const state = path.join(dir, "state.sh");
    fs.writeFileSync(state, "");
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PATH: `${path.dirname(process.execPath)}:${process.env.PATH ?? ""}`,
      // Nothing from the developer's own AWS setup.
      AWS_CONFIG_FILE: path.join(dir, "aws-config"),
      AWS_SHARED_CREDENTIALS_FILE: path.join(dir, "aws-credentials"),
    };
    delete env.AWS_PROFILE;
    delete env.AWS_ENDPOINT_URL;

    const outputs: string[] = [];
    for (const block of blocks) {
      const code = block.code.replaceAll(README_URL, server.url);
      if (/\$CODE\b/.test(code)) fs.appendFileSync(state, `declare -x CODE="${await confirmationCode()}"\n`);
      const body =
        block.lang === "sh"
          ? code
          : // Run where the README says: in this checkout, so `jose` and `aws-jwt-verify` resolve.
            'node --input-type=module -e "$snippet"';
      // The snippet comes in README_SNIPPET, kept out of the saved shell state.
      const script = [
        "set -euo pipefail",
        'snippet="$README_SNIPPET"',
        "unset README_SNIPPET",
        "set -a",
        `source "${state}"`,
        body,
        `export -p > "${state}"`,
        "",
      ].join("\n");
      const run = spawnSync("bash", ["-c", script], {
        cwd: ROOT,
        env: { ...env, README_SNIPPET: block.lang === "js" ? code : "" },
        encoding: "utf8",
        timeout: 60_000,
      });
      assert.equal(
        run.status,
        0,
        `README.md line ${block.line} (${block.lang}) failed:\n${code}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`,
      );
      outputs.push(run.stdout);
    }

    const all = outputs.join("\n");
    // The seeded users, the sign-up, the new user's claims.
    assert.match(all, /alice@example\.com\s+bob@example\.com|bob@example\.com\s+alice@example\.com/);
    assert.match(all, /"UserConfirmed": false/);
    assert.match(all, /email: 'carol@example\.com'/);
    assert.match(all, /given_name: 'Carol'/);
    const pool = /declare -x POOL_ID="([^"]+)"/.exec(fs.readFileSync(state, "utf8"))?.[1];
    assert.equal(pool, "us-east-1_Example01");
    assert.ok(all.includes(`"issuer":"${server.url}/${pool}"`), "the discovery document was not printed");
    assert.match(all, /"keys":\[\{/);
    // The M2M client's token carries its custom scope.
    const m2m = /\{"access_token":"([^"]+)"[^}]*"token_type":"Bearer"[^}]*\}/.exec(all);
    assert.ok(m2m, "no client-credentials token was printed");
    const claims = JSON.parse(Buffer.from(m2m[1]!.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;
    assert.equal(claims.scope, "https://api.example.com/orders.read");
    assert.equal(claims.client_id, "examplem2mclient0000000001");
    assert.match(all, /^verified with jose: carol@example\.com Carol$/m);
    assert.match(all, /^verified with aws-jwt-verify: carol@example\.com id$/m);
  });
});
