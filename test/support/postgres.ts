/**
 * PostgreSQL for tests. `LANYARD_TEST_POSTGRES_URL` (set by scripts/test.ts, which starts a throwaway
 * cluster, or by hand) names a database the tests may create schemas in; each test database is a
 * fresh schema there, reached through a URL whose search_path points at it.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";

/** The PostgreSQL server the tests run on, when they run on one. */
export function testPostgresUrl(): string | undefined {
  return process.env.LANYARD_TEST_POSTGRES_URL || undefined;
}

export interface TestDatabase {
  /** A storage URL (`--storage`) for a new, empty schema. */
  url: string;
  schema: string;
  /** Drops the schema and everything in it. */
  drop(): Promise<void>;
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const base = testPostgresUrl();
  if (!base) throw new Error("LANYARD_TEST_POSTGRES_URL is not set");
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** The URL of `base` with its search_path set to `schema`. */
export function urlWithSchema(base: string, schema: string): string {
  const u = new URL(base);
  u.searchParams.set("options", `-c search_path=${schema}`);
  return u.toString();
}

/** A fresh schema on the test server. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const schema = `lanyard_test_${randomBytes(6).toString("hex")}`;
  await admin((c) => c.query(`CREATE SCHEMA ${schema}`));
  let dropped = false;
  return {
    url: urlWithSchema(testPostgresUrl()!, schema),
    schema,
    async drop() {
      if (dropped) return;
      dropped = true;
      await admin((c) => c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
    },
  };
}
