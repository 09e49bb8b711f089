/**
 * The storage backends the conformance suite runs on, and a look at the query plans each one uses
 * for a call (to show that lookups and list pages use indexes, whatever the pool's size).
 */
import type { DatabaseSync, StatementSync } from "node:sqlite";
import pg from "pg";
import { PostgresStorage } from "../../src/storage/postgres/postgres-storage.ts";
import type { Param } from "../../src/storage/postgres/rows.ts";
import { SqliteStorage } from "../../src/storage/sqlite/sqlite-storage.ts";
import type { Storage } from "../../src/storage/storage.ts";
import { createTestDatabase, testPostgresUrl } from "../support/postgres.ts";

/** How one statement run by a call is executed. */
export interface Plan {
  sql: string;
  /** Full scans of a table (the cost would grow with the table). */
  fullScans: string[];
  /** Sorts of rows outside an index (the cost would grow with the rows matched). */
  sorts: string[];
  /** PostgreSQL: shared buffers the statement touched (EXPLAIN ANALYZE BUFFERS). */
  blocks?: number;
  text: string;
}

export interface Opened {
  storage: Storage;
  /** A second storage on the same data, as a second instance would have (SQLite: the same one). */
  peer: Storage;
  /** The plans of the read statements `call` runs. */
  plans(call: () => Promise<unknown>): Promise<Plan[]>;
  /** Brings the tables to where they settle in production (PostgreSQL: autovacuum's VACUUM ANALYZE). */
  analyze(): Promise<void>;
  close(): Promise<void>;
}

export interface Backend {
  name: string;
  open(): Promise<Opened>;
}

const sqlite: Backend = {
  name: "SQLite",
  async open() {
    const storage = new SqliteStorage({ memory: true });
    await storage.migrate();
    // The storage's own connection and statement cache (private; read here only to explain plans).
    const inside = storage as unknown as {
      db: DatabaseSync;
      statements: Map<string, StatementSync>;
      arrayStatements: Map<string, StatementSync>;
    };
    return {
      storage,
      peer: storage,
      async plans(call) {
        inside.statements.clear();
        inside.arrayStatements.clear();
        await call();
        const out: Plan[] = [];
        for (const sql of [...inside.statements.keys(), ...inside.arrayStatements.keys()]) {
          const rows = inside.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[];
          const details = rows.map((r) => r.detail);
          out.push({
            sql,
            fullScans: details.filter((d) => /^SCAN /.test(d)),
            sorts: details.filter((d) => /USE TEMP B-TREE/.test(d)),
            text: details.join("\n"),
          });
        }
        return out;
      },
      // Lanyard never runs ANALYZE on SQLite: plans are those of a database without statistics.
      async analyze() {},
      close: () => storage.close(),
    };
  },
};

interface PgPlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Index Cond"?: string;
  Filter?: string;
  "Shared Hit Blocks"?: number;
  "Shared Read Blocks"?: number;
  Plans?: PgPlanNode[];
}

function describePlan(node: PgPlanNode, depth = 0): string {
  const parts = [node["Node Type"]];
  if (node["Index Name"]) parts.push(`using ${node["Index Name"]}`);
  if (node["Relation Name"]) parts.push(`on ${node["Relation Name"]}`);
  if (node["Index Cond"]) parts.push(`[${node["Index Cond"]}]`);
  if (node.Filter) parts.push(`filter [${node.Filter}]`);
  const blocks = (node["Shared Hit Blocks"] ?? 0) + (node["Shared Read Blocks"] ?? 0);
  parts.push(`(${blocks} buffers)`);
  return [
    `${"  ".repeat(depth)}${parts.join(" ")}`,
    ...(node.Plans ?? []).map((c) => describePlan(c, depth + 1)),
  ].join("\n");
}

function walk(node: PgPlanNode, visit: (n: PgPlanNode) => void): void {
  visit(node);
  for (const child of node.Plans ?? []) walk(child, visit);
}

const postgres: Backend = {
  name: "PostgreSQL",
  async open() {
    const db = await createTestDatabase();
    let recording: Recorded[] | undefined;
    const storage = new PostgresStorage({
      url: db.url,
      onQuery: (sql, params, planEachTime) => recording?.push({ sql, params, planEachTime }),
    });
    const peer = new PostgresStorage({ url: db.url });
    await storage.migrate();
    await peer.migrate();
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    return {
      storage,
      peer,
      async plans(call) {
        const seen: Recorded[] = [];
        recording = seen;
        try {
          await call();
        } finally {
          recording = undefined;
        }
        const out: Plan[] = [];
        for (const r of seen) out.push(await explain(client, r));
        return out;
      },
      async analyze() {
        // What autovacuum does in the background: prunes dead row versions (the pool row's user
        // count was updated once per inserted user) and gathers statistics.
        await client.query("VACUUM ANALYZE");
      },
      async close() {
        await client.end();
        await storage.close();
        await peer.close();
        await db.drop();
      },
    };
  },
};

interface Recorded {
  sql: string;
  params: readonly Param[];
  planEachTime: boolean;
}

async function explain(client: pg.Client, { sql, params, planEachTime }: Recorded): Promise<Plan> {
  // The plans PostgreSQL may use: the custom one (for these values) and, for a statement prepared
  // once per connection, the generic one (used after a few executions).
  const plans: PgPlanNode[] = [];
  for (const mode of planEachTime ? ["force_custom_plan"] : ["force_custom_plan", "force_generic_plan"]) {
    await client.query("BEGIN");
    try {
      await client.query(`SET LOCAL plan_cache_mode = ${mode}`);
      await client.query(`PREPARE conformance_plan AS ${sql}`);
      const values = params.map((p) =>
        p === null
          ? "NULL"
          : typeof p === "number"
            ? String(p)
            : typeof p === "string"
              ? literal(p)
              : `ARRAY[${p.map((x) => (x === null ? "NULL" : literal(x))).join(", ")}]::text[]`,
      );
      const { rows } = await client.query<{ "QUERY PLAN": { Plan: PgPlanNode }[] }>(
        `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) EXECUTE conformance_plan${values.length ? `(${values.join(", ")})` : ""}`,
      );
      plans.push(rows[0]!["QUERY PLAN"][0]!.Plan);
    } finally {
      await client.query("ROLLBACK");
      await client.query("DEALLOCATE ALL");
    }
  }
  const fullScans: string[] = [];
  const sorts: string[] = [];
  for (const plan of plans)
    walk(plan, (n) => {
      if (n["Node Type"] === "Seq Scan") fullScans.push(`Seq Scan on ${n["Relation Name"]}`);
      if (n["Node Type"] === "Sort") sorts.push("Sort");
    });
  const top = plans[0]!;
  return {
    sql,
    fullScans,
    sorts,
    blocks: (top["Shared Hit Blocks"] ?? 0) + (top["Shared Read Blocks"] ?? 0),
    text: plans.map((p, i) => `${i === 0 ? "custom" : "generic"} plan:\n${describePlan(p)}`).join("\n"),
  };
}

function literal(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** The backends to run on: SQLite always, PostgreSQL when LANYARD_TEST_POSTGRES_URL is set. */
export function backends(): Backend[] {
  return testPostgresUrl() ? [sqlite, postgres] : [sqlite];
}
