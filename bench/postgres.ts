/**
 * `npm run bench -- --postgres`: the same Lanyard workloads with Lanyard on PostgreSQL (a throwaway
 * cluster, durable settings, started by scripts/pg-cluster.ts), next to Lanyard on SQLite.
 */
import pg from "pg";
import { type PgCluster, startCluster } from "../scripts/pg-cluster.ts";
import type { LoadResult } from "./load.ts";
import {
  type Check,
  cells,
  cpuPerRequestRatio,
  find,
  int,
  type Measurement,
  NOISY_CPU,
  roundsOf,
  TARGET_SCALING,
} from "./report.ts";
import type { LanyardOnPostgres } from "./servers.ts";
import type { Workload } from "./workloads.ts";

export const TARGET_PG_GET_RPS = 3_000;

export interface BenchDatabase extends LanyardOnPostgres {
  cluster: PgCluster;
  /** VACUUM ANALYZE, as autovacuum would after a bulk load (hint bits, visibility map, statistics). */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

/** A throwaway cluster with one database for Lanyard. */
export async function startBenchDatabase(): Promise<BenchDatabase> {
  const cluster = await startCluster(undefined, { durable: true });
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  try {
    await admin.query("CREATE DATABASE lanyard");
  } finally {
    await admin.end();
  }
  const url = cluster.url.replace(/\/postgres$/, "/lanyard");
  return {
    cluster,
    url,
    pid: cluster.pid,
    async settle() {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        await c.query("VACUUM ANALYZE");
      } finally {
        await c.end();
      }
    },
    stop: () => cluster.stop(),
  };
}

const errorCount = (r: LoadResult) => r.requests - r.ok;

/** Lanyard on SQLite and on PostgreSQL, side by side. */
export function postgresTable(all: Measurement[], list: Workload[], sizes: number[]): string {
  const head = ["workload", "users", "req/s", "p50 ms", "p99 ms", "errors", "cpu% s/g/o"];
  head.push("req/s", "p50 ms", "p99 ms", "errors", "cpu% s/g/o", "PG/SQLite");
  const rows: string[][] = [];
  for (const w of list)
    for (const users of sizes) {
      const l = find(all, "lanyard", users, w.key);
      const p = find(all, "lanyard-pg", users, w.key);
      if (!p) continue;
      const ratio = l ? (p.result.rps / l.result.rps).toFixed(2) : "";
      rows.push([w.label, int(users), ...cells(l, undefined), ...cells(p, undefined), ratio]);
    }
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .map((c, i) => (i === 2 || i === 7 || i === 12 ? `| ${c}` : c))
      .join("  ");
  const sqliteWidth = widths.slice(2, 7).reduce((a, b) => a + b + 2, 0);
  const pgWidth = widths.slice(7, 12).reduce((a, b) => a + b + 2, 0);
  const title =
    " ".repeat(widths[0]! + widths[1]! + 4) +
    "| " +
    "Lanyard on SQLite".padEnd(sqliteWidth) +
    "| " +
    "Lanyard on PostgreSQL".padEnd(pgWidth) +
    "|";
  return [title, line(head), "-".repeat(line(head).length), ...rows.map(line)].join("\n");
}

export function postgresChecks(all: Measurement[], sizes: number[]): Check[] {
  const out: Check[] = [];
  const noisy = (...ms: Measurement[]) => {
    const worst = Math.max(0, ...ms.map((m) => m.otherCpu));
    return worst > NOISY_CPU ? ` [disturbed: other processes took up to ${int(worst)}% of a core]` : "";
  };
  for (const users of sizes) {
    const p = find(all, "lanyard-pg", users, "get");
    if (!p) continue;
    out.push({
      name: `Lanyard on PostgreSQL AdminGetUser >= ${int(TARGET_PG_GET_RPS)} req/s at ${int(users)} users`,
      status: p.result.rps >= TARGET_PG_GET_RPS ? "PASS" : "FAIL",
      detail: `${int(p.result.rps)} req/s${noisy(p)}`,
    });
  }
  const [small, big] = [sizes[0]!, sizes[sizes.length - 1]!];
  for (const key of ["get", "list-first", "list-later", "filter-exact", "filter-prefix", "sign-in"]) {
    const a = find(all, "lanyard-pg", small, key);
    const b = find(all, "lanyard-pg", big, key);
    if (!a || !b || small === big) continue;
    const latency = b.result.p50 / a.result.p50;
    const throughput = a.result.rps / b.result.rps;
    out.push({
      name: `Lanyard on PostgreSQL ${key} within ${TARGET_SCALING}x from ${int(small)} to ${int(big)} users`,
      status: latency <= TARGET_SCALING && throughput <= TARGET_SCALING ? "PASS" : "FAIL",
      detail: `p50 latency x${latency.toFixed(2)}, throughput /${throughput.toFixed(2)}, ${cpuPerRequestRatio(a, b)}${roundsOf(a, b)}${noisy(a, b)}`,
    });
  }
  const runs = all.filter((m) => m.server === "lanyard-pg");
  if (runs.length > 0) {
    const bad = runs.filter((m) => errorCount(m.result) > 0);
    out.push({
      name: "Lanyard on PostgreSQL: every answer 200 and as expected",
      status: bad.length === 0 ? "PASS" : "FAIL",
      detail:
        bad.length === 0
          ? `${int(runs.reduce((n, m) => n + m.result.requests, 0))} requests checked`
          : bad.map((m) => `${m.workload}@${m.users}: ${JSON.stringify(m.result.errors)}`).join("; "),
    });
  }
  return out;
}
