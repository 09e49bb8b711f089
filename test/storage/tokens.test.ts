/** The storage contract, checked on every backend: Signing keys, auth sessions and refresh tokens (src/storage/contract/tokens.ts). */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type Storage } from "../../src/storage/storage.ts";
import { backends, type Opened } from "./backends.ts";
import { byteOrder, insertUsers, newPool as poolIn, race as raceOn, values } from "./conformance.ts";
import * as f from "./fixtures.ts";

for (const backend of backends()) {
  describe(`storage conformance, tokens: ${backend.name}`, () => {
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
      test("signing keys: a second insert of one kid is ignored", async () => {
        const { poolId } = await newPool();
        const id = f.signingKey(poolId, "id");
        const access = f.signingKey(poolId, "access");
        await s.transaction(async (tx) => {
          await tx.tokens.insertSigningKey(id);
          await tx.tokens.insertSigningKey(access);
          await tx.tokens.insertSigningKey({ ...id, privateKeyPem: "other" });
        });
        const keys = await s.tokens.signingKeys(poolId);
        assert.deepEqual(
          keys,
          [id, access].sort((x, y) => byteOrder(x.kid, y.kid)),
        );
      });

      test("auth sessions: read without consuming, consumed once, expired ones are not handed out", async () => {
        const { poolId, clientId } = await newPool();
        const live = f.authSession(poolId, clientId, 2_000);
        const stale = f.authSession(poolId, clientId, 1_000);
        await s.transaction(async (tx) => {
          await tx.tokens.insertAuthSession(live);
          await tx.tokens.insertAuthSession(stale);
        });
        // Reading a session leaves it in place; an expired one is not handed out.
        assert.deepEqual(await s.tokens.getAuthSession(live.id, 1_500), live);
        assert.deepEqual(await s.transaction((tx) => tx.tokens.getAuthSession(live.id, 1_500)), live);
        assert.equal(await s.tokens.getAuthSession(live.id, 2_000), undefined);
        assert.equal(await s.tokens.getAuthSession(stale.id, 1_500), undefined);
        assert.deepEqual(await s.transaction((tx) => tx.tokens.consumeAuthSession(live.id, 1_500)), live);
        assert.equal(await s.transaction((tx) => tx.tokens.consumeAuthSession(live.id, 1_500)), undefined);
        assert.equal(await s.tokens.getAuthSession(live.id, 1_500), undefined);
        assert.equal(await s.transaction((tx) => tx.tokens.consumeAuthSession(stale.id, 1_500)), undefined);
        assert.equal(
          await s.transaction((tx) => tx.tokens.consumeAuthSession(stale.id, 500)),
          undefined,
          "gone",
        );
      });

      test("refresh tokens: rotation, revocation by sign-in and by user, purge", async () => {
        const { poolId, clientId } = await newPool();
        const u = f.user(poolId, "refresher");
        await insertUsers(s, [u]);
        const t1 = f.refreshToken(poolId, clientId, u.sub);
        const t2 = f.refreshToken(poolId, clientId, u.sub, { originJti: t1.originJti });
        const other = f.refreshToken(poolId, clientId, u.sub);
        await s.transaction(async (tx) => {
          await tx.tokens.insertRefreshToken(t1);
          await tx.tokens.insertRefreshToken(t2);
          await tx.tokens.insertRefreshToken(other);
        });
        assert.deepEqual(await s.tokens.getRefreshToken(t1.tokenHash), t1);
        assert.equal(await s.transaction((tx) => tx.tokens.replaceRefreshToken(t1.tokenHash, 10)), true);
        assert.equal(await s.transaction((tx) => tx.tokens.replaceRefreshToken(t1.tokenHash, 11)), false);
        assert.equal((await s.tokens.getRefreshToken(t1.tokenHash))!.replacedAt, 10);
        assert.equal(await s.tokens.isOriginRevoked(poolId, t1.originJti), false);
        await s.transaction((tx) => tx.tokens.revokeOrigin(poolId, t1.originJti, 20));
        assert.equal(await s.tokens.isOriginRevoked(poolId, t1.originJti), true);
        assert.equal((await s.tokens.getRefreshToken(t2.tokenHash))!.revokedAt, 20);
        assert.equal(await s.tokens.isOriginRevoked(poolId, other.originJti), false);
        await s.transaction((tx) => tx.tokens.revokeUserTokens(poolId, u.sub, 30));
        assert.equal((await s.tokens.getRefreshToken(other.tokenHash))!.revokedAt, 30);
        assert.equal(
          (await s.tokens.getRefreshToken(t1.tokenHash))!.revokedAt,
          20,
          "an earlier revocation stays",
        );
      });

      test("purgeExpired removes sessions and codes at expiry, refresh tokens a day later", async () => {
        const { poolId, clientId } = await newPool();
        const u = f.user(poolId, "purged");
        await insertUsers(s, [u]);
        const now = 1_750_000_000_000;
        const session = f.authSession(poolId, clientId, now - 1);
        const keptSession = f.authSession(poolId, clientId, now + 60_000);
        const recent = f.refreshToken(poolId, clientId, u.sub, { expiresAt: now - 1 });
        const old = f.refreshToken(poolId, clientId, u.sub, { expiresAt: now - 86_400_001 });
        await s.transaction(async (tx) => {
          await tx.tokens.insertAuthSession(session);
          await tx.tokens.insertAuthSession(keptSession);
          await tx.codes.putCode(f.code(poolId, u.sub, "signup", "h", now - 1));
          await tx.codes.putCode(f.code(poolId, u.sub, "forgot_password", "h", now + 1));
          await tx.tokens.insertRefreshToken(recent);
          await tx.tokens.insertRefreshToken(old);
        });
        await s.transaction((tx) => tx.tokens.purgeExpired(now));
        assert.equal(await s.codes.getCode(poolId, u.sub, "signup"), undefined);
        assert.ok(await s.codes.getCode(poolId, u.sub, "forgot_password"));
        assert.ok(await s.tokens.getRefreshToken(recent.tokenHash));
        assert.equal(await s.tokens.getRefreshToken(old.tokenHash), undefined);
        assert.equal(await s.transaction((tx) => tx.tokens.consumeAuthSession(session.id, 0)), undefined);
        assert.ok(await s.transaction((tx) => tx.tokens.consumeAuthSession(keptSession.id, 0)));
      });
    });

    describe("concurrency", () => {
      /** Runs fn N times at once, alternating between the two instances. */
      const race = <T>(fn: (storage: Storage, i: number) => Promise<T>) => raceOn(db, fn);
      test("an auth session is consumed by exactly one of several concurrent callers", async () => {
        const { poolId, clientId } = await newPool();
        const session = f.authSession(poolId, clientId, Number.MAX_SAFE_INTEGER);
        await s.transaction((tx) => tx.tokens.insertAuthSession(session));
        const got = values(
          await race((st) => st.transaction((tx) => tx.tokens.consumeAuthSession(session.id, 0))),
        );
        assert.equal(got.filter((g) => g !== undefined).length, 1);
      });

      test("a refresh token is rotated by exactly one of several concurrent callers", async () => {
        const { poolId, clientId } = await newPool();
        const u = f.user(poolId, "rotator");
        await insertUsers(s, [u]);
        const token = f.refreshToken(poolId, clientId, u.sub);
        await s.transaction((tx) => tx.tokens.insertRefreshToken(token));
        const won = values(
          await race((st, i) => st.transaction((tx) => tx.tokens.replaceRefreshToken(token.tokenHash, i))),
        );
        assert.equal(won.filter(Boolean).length, 1);
      });

      test("a pool's signing keys are created once when several instances find none at once", async () => {
        const { poolId } = await newPool();
        // The key ring's check-then-insert (src/domain/tokens/keys.ts), on both instances at once.
        values(
          await race((st) =>
            st.transaction(async (tx) => {
              if ((await tx.tokens.signingKeys(poolId)).length > 0) return;
              await new Promise((r) => setTimeout(r, 5));
              await tx.tokens.insertSigningKey(f.signingKey(poolId, "id"));
              await tx.tokens.insertSigningKey(f.signingKey(poolId, "access"));
            }),
          ),
        );
        assert.equal((await s.tokens.signingKeys(poolId)).length, 2);
      });
    });
  });
}
