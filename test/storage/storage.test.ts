/** The storage contract, checked on every backend: What the storage as a whole promises (src/storage/storage.ts): settings, transactions, cursors. */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { InvalidCursorError } from "../../src/storage/cursor.ts";
import { DuplicateKeyError, type Storage } from "../../src/storage/storage.ts";
import { testPostgresUrl } from "../support/postgres.ts";
import { backends, type Opened } from "./backends.ts";
import { insertUsers, newPool as poolIn } from "./conformance.ts";
import * as f from "./fixtures.ts";

if (!testPostgresUrl())
  test("storage conformance on PostgreSQL", { skip: "LANYARD_TEST_POSTGRES_URL is not set" }, () => {});

for (const backend of backends()) {
  describe(`storage conformance, storage: ${backend.name}`, () => {
    let db: Opened;
    let s: Storage;
    before(async () => {
      db = await backend.open();
      s = db.storage;
    });
    after(() => db.close());

    /** A new pool (with one app client) for one test. */
    const newPool = () => poolIn(s);

    describe("round trips", () => {
      test("settings: the first writer wins, on every instance", async () => {
        const name = `setting-${f.unique()}`;
        const values = await Promise.all([
          s.setting(name, () => "first"),
          db.peer.setting(name, () => "second"),
          s.setting(name, () => "third"),
        ]);
        assert.equal(new Set(values).size, 1);
        assert.equal(await db.peer.setting(name, () => "later"), values[0]);
      });
    });

    describe("transactions", () => {
      test("a transaction that throws leaves nothing behind", async () => {
        const p = f.pool();
        const u = f.user(p.id, "ghost");
        await assert.rejects(
          s.transaction(async (tx) => {
            await tx.pools.insertPool(p);
            await tx.users.insertUser(u);
            assert.ok(await tx.users.getUser(p.id, "ghost"), "a transaction sees its own writes");
            throw new Error("boom");
          }),
          /boom/,
        );
        assert.equal(await s.pools.getPool(p.id), undefined);
        assert.equal(await s.users.getUser(p.id, "ghost"), undefined);
      });

      test("reads outside a transaction never see its uncommitted writes", async () => {
        const p = f.pool();
        let during: unknown = "not read";
        await s.transaction(async (tx) => {
          await tx.pools.insertPool(p);
          // SQLite makes the read wait for the commit; PostgreSQL answers from committed data.
          const read = db.peer.pools.getPool(p.id).then((r) => {
            during = r;
          });
          await Promise.race([read, new Promise((r) => setTimeout(r, 200))]);
          if (during !== "not read") assert.equal(during, undefined);
        });
        assert.deepEqual(await s.pools.getPool(p.id), p);
      });

      test("reads, writes and reads in one turn of the event loop: each read sees every commit before it", async () => {
        // SQLite shares one read transaction among the reads of a turn; a write must end it first,
        // and the reads after the commit must see it, as reads on another turn would.
        const { poolId } = await newPool();
        const u = f.user(poolId, "same-turn");
        const seen: unknown[] = [];
        await new Promise<void>((resolve, reject) => {
          setImmediate(() => {
            void (async () => {
              seen.push(await s.users.getUser(poolId, "same-turn"));
              await s.transaction((tx) => tx.users.insertUser(u));
              seen.push(await s.users.getUser(poolId, "same-turn"));
              await s.transaction((tx) => tx.users.updateUser({ ...u, status: "RESET_REQUIRED" }));
              seen.push((await s.users.getUser(poolId, "same-turn"))?.status);
              const [a, b] = await Promise.all([
                s.users.getUser(poolId, "same-turn"),
                s.pools.getPool(poolId),
              ]);
              seen.push(a?.sub, b?.id);
            })().then(resolve, reject);
          });
        });
        assert.deepEqual(seen, [undefined, u, "RESET_REQUIRED", u.sub, poolId]);
      });

      test("a transaction goes on after a DuplicateKeyError it caught", async () => {
        const { poolId } = await newPool();
        const first = f.user(poolId, "taken");
        await insertUsers(s, [first]);
        const other = f.user(poolId, "free");
        await s.transaction(async (tx) => {
          await assert.rejects(tx.users.insertUser(f.user(poolId, "taken")), DuplicateKeyError);
          await assert.rejects(
            tx.users.insertUser({ ...f.user(poolId, "fresh"), sub: first.sub }),
            DuplicateKeyError,
          );
          await tx.users.insertUser(other);
        });
        assert.deepEqual(await s.users.getUser(poolId, "free"), other);
        assert.equal(await s.users.getUser(poolId, "fresh"), undefined);
        assert.equal((await s.pools.getPool(poolId))!.userCount, 2);
      });

      test("an invalid pagination cursor is refused", async () => {
        const { poolId } = await newPool();
        await assert.rejects(s.users.listUsers(poolId, 10, undefined, "not-a-cursor"), InvalidCursorError);
        await assert.rejects(
          s.users.listUsers(poolId, 10, { attribute: "email", op: "=", value: "x" }, "WzFd"),
          InvalidCursorError,
        );
      });
    });
  });
}
