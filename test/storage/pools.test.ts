/** The storage contract, checked on every backend: Pools, app clients and client secrets (src/storage/contract/pools.ts), and a pool's deletion. */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { DuplicateKeyError, type Storage } from "../../src/storage/storage.ts";
import { backends, type Opened } from "./backends.ts";
import { all, insertUsers, newPool as poolIn } from "./conformance.ts";
import * as f from "./fixtures.ts";

for (const backend of backends()) {
  describe(`storage conformance, pools: ${backend.name}`, () => {
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
      test("pools: insert, get, update, list by region, delete", async () => {
        const a = f.pool();
        const b = f.pool({ region: "eu-west-1" });
        await s.transaction(async (tx) => {
          await tx.insertPool(a);
          await tx.insertPool(b);
        });
        assert.deepEqual(await s.getPool(a.id), a);
        assert.deepEqual(await s.getPool(b.id), b);
        const updated = { ...a, name: "renamed", updatedAt: a.updatedAt + 1, tags: { x: "y" } };
        await s.transaction((tx) => tx.updatePool(updated));
        assert.deepEqual(await s.getPool(a.id), updated);
        const eu = await all((after) => s.listPools("eu-west-1", 2, after));
        assert.ok(eu.some((p) => p.id === b.id));
        assert.ok(eu.every((p) => p.region === "eu-west-1"));
        await assert.rejects(
          s.transaction((tx) => tx.insertPool(f.pool({ id: a.id }))),
          DuplicateKeyError,
        );
        await s.transaction((tx) => tx.deletePool(b.id));
        assert.equal(await s.getPool(b.id), undefined);
        assert.equal(await s.getPool("us-east-1_missing"), undefined);
      });

      test("clients and client secrets", async () => {
        const { poolId, clientId } = await newPool();
        const c = (await s.getClient(poolId, clientId))!;
        assert.deepEqual(await s.getClientById(clientId), c);
        const extra = f.client(poolId, { name: "second" });
        await s.transaction(async (tx) => {
          await tx.insertClient(extra);
          await tx.updateClient({ ...c, name: "renamed", settings: { RefreshTokenValidity: 5 } });
          await tx.insertClientSecret({ poolId, clientId, secretId: "s2", secret: "two", createdAt: 2 });
          await tx.insertClientSecret({ poolId, clientId, secretId: "s1", secret: "one", createdAt: 1 });
        });
        assert.equal((await s.getClient(poolId, clientId))!.name, "renamed");
        assert.deepEqual((await s.getClient(poolId, clientId))!.settings, { RefreshTokenValidity: 5 });
        assert.deepEqual(
          (await all((after) => s.listClients(poolId, 1, after))).map((x) => x.clientId),
          [clientId, extra.clientId],
        );
        assert.deepEqual(
          (await s.listClientSecrets(poolId, clientId)).map((x) => [x.secretId, x.secret, x.createdAt]),
          [
            ["s1", "one", 1],
            ["s2", "two", 2],
          ],
        );
        await assert.rejects(
          s.transaction((tx) => tx.insertClient({ ...extra })),
          DuplicateKeyError,
        );
        assert.equal(await s.transaction((tx) => tx.deleteClientSecret(poolId, clientId, "s1")), true);
        assert.equal(await s.transaction((tx) => tx.deleteClientSecret(poolId, clientId, "s1")), false);
        await s.transaction((tx) => tx.deleteClient(poolId, clientId));
        assert.equal(await s.getClientById(clientId), undefined);
        assert.deepEqual(await s.listClientSecrets(poolId, clientId), []);
      });

      test("deleting a pool deletes everything in it", async () => {
        const { poolId, clientId } = await newPool();
        const u = f.user(poolId, "gone");
        await insertUsers(s, [u]);
        const token = f.refreshToken(poolId, clientId, u.sub);
        const session = f.authSession(poolId, clientId, Number.MAX_SAFE_INTEGER);
        await s.transaction(async (tx) => {
          await tx.insertClientSecret({ poolId, clientId, secretId: "s", secret: "x", createdAt: 1 });
          await tx.insertGroup(f.group(poolId, "g"));
          await tx.addUserToGroup(poolId, "g", u.sub);
          await tx.insertSigningKey(f.signingKey(poolId, "id"));
          await tx.insertAuthSession(session);
          await tx.putCode(f.code(poolId, u.sub, "signup", "h", Number.MAX_SAFE_INTEGER));
          await tx.insertRefreshToken(token);
          await tx.insertIdentityProvider(f.identityProvider(poolId, "Idp", ["idp"]));
        });
        await s.transaction((tx) => tx.deletePool(poolId));
        assert.equal(await s.getPool(poolId), undefined);
        assert.equal(await s.getClientById(clientId), undefined);
        assert.deepEqual(await s.listClientSecrets(poolId, clientId), []);
        assert.equal(await s.getUserBySub(poolId, u.sub), undefined);
        assert.equal(await s.getGroup(poolId, "g"), undefined);
        assert.deepEqual(await s.signingKeys(poolId), []);
        assert.equal(await s.getCode(poolId, u.sub, "signup"), undefined);
        assert.equal(await s.getRefreshToken(token.tokenHash), undefined);
        assert.equal(await s.getIdentityProvider(poolId, "Idp"), undefined);
        assert.equal(await s.transaction((tx) => tx.consumeAuthSession(session.id, 0)), undefined);
      });

      test("many lookups at once each get their own answer", async () => {
        const { poolId, clientId } = await newPool();
        const other = await newPool();
        const users = Array.from({ length: 30 }, (_, i) => f.user(poolId, `many${i}`));
        await insertUsers(s, users);
        const found = await Promise.all([
          ...users.map((u) => s.getUser(poolId, u.usernameKey)),
          ...users.map((u) => s.getUserBySub(poolId, u.sub)),
          s.getUser(poolId, "nobody"),
          s.getUser(other.poolId, users[0]!.usernameKey),
          s.getUserBySub(other.poolId, users[0]!.sub),
          s.getPool(poolId),
          s.getPool(other.poolId),
          s.getPool("us-east-1_nothere"),
          s.getClient(poolId, clientId),
          s.getClient(other.poolId, clientId),
          s.getClientById(other.clientId),
          s.getClientById("nothere"),
        ]);
        const n = users.length;
        assert.deepEqual(found.slice(0, n), users);
        assert.deepEqual(found.slice(n, 2 * n), users);
        const [
          nobody,
          wrongPool,
          wrongPoolSub,
          pool,
          otherPool,
          noPool,
          c,
          wrongClient,
          otherClient,
          noClient,
        ] = found.slice(2 * n);
        assert.equal(nobody, undefined);
        assert.equal(wrongPool, undefined);
        assert.equal(wrongPoolSub, undefined);
        assert.equal((pool as { id: string }).id, poolId);
        assert.equal((otherPool as { id: string }).id, other.poolId);
        assert.equal(noPool, undefined);
        assert.equal((c as { clientId: string }).clientId, clientId);
        assert.equal(wrongClient, undefined);
        assert.equal((otherClient as { poolId: string }).poolId, other.poolId);
        assert.equal(noClient, undefined);
        const [x, y] = await Promise.all([s.getPool(poolId), s.getPool(poolId)]);
        assert.deepEqual(x, y);
      });
    });
  });
}
