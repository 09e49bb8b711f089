/** The storage contract, checked on every backend: authorization codes (src/storage/contract/oauth.ts). */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { AuthorizationCodeRecord } from "../../src/storage/records.ts";
import { type Storage } from "../../src/storage/storage.ts";
import { backends, type Opened } from "./backends.ts";
import { newPool as poolIn, race as raceOn, values } from "./conformance.ts";

const code = (poolId: string, clientId: string, expiresAt: number): AuthorizationCodeRecord => ({
  codeHash: `hash-${crypto.randomUUID()}`,
  poolId,
  clientId,
  grant: { sub: crypto.randomUUID(), scope: "openid email", redirectUri: "https://app.example/cb" },
  createdAt: 0,
  expiresAt,
});

for (const backend of backends()) {
  describe(`storage conformance, oauth: ${backend.name}`, () => {
    let db: Opened;
    let s: Storage;
    before(async () => {
      db = await backend.open();
      s = db.storage;
    });
    after(() => db.close());

    test("an authorization code is redeemed once, never after it expires, kept until then, and purged", async () => {
      const { poolId, clientId } = await poolIn(s);
      const live = code(poolId, clientId, 2_000);
      const stale = code(poolId, clientId, 1_000);
      await s.transaction(async (tx) => {
        await tx.oauth.insertAuthorizationCode(live);
        await tx.oauth.insertAuthorizationCode(stale);
      });
      assert.deepEqual(await s.oauth.getAuthorizationCode(live.codeHash, 1_500), live);
      const redeem = (hash: string, now: number) =>
        s.transaction((tx) => tx.oauth.redeemAuthorizationCode(hash, now));
      assert.deepEqual(await redeem(live.codeHash, 1_500), { ...live, redeemedAt: 1_500 });
      assert.equal(await redeem(live.codeHash, 1_600), undefined, "redeemed once");
      assert.equal(await redeem(stale.codeHash, 1_000), undefined, "expired");
      // A redeemed code stays readable until it expires, with the origin of its tokens.
      await s.transaction((tx) => tx.oauth.setAuthorizationCodeOrigin(live.codeHash, "origin-1"));
      assert.deepEqual(await s.oauth.getAuthorizationCode(live.codeHash, 1_700), {
        ...live,
        redeemedAt: 1_500,
        originJti: "origin-1",
      });
      assert.equal(await s.oauth.getAuthorizationCode(live.codeHash, 2_000), undefined);
      await s.transaction((tx) => tx.oauth.purgeExpiredCodes(1_500));
      assert.equal(await s.oauth.getAuthorizationCode(stale.codeHash, 0), undefined, "purged");
      assert.ok(await s.oauth.getAuthorizationCode(live.codeHash, 0), "not yet expired: kept");
    });

    test("a code is redeemed by exactly one of several concurrent callers", async () => {
      const { poolId, clientId } = await poolIn(s);
      const c = code(poolId, clientId, Number.MAX_SAFE_INTEGER);
      await s.transaction((tx) => tx.oauth.insertAuthorizationCode(c));
      const got = values(
        await raceOn(db, (st, i) => st.transaction((tx) => tx.oauth.redeemAuthorizationCode(c.codeHash, i))),
      );
      assert.equal(got.filter((g) => g !== undefined).length, 1);
    });

    test("a code goes with its pool", async () => {
      const { poolId, clientId } = await poolIn(s);
      const c = code(poolId, clientId, Number.MAX_SAFE_INTEGER);
      await s.transaction((tx) => tx.oauth.insertAuthorizationCode(c));
      await s.transaction((tx) => tx.pools.deletePool(poolId));
      assert.equal(await s.oauth.getAuthorizationCode(c.codeHash, 0), undefined);
    });
  });
}
