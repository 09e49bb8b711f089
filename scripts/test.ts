/**
 * The test runner behind `npm test`:
 *   1. every test on the embedded SQLite storage;
 *   2. the storage, API, flow and multi-instance suites again on PostgreSQL: on the server named by
 *      LANYARD_TEST_POSTGRES_URL, or else on a throwaway cluster started here (scripts/pg-cluster.ts)
 *      when PostgreSQL is installed. Without PostgreSQL it says so and runs SQLite only.
 * Prints node's own summary of each run, then one closing line for both; exits non-zero on any failure.
 *
 *   node scripts/test.ts [--sqlite-only | --postgres-only] [test files or globs...]
 */
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { findPostgresBin, type PgCluster, startCluster } from "./pg-cluster.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    "sqlite-only": { type: "boolean", default: false },
    "postgres-only": { type: "boolean", default: false },
  },
});

const ALL = ["test/**/*.test.ts"];
/** What runs again on PostgreSQL: everything that touches storage. */
const ON_POSTGRES = [
  "test/storage/**/*.test.ts",
  "test/api/**/*.test.ts",
  "test/flows/**/*.test.ts",
  "test/oauth/**/*.test.ts",
  "test/multi-instance/**/*.test.ts",
  "test/fuzz/**/*.test.ts",
];

interface Summary {
  label: string;
  code: number;
  pass: number;
  fail: number;
  skipped: number;
  cancelled: number;
  todo: number;
}

const out = (line: string) => process.stdout.write(`${line}\n`);
let running: ReturnType<typeof spawn> | undefined;

/** Runs node's test runner on `patterns`, streaming its output, and reads its closing summary. */
function runTests(label: string, patterns: string[], env: NodeJS.ProcessEnv): Promise<Summary> {
  out(`\n=== ${label}: node --test ${patterns.join(" ")}\n`);
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ["--test", "--test-concurrency=2", "--test-reporter=spec", ...patterns],
      { cwd: root, env, stdio: ["ignore", "pipe", "inherit"] },
    );
    running = child;
    const counts: Record<string, number> = {};
    let pending = "";
    child.stdout!.on("data", (d: Buffer) => {
      process.stdout.write(d);
      pending += d.toString();
      const lines = pending.split("\n");
      pending = lines.pop()!;
      for (const line of lines) {
        const m = /^ℹ (tests|pass|fail|skipped|cancelled|todo) (\d+)$/.exec(line.trim());
        if (m) counts[m[1]!] = Number(m[2]);
      }
    });
    child.on("close", (code, signal) => {
      running = undefined;
      resolve({
        label,
        code: code ?? (signal ? 1 : 0),
        pass: counts.pass ?? 0,
        fail: counts.fail ?? 0,
        skipped: counts.skipped ?? 0,
        cancelled: counts.cancelled ?? 0,
        todo: counts.todo ?? 0,
      });
    });
  });
}

function withoutPostgres(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  delete copy.LANYARD_TEST_POSTGRES_URL;
  return copy;
}

let cluster: PgCluster | undefined;
async function shutdown(signal: NodeJS.Signals): Promise<void> {
  running?.kill(signal);
  await cluster?.stop().catch(() => {});
  process.exit(130);
}
process.once("SIGINT", () => void shutdown("SIGINT"));
process.once("SIGTERM", () => void shutdown("SIGTERM"));

async function main(): Promise<number> {
  const summaries: Summary[] = [];
  const problems: string[] = [];
  const chosen = positionals.length > 0 ? positionals : undefined;

  if (!flags["postgres-only"])
    summaries.push(await runTests("SQLite", chosen ?? ALL, withoutPostgres(process.env)));

  if (!flags["sqlite-only"]) {
    let url = process.env.LANYARD_TEST_POSTGRES_URL;
    let note: string | undefined;
    if (!url) {
      const bin = findPostgresBin();
      if (!bin) {
        note =
          "PostgreSQL is not installed (no initdb/postgres under /usr/lib/postgresql/*/bin, pg_config --bindir or PATH): " +
          "the PostgreSQL runs are skipped. Install it (Debian: apt-get install postgresql) or set LANYARD_TEST_POSTGRES_URL.";
      } else {
        try {
          cluster = await startCluster(bin);
          url = cluster.url;
          out(`\nStarted a throwaway PostgreSQL ${cluster.version} cluster (${bin}) at ${url}`);
        } catch (e) {
          problems.push(`could not start PostgreSQL: ${(e as Error).message}`);
        }
      }
    } else {
      out(`\nPostgreSQL runs use LANYARD_TEST_POSTGRES_URL`);
    }
    if (note) out(`\n${note}`);
    if (url) {
      try {
        summaries.push(
          await runTests("PostgreSQL", chosen ?? ON_POSTGRES, {
            ...process.env,
            LANYARD_TEST_POSTGRES_URL: url,
          }),
        );
      } finally {
        await cluster?.stop();
        cluster = undefined;
      }
    }
  }

  out("");
  for (const s of summaries) {
    out(
      `${s.label}: ${s.pass} passed, ${s.fail} failed, ${s.skipped} skipped` +
        (s.cancelled ? `, ${s.cancelled} cancelled` : "") +
        (s.code !== 0 && s.fail === 0 ? ` (exit code ${s.code})` : ""),
    );
    if (s.code !== 0) problems.push(`the ${s.label} run failed`);
  }
  for (const p of problems) out(`problem: ${p}`);
  const total = (k: "pass" | "fail" | "skipped") => summaries.reduce((n, s) => n + s[k], 0);
  const failed = total("fail") + (problems.length > 0 && total("fail") === 0 ? 1 : 0);
  out(`total: ${total("pass")} passed, ${failed} failed, ${total("skipped")} skipped`);
  return problems.length > 0 ? 1 : 0;
}

process.exitCode = await main();
