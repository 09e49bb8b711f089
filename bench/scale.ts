/**
 * What a pool's size does to the server beside its request figures (`npm run bench -- --million`):
 * the time from process start to "listening" on the seeded data, and the database size per user.
 */
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { type Check, int, type ServerName } from "./report.ts";

export interface ScalePoint {
  server: ServerName;
  users: number;
  /** Spawn to the "listening" line, each start (ms). */
  startupMs: number[];
  /** The whole database (SQLite: lanyard.db with -wal and -shm; PostgreSQL: every table with its indexes and TOAST). */
  bytes: number;
  /** The users table alone, with its indexes (PostgreSQL only: SQLite keeps one file). */
  userBytes?: number;
}

export const TARGET_STARTUP_MS = 1_000;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Bytes of a SQLite data dir's database: lanyard.db, lanyard.db-wal, lanyard.db-shm. */
export function sqliteBytes(dataDir: string): number {
  let total = 0;
  for (const f of readdirSync(dataDir))
    if (f.startsWith("lanyard.db")) total += statSync(join(dataDir, f)).size;
  return total;
}

/** Bytes of the tables (with indexes and TOAST) of the database's current schema, and of users alone. */
export async function postgresBytes(url: string): Promise<{ bytes: number; userBytes: number }> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query<{ total: string; users: string }>(
      `SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) AS total,
              pg_total_relation_size(to_regclass('users')) AS users
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'r' AND n.nspname = current_schema()`,
    );
    return { bytes: Number(rows[0]!.total), userBytes: Number(rows[0]!.users) };
  } finally {
    await c.end();
  }
}

export function scaleTable(points: ScalePoint[]): string {
  const lines = [
    "server      users      start-up ms (each start)   database      bytes/user  users table/user",
  ];
  for (const p of points)
    lines.push(
      `${p.server.padEnd(10)}${int(p.users).padStart(10)}  ${`${int(median(p.startupMs))} (${p.startupMs.map(int).join(", ")})`.padEnd(26)}` +
        `${`${(p.bytes / 2 ** 20).toFixed(1)} MiB`.padStart(10)}  ${int(p.bytes / p.users).padStart(10)}` +
        `  ${p.userBytes === undefined ? "" : int(p.userBytes / p.users).padStart(16)}`,
    );
  return lines.join("\n");
}

/** Start-up under TARGET_STARTUP_MS (median of the starts) at every size measured. */
export function scaleChecks(points: ScalePoint[]): Check[] {
  return points.map((p) => {
    const ms = median(p.startupMs);
    return {
      name: `${p.server === "lanyard-pg" ? "Lanyard on PostgreSQL" : "Lanyard"} start-up to listening < ${int(TARGET_STARTUP_MS)} ms at ${int(p.users)} users`,
      status: ms < TARGET_STARTUP_MS ? "PASS" : "FAIL",
      detail: `median ${int(ms)} ms of ${p.startupMs.length} starts (${p.startupMs.map(int).join(", ")})`,
    };
  });
}
