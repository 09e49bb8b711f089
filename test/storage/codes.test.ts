/** The storage contract, checked on every backend: Codes and counters (src/storage/contract/codes.ts). */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type Storage } from "../../src/storage/storage.ts";
import { backends, type Opened } from "./backends.ts";
import { insertUsers, N, newPool as poolIn, race as raceOn, values } from "./conformance.ts";
import * as f from "./fixtures.ts";

for (const backend of backends()) {
  describe(`storage conformance, codes: ${backend.name}`, () => {
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
      test("codes: replace, count attempts, consume by hash, delete", async () => {
        const { poolId } = await newPool();
        const u = f.user(poolId, "coder");
        await insertUsers(s, [u]);
        await s.transaction((tx) => tx.codes.putCode(f.code(poolId, u.sub, "signup", "h1", 5_000)));
        await s.transaction((tx) =>
          tx.codes.putCode({ ...f.code(poolId, u.sub, "signup", "h2", 6_000), attempts: 1 }),
        );
        assert.deepEqual(await s.codes.getCode(poolId, u.sub, "signup"), {
          ...f.code(poolId, u.sub, "signup", "h2", 6_000),
          attempts: 1,
        });
        assert.equal(await s.transaction((tx) => tx.codes.countCodeAttempt(poolId, u.sub, "signup")), 2);
        assert.equal(await s.transaction((tx) => tx.codes.countCodeAttempt(poolId, u.sub, "nothing")), 0);
        assert.equal(await s.transaction((tx) => tx.codes.consumeCode(poolId, u.sub, "signup", "h1")), false);
        assert.equal(await s.transaction((tx) => tx.codes.consumeCode(poolId, u.sub, "signup", "h2")), true);
        assert.equal(await s.codes.getCode(poolId, u.sub, "signup"), undefined);
        await s.transaction((tx) => tx.codes.putCode(f.code(poolId, u.sub, "verify:email", "h3", 6_000)));
        await s.transaction((tx) => tx.codes.deleteCode(poolId, u.sub, "verify:email"));
        assert.equal(await s.codes.getCode(poolId, u.sub, "verify:email"), undefined);
      });
    });

    describe("counters", () => {
      test("a counter never written reads as none; written, it reads back; purged after expiry", async () => {
        const { poolId } = await newPool();
        const none = await s.transaction((tx) => tx.codes.lockCounter(poolId, "k"));
        assert.deepEqual(none, { poolId, key: "k", count: 0, since: 0, expiresAt: 0 });
        const c = { poolId, key: "k", count: 3, since: 10, lockedUntil: 20, expiresAt: 30 };
        await s.transaction((tx) => tx.codes.putCounter(c));
        assert.deepEqual(await s.transaction((tx) => tx.codes.lockCounter(poolId, "k")), c);
        const { lockedUntil: _, ...unlocked } = c;
        await s.transaction((tx) => tx.codes.putCounter({ ...unlocked, count: 4 }));
        assert.deepEqual(await s.transaction((tx) => tx.codes.lockCounter(poolId, "k")), {
          ...unlocked,
          count: 4,
        });
        await s.transaction((tx) => tx.tokens.purgeExpired(30));
        assert.equal((await s.transaction((tx) => tx.codes.lockCounter(poolId, "k"))).count, 0);
        await s.transaction((tx) => tx.codes.putCounter(c));
        await s.transaction((tx) => tx.codes.deleteCounter(poolId, "k"));
        assert.equal((await s.transaction((tx) => tx.codes.lockCounter(poolId, "k"))).count, 0);
      });
    });

    describe("concurrency", () => {
      /** Runs fn N times at once, alternating between the two instances. */
      const race = <T>(fn: (storage: Storage, i: number) => Promise<T>) => raceOn(db, fn);
      test("a code is consumed by exactly one of several concurrent callers", async () => {
        const { poolId } = await newPool();
        const u = f.user(poolId, "code-race");
        await insertUsers(s, [u]);
        await s.transaction((tx) =>
          tx.codes.putCode(f.code(poolId, u.sub, "signup", "hash", Number.MAX_SAFE_INTEGER)),
        );
        const won = values(
          await race((st) => st.transaction((tx) => tx.codes.consumeCode(poolId, u.sub, "signup", "hash"))),
        );
        assert.equal(won.filter(Boolean).length, 1);
      });

      test("concurrent counts of one counter lose none, the very first included", async () => {
        const { poolId } = await newPool();
        values(
          await race((st) =>
            st.transaction(async (tx) => {
              const c = await tx.codes.lockCounter(poolId, "sign-in:name:nobody");
              await new Promise((r) => setTimeout(r, 5));
              await tx.codes.putCounter({ ...c, count: c.count + 1, expiresAt: Number.MAX_SAFE_INTEGER });
            }),
          ),
        );
        const after = await s.transaction((tx) => tx.codes.lockCounter(poolId, "sign-in:name:nobody"));
        assert.equal(after.count, N);
      });
    });
  });
}
