/**
 * The operation fuzzer (`npm run fuzz`): requests generated from the service model for all
 * operations, valid and hostile, sent over HTTP to a Lanyard it starts (test/support/fuzz.ts). It
 * fails on any 5xx, any answer that is not JSON or an error without a `__type`, a server that died,
 * or one that no longer answers /health and a real sign-in afterwards.
 *
 *   node scripts/fuzz.ts [--runs N] [--seed S] [--path P] [--workers W] [--chunk C] [--postgres]
 *
 * --runs       requests to generate (default 200000)
 * --seed       the run's seed (default: random, printed); with --path, replays the one failing case
 *              a report printed
 * --workers    requests in flight at once (default 4)
 * --chunk      requests per fixture (fresh pool, client, users and tokens; default 1000)
 * --postgres   run the server on PostgreSQL: LANYARD_TEST_POSTGRES_URL, or a throwaway cluster
 * --save       append the failing cases to test/fuzz/regressions.json
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import {
  createFixture,
  describeFailure,
  fuzz,
  type FuzzReport,
  readRegressions,
  REGRESSIONS_FILE,
} from "../test/support/fuzz.ts";
import { startServer } from "../test/support/server.ts";
import { findPostgresBin, type PgCluster, startCluster } from "./pg-cluster.ts";

const { values: flags } = parseArgs({
  options: {
    runs: { type: "string", default: "200000" },
    seed: { type: "string" },
    path: { type: "string" },
    workers: { type: "string", default: "4" },
    chunk: { type: "string", default: "1000" },
    postgres: { type: "boolean", default: false },
    save: { type: "boolean", default: false },
  },
});

const int = (name: string, v: string | undefined): number => {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new Error(`--${name} must be an integer, not ${v}`);
  return n;
};

const out = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<number> {
  const runs = int("runs", flags.runs);
  const seed = flags.seed !== undefined ? int("seed", flags.seed) : (Math.random() * 2 ** 31) | 0;
  let cluster: PgCluster | undefined;
  if (flags.postgres && !process.env.LANYARD_TEST_POSTGRES_URL) {
    const bin = findPostgresBin();
    if (!bin)
      throw new Error("--postgres: PostgreSQL is not installed and LANYARD_TEST_POSTGRES_URL is not set");
    cluster = await startCluster(bin);
    process.env.LANYARD_TEST_POSTGRES_URL = cluster.url;
  }
  const server = await startServer({ args: ["--memory", "--delivery", "inbox"] });
  const sdk = server.client();
  const storage = process.env.LANYARD_TEST_POSTGRES_URL ? "PostgreSQL" : "SQLite";
  const started = performance.now();
  let printed = -1;
  const progress = (r: FuzzReport) => {
    printed = r.requests;
    const s = (performance.now() - started) / 1000;
    out(
      `${r.requests} requests in ${s.toFixed(0)} s (${(r.requests / s).toFixed(0)}/s), statuses ${JSON.stringify(r.statuses)}`,
    );
  };
  try {
    out(
      `fuzzing ${storage} at ${server.url}: ${flags.path ? `replaying seed ${seed} path ${flags.path}` : `${runs} requests, seed ${seed}`}`,
    );
    const report = await fuzz(server, sdk, {
      runs,
      seed,
      path: flags.path,
      workers: int("workers", flags.workers),
      chunk: int("chunk", flags.chunk),
      maxFailures: 10,
      onProgress: progress,
    });
    if (report.requests !== printed) progress(report);
    const types = Object.entries(report.types).sort((a, b) => b[1] - a[1]);
    out(`error types: ${types.map(([t, n]) => `${t} ${n}`).join(", ")}`);
    const ok = Object.entries(report.succeeded).sort((a, b) => a[1] - b[1]);
    out(
      `operations answering 200 at least once: ${ok.length}: ${ok.map(([op, n]) => `${op} ${n}`).join(", ")}`,
    );
    out(
      `slowest: ${report.slowest.map((x) => `${x.operation} ${x.ms} ms (${x.bytes} bytes, ${x.status})`).join(", ")}`,
    );
    const problems = report.failures.map(describeFailure);
    if (!report.crashed) {
      const health = await fetch(`${server.url}/health`).catch((e: Error) => e);
      if (health instanceof Error || health.status !== 200)
        problems.push(`/health does not answer 200 afterwards`);
      else
        await createFixture(sdk).catch((e: Error) =>
          problems.push(`a real sign-in fails afterwards: ${e.message}`),
        );
    }
    for (const p of problems) out(`\nFAILURE ${p}`);
    if (flags.save && report.failures.length > 0) {
      const all = [...readRegressions(), ...report.failures.map((f) => ({ name: f.problem, case: f.case }))];
      writeFileSync(REGRESSIONS_FILE, `${JSON.stringify(all, null, 2)}\n`);
      out(`\nadded ${report.failures.length} case(s) to ${REGRESSIONS_FILE}`);
    }
    out(`\nfuzz: ${report.requests - report.failures.length} passed, ${problems.length} failed`);
    return problems.length > 0 ? 1 : 0;
  } finally {
    await server.stop();
    await cluster?.stop();
  }
}

process.exitCode = await main();
