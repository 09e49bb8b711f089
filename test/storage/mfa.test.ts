/** The storage contract, checked on every backend: users' MFA settings (src/storage/contract/mfa.ts). */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { UserMfaRecord } from "../../src/storage/records.ts";
import { type Storage } from "../../src/storage/storage.ts";
import { backends, type Opened } from "./backends.ts";
import { insertUsers, newPool, race, values } from "./conformance.ts";
import { fullUser, unique } from "./fixtures.ts";

const full = (poolId: string, sub: string): UserMfaRecord => ({
  poolId,
  sub,
  totpSecret: "lanyard-aes-256-gcm:v1:sealed",
  totpVerified: true,
  totpFriendlyName: "phone ünïcode",
  totpLastStep: 58_000_000,
  totpEnabled: true,
  smsEnabled: true,
  emailEnabled: false,
  webAuthnEnabled: true,
  preferred: "SOFTWARE_TOKEN_MFA",
  updatedAt: 1_700_000_000_123,
});

for (const backend of backends()) {
  describe(`storage conformance, mfa: ${backend.name}`, () => {
    let db: Opened;
    let s: Storage;
    before(async () => {
      db = await backend.open();
      s = db.storage;
    });
    after(() => db.close());

    async function user(): Promise<{ poolId: string; sub: string }> {
      const { poolId } = await newPool(s);
      const u = fullUser(poolId, `mfa-${unique()}`);
      await insertUsers(s, [u]);
      return { poolId, sub: u.sub };
    }

    test("a row round-trips every field, is replaced whole, and is deleted", async () => {
      const { poolId, sub } = await user();
      assert.equal(await s.mfa.getUserMfa(poolId, sub), undefined);
      const m = full(poolId, sub);
      await s.transaction((tx) => tx.mfa.putUserMfa(m));
      assert.deepEqual(await s.mfa.getUserMfa(poolId, sub), m);
      const bare: UserMfaRecord = {
        poolId,
        sub,
        totpVerified: false,
        totpEnabled: false,
        smsEnabled: false,
        emailEnabled: true,
        updatedAt: 5,
      };
      await s.transaction((tx) => tx.mfa.putUserMfa(bare));
      assert.deepEqual(await s.mfa.getUserMfa(poolId, sub), bare, "optional fields cleared");
      await s.transaction((tx) => tx.mfa.deleteUserMfa(poolId, sub));
      assert.equal(await s.mfa.getUserMfa(poolId, sub), undefined);
    });

    test("deleting the user or the pool removes the row", async () => {
      const a = await user();
      await s.transaction((tx) => tx.mfa.putUserMfa(full(a.poolId, a.sub)));
      await s.transaction((tx) => tx.users.deleteUser(a.poolId, a.sub));
      assert.equal(await s.mfa.getUserMfa(a.poolId, a.sub), undefined);
      const b = await user();
      await s.transaction((tx) => tx.mfa.putUserMfa(full(b.poolId, b.sub)));
      await s.transaction((tx) => tx.pools.deletePool(b.poolId));
      assert.equal(await s.mfa.getUserMfa(b.poolId, b.sub), undefined);
    });

    test("acceptTotpStep takes only a later step", async () => {
      const { poolId, sub } = await user();
      await s.transaction((tx) => tx.mfa.putUserMfa({ ...full(poolId, sub), totpLastStep: undefined }));
      const accept = (step: number) => s.transaction((tx) => tx.mfa.acceptTotpStep(poolId, sub, step, 9));
      assert.equal(await accept(100), true);
      assert.equal(await accept(100), false, "the same step again");
      assert.equal(await accept(99), false, "an earlier step");
      assert.equal(await accept(101), true);
      assert.equal((await s.mfa.getUserMfa(poolId, sub))?.totpLastStep, 101);
    });

    test("of concurrent callers with one step, exactly one is accepted", async () => {
      const { poolId, sub } = await user();
      await s.transaction((tx) => tx.mfa.putUserMfa({ ...full(poolId, sub), totpLastStep: 10 }));
      const got = values(
        await race(db, (st) => st.transaction((tx) => tx.mfa.acceptTotpStep(poolId, sub, 11, 1))),
      );
      assert.equal(got.filter(Boolean).length, 1);
    });
  });
}
