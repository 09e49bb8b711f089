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
          await tx.pools.insertPool(a);
          await tx.pools.insertPool(b);
        });
        assert.deepEqual(await s.pools.getPool(a.id), a);
        assert.deepEqual(await s.pools.getPool(b.id), b);
        const updated = { ...a, name: "renamed", updatedAt: a.updatedAt + 1, tags: { x: "y" } };
        await s.transaction((tx) => tx.pools.updatePool(updated));
        assert.deepEqual(await s.pools.getPool(a.id), updated);
        const eu = await all((after) => s.pools.listPools("eu-west-1", 2, after));
        assert.ok(eu.some((p) => p.id === b.id));
        assert.ok(eu.every((p) => p.region === "eu-west-1"));
        await assert.rejects(
          s.transaction((tx) => tx.pools.insertPool(f.pool({ id: a.id }))),
          DuplicateKeyError,
        );
        await s.transaction((tx) => tx.pools.deletePool(b.id));
        assert.equal(await s.pools.getPool(b.id), undefined);
        assert.equal(await s.pools.getPool("us-east-1_missing"), undefined);
      });

      test("clients and client secrets", async () => {
        const { poolId, clientId } = await newPool();
        const c = (await s.pools.getClient(poolId, clientId))!;
        assert.deepEqual(await s.pools.getClientById(clientId), c);
        const extra = f.client(poolId, { name: "second" });
        await s.transaction(async (tx) => {
          await tx.pools.insertClient(extra);
          await tx.pools.updateClient({ ...c, name: "renamed", settings: { RefreshTokenValidity: 5 } });
          await tx.pools.insertClientSecret({
            poolId,
            clientId,
            secretId: "s2",
            secret: "two",
            createdAt: 2,
          });
          await tx.pools.insertClientSecret({
            poolId,
            clientId,
            secretId: "s1",
            secret: "one",
            createdAt: 1,
          });
        });
        assert.equal((await s.pools.getClient(poolId, clientId))!.name, "renamed");
        assert.deepEqual((await s.pools.getClient(poolId, clientId))!.settings, { RefreshTokenValidity: 5 });
        assert.deepEqual(
          (await all((after) => s.pools.listClients(poolId, 1, after))).map((x) => x.clientId),
          [clientId, extra.clientId],
        );
        assert.deepEqual(
          (await s.pools.listClientSecrets(poolId, clientId)).map((x) => [x.secretId, x.secret, x.createdAt]),
          [
            ["s1", "one", 1],
            ["s2", "two", 2],
          ],
        );
        await assert.rejects(
          s.transaction((tx) => tx.pools.insertClient({ ...extra })),
          DuplicateKeyError,
        );
        assert.equal(await s.transaction((tx) => tx.pools.deleteClientSecret(poolId, clientId, "s1")), true);
        assert.equal(await s.transaction((tx) => tx.pools.deleteClientSecret(poolId, clientId, "s1")), false);
        await s.transaction((tx) => tx.pools.deleteClient(poolId, clientId));
        assert.equal(await s.pools.getClientById(clientId), undefined);
        assert.deepEqual(await s.pools.listClientSecrets(poolId, clientId), []);
      });

      test("deleting a pool deletes everything in it", async () => {
        const { poolId, clientId } = await newPool();
        const u = f.user(poolId, "gone");
        await insertUsers(s, [u]);
        const token = f.refreshToken(poolId, clientId, u.sub);
        const session = f.authSession(poolId, clientId, Number.MAX_SAFE_INTEGER);
        await s.transaction(async (tx) => {
          await tx.pools.insertClientSecret({ poolId, clientId, secretId: "s", secret: "x", createdAt: 1 });
          await tx.groups.insertGroup(f.group(poolId, "g"));
          await tx.groups.addUserToGroup(poolId, "g", u.sub);
          await tx.tokens.insertSigningKey(f.signingKey(poolId, "id"));
          await tx.tokens.insertAuthSession(session);
          await tx.codes.putCode(f.code(poolId, u.sub, "signup", "h", Number.MAX_SAFE_INTEGER));
          await tx.tokens.insertRefreshToken(token);
          await tx.federation.insertIdentityProvider(f.identityProvider(poolId, "Idp", ["idp"]));
        });
        await s.transaction((tx) => tx.pools.deletePool(poolId));
        assert.equal(await s.pools.getPool(poolId), undefined);
        assert.equal(await s.pools.getClientById(clientId), undefined);
        assert.deepEqual(await s.pools.listClientSecrets(poolId, clientId), []);
        assert.equal(await s.users.getUserBySub(poolId, u.sub), undefined);
        assert.equal(await s.groups.getGroup(poolId, "g"), undefined);
        assert.deepEqual(await s.tokens.signingKeys(poolId), []);
        assert.equal(await s.codes.getCode(poolId, u.sub, "signup"), undefined);
        assert.equal(await s.tokens.getRefreshToken(token.tokenHash), undefined);
        assert.equal(await s.federation.getIdentityProvider(poolId, "Idp"), undefined);
        assert.equal(await s.transaction((tx) => tx.tokens.consumeAuthSession(session.id, 0)), undefined);
      });

      test("many lookups at once each get their own answer", async () => {
        const { poolId, clientId } = await newPool();
        const other = await newPool();
        const users = Array.from({ length: 30 }, (_, i) => f.user(poolId, `many${i}`));
        await insertUsers(s, users);
        const found = await Promise.all([
          ...users.map((u) => s.users.getUser(poolId, u.usernameKey)),
          ...users.map((u) => s.users.getUserBySub(poolId, u.sub)),
          s.users.getUser(poolId, "nobody"),
          s.users.getUser(other.poolId, users[0]!.usernameKey),
          s.users.getUserBySub(other.poolId, users[0]!.sub),
          s.pools.getPool(poolId),
          s.pools.getPool(other.poolId),
          s.pools.getPool("us-east-1_nothere"),
          s.pools.getClient(poolId, clientId),
          s.pools.getClient(other.poolId, clientId),
          s.pools.getClientById(other.clientId),
          s.pools.getClientById("nothere"),
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
        const [x, y] = await Promise.all([s.pools.getPool(poolId), s.pools.getPool(poolId)]);
        assert.deepEqual(x, y);
      });
    });
  });
}
