/** Choosing the storage: `--storage`, LANYARD_STORAGE, the config file's `storage`, and their checks. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { ConfigError, loadConfig } from "../../src/config/config.ts";
import { describeStorage, openStorage } from "../../src/storage/open.ts";
import { PostgresStorage, parseStorageUrl } from "../../src/storage/postgres/postgres-storage.ts";
import { SqliteStorage } from "../../src/storage/sqlite/sqlite-storage.ts";

const dir = mkdtempSync(join(tmpdir(), "lanyard-open-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const URL_ = "postgres://lanyard:s3cret@db.example:6543/identity";

test("SQLite is the default; a postgres:// URL selects PostgreSQL, from a flag, the environment or the file", async () => {
  assert.equal(loadConfig([], {}).storage, "sqlite");
  assert.equal(loadConfig(["--storage", URL_], {}).storage, URL_);
  assert.equal(loadConfig([`--storage=${URL_}`], {}).storage, URL_);
  assert.equal(loadConfig([], { LANYARD_STORAGE: URL_ }).storage, URL_);
  const file = join(dir, "config.json");
  writeFileSync(file, JSON.stringify({ storage: "postgresql://h/db" }));
  assert.equal(loadConfig(["--config", file], {}).storage, "postgresql://h/db");
  assert.equal(loadConfig(["--config", file, "--storage", "sqlite"], {}).storage, "sqlite", "flags win");

  const pg = await openStorage(loadConfig(["--storage", URL_], {}));
  assert.ok(pg instanceof PostgresStorage);
  await pg.close();
  const sqlite = await openStorage(loadConfig(["--memory"], {}));
  assert.ok(sqlite instanceof SqliteStorage);
  await sqlite.close();
});

test("a wrong storage setting is refused at start", () => {
  assert.throws(() => loadConfig(["--storage", "mysql://h/db"], {}), ConfigError);
  assert.throws(() => loadConfig(["--storage", URL_, "--memory"], {}), /cannot be combined/);
  assert.throws(() => parseStorageUrl("postgres://h/db?pool_max=0"), /pool_max/);
  assert.throws(() => parseStorageUrl("not a url"), /not a valid URL/);
});

test("pool_max is Lanyard's; every other URL parameter goes to the driver", () => {
  const { connectionString, max } = parseStorageUrl(`${URL_}?pool_max=25&sslmode=verify-full`);
  assert.equal(max, 25);
  assert.equal(connectionString, `${URL_}?sslmode=verify-full`);
  assert.equal(parseStorageUrl(URL_).max, 10);
});

test("the start-up line names the database, never its password", () => {
  const shown = describeStorage(loadConfig(["--storage", URL_], {}));
  assert.equal(shown, "PostgreSQL at db.example:6543/identity");
  assert.ok(!shown.includes("s3cret"));
  assert.equal(describeStorage(loadConfig(["--memory"], {})), "SQLite in memory");
});
