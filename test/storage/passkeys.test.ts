/** The storage contract, checked on every backend: passkeys (src/storage/contract/passkeys.ts). */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { PasskeyRecord } from "../../src/storage/records.ts";
import { DuplicateKeyError, type Storage } from "../../src/storage/storage.ts";
import { backends, type Opened } from "./backends.ts";
import { all, insertUsers, newPool, race, values } from "./conformance.ts";
import * as f from "./fixtures.ts";

const passkey = (poolId: string, sub: string, overrides: Partial<PasskeyRecord> = {}): PasskeyRecord => ({
  poolId,
  sub,
  credentialId: `cred-${crypto.randomUUID()}`,
  publicKey: "pQECAyYgASFYIA",
  signCount: 0,
  transports: ["internal", "hybrid"],
  friendlyName: "Laptop",
  rpId: "example.com",
  createdAt: 1_000,
  ...overrides,
});

for (const backend of backends()) {
  describe(`storage conformance, passkeys: ${backend.name}`, () => {
    let db: Opened;
    let s: Storage;
    before(async () => {
      db = await backend.open();
      s = db.storage;
    });
    after(() => db.close());

    test("a passkey is stored whole, found by id, listed per user in pages, and deleted by its user only", async () => {
      const { poolId } = await newPool(s);
      const alice = f.user(poolId, "alice");
      const bob = f.user(poolId, "bob");
      await insertUsers(s, [alice, bob]);
      const mine = [0, 1, 2].map((i) =>
        passkey(poolId, alice.sub, { credentialId: `a-${i}`, attachment: i === 0 ? "platform" : undefined }),
      );
      delete mine[1]!.attachment;
      delete mine[2]!.attachment;
      const theirs = passkey(poolId, bob.sub);
      await s.transaction(async (tx) => {
        for (const p of [...mine, theirs]) await tx.passkeys.insertPasskey(p);
      });
      assert.deepEqual(await s.passkeys.getPasskey(poolId, "a-0"), mine[0]);
      const first = await s.passkeys.listPasskeys(poolId, alice.sub, 2);
      assert.deepEqual(first.items, mine.slice(0, 2));
      assert.ok(first.next);
      assert.deepEqual(await all((a) => s.passkeys.listPasskeys(poolId, alice.sub, 2, a)), mine);
      assert.equal(
        await s.transaction((tx) => tx.passkeys.deletePasskey(poolId, bob.sub, "a-1")),
        false,
        "another user's credential is not theirs to delete",
      );
      assert.equal(await s.transaction((tx) => tx.passkeys.deletePasskey(poolId, alice.sub, "a-1")), true);
      assert.equal(await s.passkeys.getPasskey(poolId, "a-1"), undefined);
      assert.equal(await s.transaction((tx) => tx.passkeys.deletePasskey(poolId, alice.sub, "a-1")), false);
    });

    test("a credential id is unique in its pool", async () => {
      const { poolId } = await newPool(s);
      const u = f.user(poolId, "carol");
      await insertUsers(s, [u]);
      const p = passkey(poolId, u.sub);
      await s.transaction((tx) => tx.passkeys.insertPasskey(p));
      await assert.rejects(
        s.transaction((tx) => tx.passkeys.insertPasskey({ ...p, friendlyName: "again" })),
        DuplicateKeyError,
      );
    });

    test("the signature counter moves from its current value, once of concurrent moves", async () => {
      const { poolId } = await newPool(s);
      const u = f.user(poolId, "dave");
      await insertUsers(s, [u]);
      const p = passkey(poolId, u.sub, { signCount: 5 });
      await s.transaction((tx) => tx.passkeys.insertPasskey(p));
      assert.equal(
        await s.transaction((tx) => tx.passkeys.updatePasskeySignCount(poolId, p.credentialId, 4, 9)),
        false,
      );
      const moved = values(
        await race(db, (st) =>
          st.transaction((tx) => tx.passkeys.updatePasskeySignCount(poolId, p.credentialId, 5, 6)),
        ),
      );
      assert.equal(moved.filter(Boolean).length, 1);
      assert.equal((await s.passkeys.getPasskey(poolId, p.credentialId))?.signCount, 6);
    });

    test("a user's passkeys go with the user, and with the pool", async () => {
      const { poolId } = await newPool(s);
      const u = f.user(poolId, "erin");
      const v = f.user(poolId, "frank");
      await insertUsers(s, [u, v]);
      const pu = passkey(poolId, u.sub);
      const pv = passkey(poolId, v.sub);
      await s.transaction(async (tx) => {
        await tx.passkeys.insertPasskey(pu);
        await tx.passkeys.insertPasskey(pv);
      });
      await s.transaction((tx) => tx.users.deleteUser(poolId, u.sub));
      assert.equal(await s.passkeys.getPasskey(poolId, pu.credentialId), undefined);
      assert.ok(await s.passkeys.getPasskey(poolId, pv.credentialId));
      await s.transaction((tx) => tx.pools.deletePool(poolId));
      assert.equal(await s.passkeys.getPasskey(poolId, pv.credentialId), undefined);
    });
  });
}
