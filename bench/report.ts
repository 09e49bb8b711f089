/** The printed table, the PASS/FAIL checks, and the JSON written to bench/results/latest.json. */
import type { LoadResult } from "./load.ts";
import type { Workload } from "./workloads.ts";

/** "lanyard-pg": Lanyard on PostgreSQL (npm run bench -- --postgres). */
export type ServerName = "lanyard" | "moto" | "lanyard-pg";

export interface Measurement {
  server: ServerName;
  users: number;
  workload: string;
  /** Extra detail (which pages, how many requests). */
  note?: string;
  result: LoadResult;
  /** CPU used by the server process meanwhile, in % of one core. */
  serverCpu: number;
  /** CPU used meanwhile by everything else on the machine, in % of one core. */
  otherCpu: number;
  /** How many times it was measured (other processes disturbing it); the least disturbed run is kept. */
  attempts?: number;
  /** Bytes the whole machine read from its disks during the measured run. */
  diskReadBytes?: number;
  /** req/s of each round, when it was measured in rounds (bench/run.ts, `rounds`); this is the median one. */
  rounds?: number[];
}

export interface Skip {
  server: ServerName;
  users: number;
  reason: string;
}

export interface Check {
  name: string;
  status: "PASS" | "FAIL" | "SKIP";
  detail: string;
}

/** Issue 11's figure for AdminGetUser in the standard bench on the 2-core machine. */
export const TARGET_GET_RPS = 9_000;
export const TARGET_VS_MOTO = 10;
export const TARGET_SCALING = 1.5;
/** Above this much CPU (% of one core) used by other processes, a measurement is marked "!". */
export const NOISY_CPU = 25;

export const int = (n: number) => Math.round(n).toLocaleString("en-US");
const ms = (n: number) =>
  Number.isNaN(n) ? "-" : n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : n.toFixed(0);
const errorCount = (r: LoadResult) => r.requests - r.ok;

/**
 * How much more server CPU one request took at `b` than at `a`: less disturbed than latency and
 * throughput by other processes sharing the machine.
 */
export function cpuPerRequestRatio(a: Measurement, b: Measurement): string {
  const per = (m: Measurement) => m.serverCpu / m.result.rps;
  return `server CPU per request x${(per(b) / per(a)).toFixed(2)}`;
}

export function find(
  all: Measurement[],
  server: ServerName,
  users: number,
  workload: string,
): Measurement | undefined {
  return all.find((m) => m.server === server && m.users === users && m.workload === workload);
}

/**
 * One measurement per server, size and workload out of several rounds of each: the median round by
 * req/s, with every round's req/s in `rounds`. A wrong answer in any round still fails the benchmark.
 */
export function medianOfRounds(all: Measurement[]): Measurement[] {
  const groups = new Map<string, Measurement[]>();
  for (const m of all) {
    const key = `${m.server} ${m.users} ${m.workload}`;
    const group = groups.get(key);
    if (group) group.push(m);
    else groups.set(key, [m]);
  }
  return [...groups.values()].map((group) => {
    if (group.length === 1) return group[0]!;
    const sorted = [...group].sort((a, b) => a.result.rps - b.result.rps);
    const kept = sorted[Math.floor((sorted.length - 1) / 2)]!;
    const median: Measurement = {
      ...kept,
      result: { ...kept.result, errors: { ...kept.result.errors }, examples: [...kept.result.examples] },
      rounds: group.map((m) => m.result.rps),
    };
    takeFailures(
      median,
      group.filter((m) => m !== kept),
      "another round",
    );
    return median;
  });
}

/**
 * Counts the wrong answers of runs not shown (`others`) in the one shown, each kind named after
 * `label`, so that a wrong answer in any run still fails the benchmark.
 */
export function takeFailures(shown: Measurement, others: readonly Measurement[], label: string): void {
  for (const other of others) {
    for (const [kind, n] of Object.entries(other.result.errors))
      shown.result.errors[`${label}: ${kind}`] = (shown.result.errors[`${label}: ${kind}`] ?? 0) + n;
    shown.result.requests += other.result.requests - other.result.ok;
    shown.result.examples.push(...other.result.examples);
  }
}

export function cells(m: Measurement | undefined, skip: Skip | undefined): string[] {
  if (!m) return [skip ? "skipped" : "-", "", "", "", ""];
  const r = m.result;
  const noisy = m.otherCpu > NOISY_CPU ? "!" : "";
  return [
    int(r.rps),
    ms(r.p50),
    ms(r.p99),
    int(errorCount(r)),
    `${int(m.serverCpu)}/${int(r.loadCpu)}/${int(m.otherCpu)}${noisy}`,
  ];
}

export function table(all: Measurement[], skips: Skip[], list: Workload[], sizes: number[]): string {
  const head = [
    "workload",
    "users",
    "req/s",
    "p50 ms",
    "p99 ms",
    "errors",
    "cpu% s/g/o",
    "req/s",
    "p50 ms",
    "p99 ms",
  ];
  head.push("errors", "cpu% s/g/o", "req/s x");
  const rows: string[][] = [];
  for (const w of list) {
    for (const users of sizes) {
      const l = find(all, "lanyard", users, w.key);
      const m = find(all, "moto", users, w.key);
      if (!l && !m) continue;
      const skip = skips.find((s) => s.server === "moto" && s.users === users);
      const label = w.key === "list-later" && l?.note ? `${w.label} (${l.note})` : w.label;
      const ratio = l && m ? `${(l.result.rps / m.result.rps).toFixed(1)}` : "";
      rows.push([label, int(users), ...cells(l, undefined), ...cells(m, skip), ratio]);
    }
  }
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .map((c, i) => (i === 2 || i === 7 || i === 12 ? `| ${c}` : c))
      .join("  ");
  const lanyardWidth = widths.slice(2, 7).reduce((a, b) => a + b + 2, 0);
  const motoWidth = widths.slice(7, 12).reduce((a, b) => a + b + 2, 0);
  const title =
    " ".repeat(widths[0] + widths[1] + 4) +
    "| " +
    "Lanyard".padEnd(lanyardWidth) +
    "| " +
    "moto_server".padEnd(motoWidth) +
    "| Lanyard/moto";
  const rule = "-".repeat(line(head).length);
  return [title, line(head), rule, ...rows.map(line)].join("\n");
}

/** " [disturbed: ...]" when other processes took more than NOISY_CPU during any of these runs. */
function disturbed(...runs: (Measurement | undefined)[]): string {
  const worst = Math.max(0, ...runs.map((m) => m?.otherCpu ?? 0));
  return worst > NOISY_CPU ? ` [disturbed: other processes took up to ${int(worst)}% of a core]` : "";
}

/** " (medians of rounds: 1,2,3 and 4,5,6 req/s)" when the figures are medians of several rounds. */
export function roundsOf(a: Measurement, b: Measurement): string {
  if (!a.rounds || !b.rounds || a.rounds.length < 2) return "";
  const list = (m: Measurement) => m.rounds!.map(int).join(", ");
  return ` (medians of ${a.rounds.length} rounds: ${list(a)} and ${list(b)} req/s)`;
}

/**
 * The checks of the user-management workloads. `rates`: AdminGetUser's own figures (its rate, and
 * its ratio to moto_server), which are the standard bench's targets and not --million's.
 */
export function checks(
  all: Measurement[],
  skips: Skip[],
  sizes: number[],
  motoEnabled: boolean,
  rates = true,
): Check[] {
  const out: Check[] = [];
  for (const users of rates ? sizes : []) {
    const l = find(all, "lanyard", users, "get");
    if (!l) continue;
    const rps = l.result.rps;
    out.push({
      name: `Lanyard AdminGetUser >= ${int(TARGET_GET_RPS)} req/s at ${int(users)} users`,
      status: rps >= TARGET_GET_RPS ? "PASS" : "FAIL",
      detail: `${int(rps)} req/s${l.rounds ? ` (median of ${l.rounds.length} runs: ${l.rounds.map(int).join(", ")})` : ""}${disturbed(l)}`,
    });
    const m = find(all, "moto", users, "get");
    const skip = skips.find((s) => s.server === "moto" && s.users === users);
    out.push({
      name: `Lanyard AdminGetUser >= ${TARGET_VS_MOTO}x moto_server at ${int(users)} users`,
      status: m ? (rps >= TARGET_VS_MOTO * m.result.rps ? "PASS" : "FAIL") : "SKIP",
      detail: m
        ? `${(rps / m.result.rps).toFixed(1)}x (${int(rps)} vs ${int(m.result.rps)} req/s)${disturbed(l, m)}`
        : motoEnabled
          ? (skip?.reason ?? "moto not measured")
          : "--no-moto",
    });
  }
  const [small, big] = [sizes[0], sizes[sizes.length - 1]];
  for (const key of ["get", "list-first", "list-later", "filter-exact", "filter-prefix", "sign-in"]) {
    const a = find(all, "lanyard", small, key);
    const b = find(all, "lanyard", big, key);
    if (!a || !b || small === big) continue;
    const latency = b.result.p50 / a.result.p50;
    const throughput = a.result.rps / b.result.rps;
    const ok = latency <= TARGET_SCALING && throughput <= TARGET_SCALING;
    out.push({
      name: `Lanyard ${key} within ${TARGET_SCALING}x from ${int(small)} to ${int(big)} users`,
      status: ok ? "PASS" : "FAIL",
      detail: `p50 latency x${latency.toFixed(2)}, throughput /${throughput.toFixed(2)}, ${cpuPerRequestRatio(a, b)}${roundsOf(a, b)}${disturbed(a, b)}`,
    });
  }
  for (const server of ["lanyard", "moto"] as const) {
    const runs = all.filter((m) => m.server === server);
    if (runs.length === 0) continue;
    const bad = runs.filter((m) => errorCount(m.result) > 0);
    out.push({
      name: `${server === "lanyard" ? "Lanyard" : "moto_server"}: every answer 200 and as expected`,
      status: bad.length === 0 ? "PASS" : "FAIL",
      detail:
        bad.length === 0
          ? `${int(runs.reduce((n, m) => n + m.result.requests, 0))} requests checked`
          : bad.map((m) => `${m.workload}@${m.users}: ${JSON.stringify(m.result.errors)}`).join("; "),
    });
  }
  return out;
}

export function formatChecks(list: Check[]): string {
  return list.map((c) => `${c.status.padEnd(4)}  ${c.name}: ${c.detail}`).join("\n");
}
