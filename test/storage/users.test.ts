/** The storage contract, checked on every backend: Users (src/storage/contract/users.ts): round trips, uniqueness, pagination, and the cost of lookups and list pages in a large pool. */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { UserRecord } from "../../src/storage/records.ts";
import { DuplicateKeyError, type Page, type Storage, type UserFilter } from "../../src/storage/storage.ts";
import { backends, type Opened } from "./backends.ts";
import { all, byteOrder, insertUsers, N, newPool as poolIn, race as raceOn, values } from "./conformance.ts";
import * as f from "./fixtures.ts";

for (const backend of backends()) {
  describe(`storage conformance, users: ${backend.name}`, () => {
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
      test("users: every field survives, lookups by username, sub and alias, user count", async () => {
        const { poolId } = await newPool();
        const u = f.fullUser(poolId, "Alice");
        await insertUsers(s, [u]);
        assert.deepEqual(await s.users.getUser(poolId, "alice"), u);
        assert.deepEqual(await s.users.getUserBySub(poolId, u.sub), u);
        assert.deepEqual(await s.users.findUsersByAlias(poolId, "email", "alice@example.com"), [u]);
        assert.deepEqual(await s.users.findUsersByAlias(poolId, "email", "ALICE@EXAMPLE.COM"), [u]);
        assert.deepEqual(await s.users.findUsersByAlias(poolId, "preferred_username", "pref-alice"), [u]);
        assert.deepEqual(await s.users.findUsersByAlias(poolId, "phone_number", "+15550100"), [u]);
        assert.equal((await s.pools.getPool(poolId))!.userCount, 1);

        const minimal = f.user(poolId, "bob");
        await insertUsers(s, [minimal]);
        assert.deepEqual(
          await s.users.getUser(poolId, "bob"),
          minimal,
          "no optional field appears from nowhere",
        );

        const changed: UserRecord = {
          ...u,
          status: "RESET_REQUIRED",
          enabled: false,
          attributes: { email: "new@example.com", given_name: "Alicia" },
          updatedAt: u.updatedAt + 10,
        };
        delete changed.tokensValidAfter;
        delete changed.passwordHistory;
        await s.transaction((tx) => tx.users.updateUser(changed));
        assert.deepEqual(await s.users.getUserBySub(poolId, u.sub), changed);
        assert.deepEqual(await s.users.findUsersByAlias(poolId, "email", "alice@example.com"), []);
        assert.deepEqual(await s.users.findUsersByAlias(poolId, "email", "NEW@example.com"), [changed]);

        await s.transaction((tx) => tx.users.deleteUser(poolId, u.sub));
        await s.transaction((tx) => tx.users.deleteUser(poolId, u.sub));
        assert.equal(await s.users.getUser(poolId, "alice"), undefined);
        assert.equal((await s.pools.getPool(poolId))!.userCount, 1, "counted once per user actually deleted");
      });

      test("insertUsers: many users at once, in order, counted; a taken username or sub is refused", async () => {
        const { poolId } = await newPool();
        const full = f.fullUser(poolId, "Zed");
        const many = [full, ...Array.from({ length: 30 }, (_, i) => f.user(poolId, `bulk${i}`))];
        await s.transaction((tx) => tx.users.insertUsers(many));
        assert.deepEqual(await s.users.getUser(poolId, "zed"), full, "every field survives");
        assert.deepEqual(await s.users.getUser(poolId, "bulk7"), many[8]);
        assert.equal((await s.pools.getPool(poolId))!.userCount, many.length);
        const listed = await all((after) => s.users.listUsers(poolId, 7, undefined, after));
        assert.deepEqual(
          listed.map((u) => u.username),
          many.map((u) => u.username),
          "listed in the order inserted",
        );
        const refused = [
          [f.user(poolId, "new1"), f.user(poolId, "bulk3")],
          [f.user(poolId, "new2"), f.user(poolId, "new2")],
          [f.user(poolId, "new3"), { ...f.user(poolId, "new4"), sub: full.sub }],
        ];
        for (const users of refused)
          await assert.rejects(
            s.transaction((tx) => tx.users.insertUsers(users)),
            DuplicateKeyError,
          );
        for (const name of ["new1", "new2", "new3", "new4"])
          assert.equal(await s.users.getUser(poolId, name), undefined);
        assert.equal((await s.pools.getPool(poolId))!.userCount, many.length);
      });
    });

    describe("concurrency", () => {
      /** Runs fn N times at once, alternating between the two instances. */
      const race = <T>(fn: (storage: Storage, i: number) => Promise<T>) => raceOn(db, fn);
      test("of concurrent inserts of one username exactly one succeeds", async () => {
        const { poolId } = await newPool();
        const results = await race((st) => insertUsers(st, [f.user(poolId, "contested")]));
        assert.equal(results.filter((r) => r.status === "fulfilled").length, 1);
        for (const r of results)
          if (r.status === "rejected") assert.ok(r.reason instanceof DuplicateKeyError, String(r.reason));
        assert.equal((await s.pools.getPool(poolId))!.userCount, 1);
      });

      test("of concurrent inserts of one sub exactly one succeeds", async () => {
        const { poolId } = await newPool();
        const sub = f.user(poolId, "x").sub;
        const results = await race((st, i) => insertUsers(st, [{ ...f.user(poolId, `sub-${i}`), sub }]));
        assert.equal(results.filter((r) => r.status === "fulfilled").length, 1);
        for (const r of results)
          if (r.status === "rejected") assert.ok(r.reason instanceof DuplicateKeyError, String(r.reason));
      });

      test("concurrent read-modify-write transactions of one user lose no update", async () => {
        const { poolId } = await newPool();
        const u = f.user(poolId, "counted");
        await insertUsers(s, [u]);
        values(
          await race((st) =>
            st.transaction(async (tx) => {
              const current = (await tx.users.getUserBySub(poolId, u.sub))!;
              await new Promise((r) => setTimeout(r, 5));
              await tx.users.updateUser({
                ...current,
                tokensValidAfter: (current.tokensValidAfter ?? 0) + 1,
              });
            }),
          ),
        );
        assert.equal((await s.users.getUserBySub(poolId, u.sub))!.tokensValidAfter, N);
      });
    });

    describe("pagination", () => {
      /**
       * Walks a listing `pageSize` at a time while `between` changes the data after each page.
       * Returns the keys seen, in order.
       */
      async function walk(
        list: (after?: string) => Promise<Page<UserRecord>>,
        between: (page: number) => Promise<void>,
      ): Promise<string[]> {
        const seen: string[] = [];
        let after: string | undefined;
        for (let page = 0; page < 1000; page++) {
          const p = await list(after);
          seen.push(...p.items.map((u) => u.username));
          if (!p.next) return seen;
          after = p.next;
          await between(page);
        }
        throw new Error("pagination did not end");
      }

      const cases: { label: string; filter?: UserFilter; matching: (i: number) => Record<string, string> }[] =
        [
          { label: "unfiltered", matching: (i) => ({ email: `u${i}@example.com` }) },
          {
            label: "email =",
            filter: { attribute: "email", op: "=", value: "same@example.com" },
            matching: () => ({ email: "same@example.com" }),
          },
          {
            label: "given_name ^=",
            filter: { attribute: "given_name", op: "^=", value: "Ma" },
            // Values in no particular order, so inserts land before and after the cursor.
            matching: (i) => ({ given_name: `Ma${((i * 7919) % 97).toString().padStart(2, "0")}` }),
          },
        ];

      for (const c of cases)
        test(`pages cover every row exactly once while rows come and go (${c.label})`, async () => {
          const { poolId } = await newPool();
          const initial = Array.from({ length: 40 }, (_, i) => f.user(poolId, `m${i}`, c.matching(i)));
          const nonMatching = c.filter
            ? Array.from({ length: 10 }, (_, i) =>
                f.user(poolId, `n${i}`, { email: `other${i}@example.com`, given_name: `Zed${i}` }),
              )
            : [];
          await insertUsers(
            s,
            [...initial, ...nonMatching].sort(() => Math.random() - 0.5),
          );
          const deletedUnseen = new Set<string>();
          const deletedSeen = new Set<string>();
          let added = 0;
          let seenSoFar: string[] = [];
          const seen = await walk(
            async (after) => {
              const page = await s.users.listUsers(poolId, 7, c.filter, after);
              seenSoFar = seenSoFar.concat(page.items.map((u) => u.username));
              return page;
            },
            async () => {
              const extra = [100 + added++, 100 + added++].map((i) => f.user(poolId, `m${i}`, c.matching(i)));
              await insertUsers(db.peer, extra);
              const unseen = initial.find(
                (u) => !seenSoFar.includes(u.username) && !deletedUnseen.has(u.username),
              );
              const alreadySeen = initial.find(
                (u) => seenSoFar.includes(u.username) && !deletedSeen.has(u.username),
              );
              await db.peer.transaction(async (tx) => {
                if (unseen) {
                  deletedUnseen.add(unseen.username);
                  await tx.users.deleteUser(poolId, unseen.sub);
                }
                if (alreadySeen) {
                  deletedSeen.add(alreadySeen.username);
                  await tx.users.deleteUser(poolId, alreadySeen.sub);
                }
              });
            },
          );
          assert.equal(new Set(seen).size, seen.length, `no row twice: ${seen.join(",")}`);
          for (const u of initial)
            if (!deletedUnseen.has(u.username))
              assert.ok(seen.includes(u.username), `${u.username} was seen`);
          for (const name of deletedUnseen)
            assert.ok(!seen.includes(name), `${name} was deleted before its page`);
          assert.ok(
            seen.every((n) => n.startsWith("m")),
            "only matching rows",
          );
          assert.ok(deletedUnseen.size > 0 && added > 0, "the walk changed the data");
        });

      test("text keys are ordered by UTF-8 bytes, prefixes match by bytes, ties in insertion order", async () => {
        const { poolId } = await newPool();
        const names = [
          "nb",
          "nA",
          "na",
          "nÄ",
          "nä",
          "näz",
          "nZ",
          "n日本",
          "n😀",
          "n~",
          "n a",
          "nä",
          "n",
          "nä\u0301",
        ];
        const users = names.map((given_name, i) => f.user(poolId, `o${i}`, { given_name }));
        for (const u of users) await insertUsers(s, [u]);
        await insertUsers(s, [
          f.user(poolId, "other", { given_name: "m" }),
          f.user(poolId, "other2", { given_name: "o" }),
        ]);
        const expected = users
          .map((u, i) => ({ u, i }))
          .sort((a, b) => byteOrder(a.u.attributes.given_name!, b.u.attributes.given_name!) || a.i - b.i)
          .map(({ u }) => u.username);
        const prefix = await all((after) =>
          s.users.listUsers(poolId, 3, { attribute: "given_name", op: "^=", value: "n" }, after),
        );
        assert.deepEqual(
          prefix.map((u) => u.username),
          expected,
        );
        const umlaut = await all((after) =>
          s.users.listUsers(poolId, 2, { attribute: "given_name", op: "^=", value: "nä" }, after),
        );
        assert.deepEqual(
          umlaut.map((u) => u.attributes.given_name),
          ["nä", "nä", "näz", "nä\u0301"],
        );
        const exact = await s.users.listUsers(poolId, 10, { attribute: "given_name", op: "=", value: "nä" });
        assert.deepEqual(
          exact.items.map((u) => u.username),
          users.filter((u) => u.attributes.given_name === "nä").map((u) => u.username),
        );
        const emoji = await s.users.listUsers(poolId, 10, {
          attribute: "given_name",
          op: "^=",
          value: "n😀",
        });
        assert.deepEqual(
          emoji.items.map((u) => u.attributes.given_name),
          ["n😀"],
        );
      });

      test("a cursor stays valid when the row it points at is deleted", async () => {
        const { poolId } = await newPool();
        const users = Array.from({ length: 6 }, (_, i) =>
          f.user(poolId, `c${i}`, { email: "c@example.com" }),
        );
        await insertUsers(s, users);
        for (const filter of [
          undefined,
          { attribute: "email", op: "=", value: "c@example.com" } as UserFilter,
        ]) {
          const first = await s.users.listUsers(poolId, 2, filter);
          const rest = await s.transaction(async (tx) => {
            const last = first.items[first.items.length - 1]!;
            await tx.users.deleteUser(poolId, last.sub);
            return last;
          });
          const next = await s.users.listUsers(poolId, 10, filter, first.next);
          assert.ok(!next.items.some((u) => u.sub === rest.sub));
          assert.ok(next.items.length > 0);
          await insertUsers(s, [{ ...rest }]);
        }
      });
    });

    describe("cost does not grow with the pool", () => {
      const SMALL = 200;
      const BIG = 20_000;
      const pools: Record<"small" | "big", { poolId: string; users: UserRecord[]; cursor?: string }> = {
        small: { poolId: "", users: [] },
        big: { poolId: "", users: [] },
      };
      const GIVEN = ["Ada", "Grace", "Alan", "Edsger", "Barbara"];

      before(async () => {
        for (const [label, size] of [
          ["small", SMALL],
          ["big", BIG],
        ] as const) {
          const { poolId } = await newPool();
          const users = Array.from({ length: size }, (_, i) =>
            f.user(poolId, `user${i}`, {
              email: `user${i}@example.com`,
              given_name: GIVEN[i % GIVEN.length]!,
              phone_number: `+1555${String(i).padStart(7, "0")}`,
            }),
          );
          for (let i = 0; i < users.length; i += 2_000) await insertUsers(s, users.slice(i, i + 2_000));
          // Every user in "members", a few in "few".
          await s.transaction(async (tx) => {
            await tx.groups.insertGroup(f.group(poolId, "members"));
            await tx.groups.insertGroup(f.group(poolId, "few"));
            for (const u of users) await tx.groups.addUserToGroup(poolId, "members", u.sub);
            for (const u of users.slice(0, 3)) await tx.groups.addUserToGroup(poolId, "few", u.sub);
          });
          pools[label] = { poolId, users };
          // A cursor in the middle of the pool, for a later page.
          let after: string | undefined;
          for (let seen = 0; seen < size / 2;) {
            const page = await s.users.listUsers(poolId, 60, undefined, after);
            seen += page.items.length;
            after = page.next;
          }
          pools[label].cursor = after;
        }
        await db.analyze();
      });

      const calls: { label: string; call: (st: Storage, p: (typeof pools)["big"]) => Promise<unknown> }[] = [
        { label: "getUser", call: (st, p) => st.users.getUser(p.poolId, "user77") },
        { label: "getUserBySub", call: (st, p) => st.users.getUserBySub(p.poolId, p.users[77]!.sub) },
        {
          label: "getUser and getUserBySub, 50 at once",
          call: (st, p) =>
            Promise.all(
              p.users
                .slice(100, 150)
                .flatMap((u) => [
                  st.users.getUser(p.poolId, u.usernameKey),
                  st.users.getUserBySub(p.poolId, u.sub),
                ]),
            ),
        },
        {
          label: "getPool and getClientById, several at once",
          call: (st, p) =>
            Promise.all([
              st.pools.getPool(p.poolId),
              st.pools.getPool(pools.small.poolId),
              st.pools.getClientById("x"),
              st.pools.getClientById("y"),
            ]),
        },
        {
          label: "findUsersByAlias email",
          call: (st, p) => st.users.findUsersByAlias(p.poolId, "email", "user77@example.com"),
        },
        { label: "ListUsers first page", call: (st, p) => st.users.listUsers(p.poolId, 60) },
        {
          label: "ListUsers later page",
          call: (st, p) => st.users.listUsers(p.poolId, 60, undefined, p.cursor),
        },
        {
          label: "ListUsers email =",
          call: (st, p) =>
            st.users.listUsers(p.poolId, 60, { attribute: "email", op: "=", value: "user77@example.com" }),
        },
        {
          label: "ListUsers given_name ^= (many matches)",
          call: (st, p) =>
            st.users.listUsers(p.poolId, 60, { attribute: "given_name", op: "^=", value: "Gr" }),
        },
        {
          label: "ListUsers username ^= then next page",
          call: async (st, p) => {
            const first = await st.users.listUsers(p.poolId, 5, {
              attribute: "username",
              op: "^=",
              value: "user1",
            });
            await st.users.listUsers(
              p.poolId,
              5,
              { attribute: "username", op: "^=", value: "user1" },
              first.next,
            );
          },
        },
        {
          label: "ListUsers cognito:user_status = (every user matches)",
          call: (st, p) =>
            st.users.listUsers(p.poolId, 60, {
              attribute: "cognito:user_status",
              op: "=",
              value: "CONFIRMED",
            }),
        },
        {
          label: "ListUsersInGroup (every user)",
          call: (st, p) => st.groups.listUsersInGroup(p.poolId, "members", 60),
        },
        {
          label: "ListUsersInGroup (a few users)",
          call: (st, p) => st.groups.listUsersInGroup(p.poolId, "few", 60),
        },
        {
          label: "ListUsers cognito:user_status = (no user matches)",
          call: (st, p) =>
            st.users.listUsers(p.poolId, 60, {
              attribute: "cognito:user_status",
              op: "=",
              value: "UNCONFIRMED",
            }),
        },
        {
          label: "groups of a user",
          call: (st, p) => st.groups.listGroupsForUser(p.poolId, p.users[3]!.sub, 60),
        },
      ];

      for (const c of calls)
        test(`${c.label}: indexed, no full scan or sort, same cost at ${BIG.toLocaleString("en-US")} as at ${SMALL}`, async () => {
          const small = await db.plans(() => c.call(s, pools.small));
          const big = await db.plans(() => c.call(s, pools.big));
          assert.ok(big.length > 0, "the call ran statements");
          for (const plan of big) {
            // Tables that grow with a pool's users (pools and clients are tiny here: scanning them is fine).
            const scans = plan.fullScans.filter((d) =>
              /\b(users|group_members|codes|refresh_tokens|identity_links)\b/.test(d),
            );
            assert.deepEqual(scans, [], `full scan in ${plan.sql}\n${plan.text}`);
            assert.deepEqual(plan.sorts, [], `sort in ${plan.sql}\n${plan.text}`);
          }
          big.forEach((plan, i) => {
            const before = small[i]?.blocks;
            if (plan.blocks === undefined || before === undefined) return;
            // A full scan of the big pool touches ~1,500 buffers; a page, a few dozen to a few hundred.
            assert.ok(
              plan.blocks <= before * 3 + 40,
              `${plan.sql}: ${plan.blocks} buffers at ${BIG} users vs ${before} at ${SMALL}\n${plan.text}\nat ${SMALL}:\n${small[i]!.text}`,
            );
          });
        });
    });
  });
}
