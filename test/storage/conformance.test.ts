/**
 * The storage contract (src/storage/storage.ts), checked on every backend: SQLite always,
 * PostgreSQL when LANYARD_TEST_POSTGRES_URL is set (scripts/test.ts sets it).
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { InvalidCursorError } from "../../src/storage/cursor.ts";
import type { UserRecord } from "../../src/storage/records.ts";
import { DuplicateKeyError, type Page, type Storage, type UserFilter } from "../../src/storage/storage.ts";
import { testPostgresUrl } from "../support/postgres.ts";
import { backends, type Opened } from "./backends.ts";
import * as f from "./fixtures.ts";

if (!testPostgresUrl())
  test("storage conformance on PostgreSQL", { skip: "LANYARD_TEST_POSTGRES_URL is not set" }, () => {});

/** Every item of a listing, following `next` cursors. */
async function all<T>(list: (after?: string) => Promise<Page<T>>): Promise<T[]> {
  const out: T[] = [];
  let after: string | undefined;
  do {
    const page = await list(after);
    out.push(...page.items);
    after = page.next;
  } while (after);
  return out;
}

/** Byte order of UTF-8, as both backends compare text keys. */
function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

async function insertUsers(s: Storage, users: UserRecord[]): Promise<void> {
  await s.transaction(async (tx) => {
    for (const u of users) await tx.insertUser(u);
  });
}

for (const backend of backends()) {
  describe(`storage conformance: ${backend.name}`, () => {
    let db: Opened;
    let s: Storage;
    before(async () => {
      db = await backend.open();
      s = db.storage;
    });
    after(() => db.close());

    /** A new pool (with one app client) for one test. */
    async function newPool(): Promise<{ poolId: string; clientId: string }> {
      const p = f.pool();
      const c = f.client(p.id);
      await s.transaction(async (tx) => {
        await tx.insertPool(p);
        await tx.insertClient(c);
      });
      return { poolId: p.id, clientId: c.clientId };
    }

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

      test("users: every field survives, lookups by username, sub and alias, user count", async () => {
        const { poolId } = await newPool();
        const u = f.fullUser(poolId, "Alice");
        await insertUsers(s, [u]);
        assert.deepEqual(await s.getUser(poolId, "alice"), u);
        assert.deepEqual(await s.getUserBySub(poolId, u.sub), u);
        assert.deepEqual(await s.findUsersByAlias(poolId, "email", "alice@example.com"), [u]);
        assert.deepEqual(await s.findUsersByAlias(poolId, "email", "ALICE@EXAMPLE.COM"), [u]);
        assert.deepEqual(await s.findUsersByAlias(poolId, "preferred_username", "pref-alice"), [u]);
        assert.deepEqual(await s.findUsersByAlias(poolId, "phone_number", "+15550100"), [u]);
        assert.equal((await s.getPool(poolId))!.userCount, 1);

        const minimal = f.user(poolId, "bob");
        await insertUsers(s, [minimal]);
        assert.deepEqual(await s.getUser(poolId, "bob"), minimal, "no optional field appears from nowhere");

        const changed: UserRecord = {
          ...u,
          status: "RESET_REQUIRED",
          enabled: false,
          attributes: { email: "new@example.com", given_name: "Alicia" },
          updatedAt: u.updatedAt + 10,
        };
        delete changed.tokensValidAfter;
        delete changed.passwordHistory;
        await s.transaction((tx) => tx.updateUser(changed));
        assert.deepEqual(await s.getUserBySub(poolId, u.sub), changed);
        assert.deepEqual(await s.findUsersByAlias(poolId, "email", "alice@example.com"), []);
        assert.deepEqual(await s.findUsersByAlias(poolId, "email", "NEW@example.com"), [changed]);

        await s.transaction((tx) => tx.deleteUser(poolId, u.sub));
        await s.transaction((tx) => tx.deleteUser(poolId, u.sub));
        assert.equal(await s.getUser(poolId, "alice"), undefined);
        assert.equal((await s.getPool(poolId))!.userCount, 1, "counted once per user actually deleted");
      });

      test("insertUsers: many users at once, in order, counted; a taken username or sub is refused", async () => {
        const { poolId } = await newPool();
        const full = f.fullUser(poolId, "Zed");
        const many = [full, ...Array.from({ length: 30 }, (_, i) => f.user(poolId, `bulk${i}`))];
        await s.transaction((tx) => tx.insertUsers(many));
        assert.deepEqual(await s.getUser(poolId, "zed"), full, "every field survives");
        assert.deepEqual(await s.getUser(poolId, "bulk7"), many[8]);
        assert.equal((await s.getPool(poolId))!.userCount, many.length);
        const listed = await all((after) => s.listUsers(poolId, 7, undefined, after));
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
            s.transaction((tx) => tx.insertUsers(users)),
            DuplicateKeyError,
          );
        for (const name of ["new1", "new2", "new3", "new4"])
          assert.equal(await s.getUser(poolId, name), undefined);
        assert.equal((await s.getPool(poolId))!.userCount, many.length);
      });

      test("groups and memberships", async () => {
        const { poolId } = await newPool();
        const [a, b] = [f.user(poolId, "a"), f.user(poolId, "b")];
        await insertUsers(s, [a, b]);
        const g1 = f.group(poolId, "readers");
        const g2 = f.group(poolId, "admins", {
          description: undefined,
          roleArn: undefined,
          precedence: undefined,
        });
        delete g2.description;
        delete g2.roleArn;
        delete g2.precedence;
        await s.transaction(async (tx) => {
          await tx.insertGroup(g1);
          await tx.insertGroup(g2);
          assert.equal(await tx.addUserToGroup(poolId, "readers", a.sub), true);
          assert.equal(await tx.addUserToGroup(poolId, "readers", a.sub), false);
          await tx.addUserToGroup(poolId, "readers", b.sub);
          await tx.addUserToGroup(poolId, "admins", a.sub);
        });
        assert.deepEqual(await s.getGroup(poolId, "readers"), g1);
        assert.deepEqual(await s.getGroup(poolId, "admins"), g2);
        assert.deepEqual(
          (await all((after) => s.listGroups(poolId, 1, after))).map((g) => g.name),
          ["admins", "readers"],
        );
        assert.deepEqual(
          (await all((after) => s.listGroupsForUser(poolId, a.sub, 1, after))).map((g) => g.name),
          ["admins", "readers"],
        );
        assert.deepEqual(
          (await all((after) => s.listUsersInGroup(poolId, "readers", 1, after))).map((u) => u.sub),
          [a.sub, b.sub].sort(byteOrder),
        );
        await assert.rejects(
          s.transaction((tx) => tx.insertGroup(f.group(poolId, "readers"))),
          DuplicateKeyError,
        );
        await s.transaction((tx) => tx.updateGroup({ ...g1, precedence: 1, updatedAt: 5 }));
        assert.equal((await s.getGroup(poolId, "readers"))!.precedence, 1);
        assert.equal(await s.transaction((tx) => tx.removeUserFromGroup(poolId, "readers", a.sub)), true);
        assert.equal(await s.transaction((tx) => tx.removeUserFromGroup(poolId, "readers", a.sub)), false);
        await s.transaction((tx) => tx.deleteGroup(poolId, "admins"));
        assert.deepEqual(await s.listGroupsForUser(poolId, a.sub, 10), { items: [] });
        await s.transaction((tx) => tx.deleteUser(poolId, b.sub));
        assert.deepEqual(await s.listUsersInGroup(poolId, "readers", 10), { items: [] });
      });

      test("signing keys: a second insert of one kid is ignored", async () => {
        const { poolId } = await newPool();
        const id = f.signingKey(poolId, "id");
        const access = f.signingKey(poolId, "access");
        await s.transaction(async (tx) => {
          await tx.insertSigningKey(id);
          await tx.insertSigningKey(access);
          await tx.insertSigningKey({ ...id, privateKeyPem: "other" });
        });
        const keys = await s.signingKeys(poolId);
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
          await tx.insertAuthSession(live);
          await tx.insertAuthSession(stale);
        });
        // Reading a session leaves it in place; an expired one is not handed out.
        assert.deepEqual(await s.getAuthSession(live.id, 1_500), live);
        assert.deepEqual(await s.transaction((tx) => tx.getAuthSession(live.id, 1_500)), live);
        assert.equal(await s.getAuthSession(live.id, 2_000), undefined);
        assert.equal(await s.getAuthSession(stale.id, 1_500), undefined);
        assert.deepEqual(await s.transaction((tx) => tx.consumeAuthSession(live.id, 1_500)), live);
        assert.equal(await s.transaction((tx) => tx.consumeAuthSession(live.id, 1_500)), undefined);
        assert.equal(await s.getAuthSession(live.id, 1_500), undefined);
        assert.equal(await s.transaction((tx) => tx.consumeAuthSession(stale.id, 1_500)), undefined);
        assert.equal(await s.transaction((tx) => tx.consumeAuthSession(stale.id, 500)), undefined, "gone");
      });

      test("codes: replace, count attempts, consume by hash, delete", async () => {
        const { poolId } = await newPool();
        const u = f.user(poolId, "coder");
        await insertUsers(s, [u]);
        await s.transaction((tx) => tx.putCode(f.code(poolId, u.sub, "signup", "h1", 5_000)));
        await s.transaction((tx) =>
          tx.putCode({ ...f.code(poolId, u.sub, "signup", "h2", 6_000), attempts: 1 }),
        );
        assert.deepEqual(await s.getCode(poolId, u.sub, "signup"), {
          ...f.code(poolId, u.sub, "signup", "h2", 6_000),
          attempts: 1,
        });
        assert.equal(await s.transaction((tx) => tx.countCodeAttempt(poolId, u.sub, "signup")), 2);
        assert.equal(await s.transaction((tx) => tx.countCodeAttempt(poolId, u.sub, "nothing")), 0);
        assert.equal(await s.transaction((tx) => tx.consumeCode(poolId, u.sub, "signup", "h1")), false);
        assert.equal(await s.transaction((tx) => tx.consumeCode(poolId, u.sub, "signup", "h2")), true);
        assert.equal(await s.getCode(poolId, u.sub, "signup"), undefined);
        await s.transaction((tx) => tx.putCode(f.code(poolId, u.sub, "verify:email", "h3", 6_000)));
        await s.transaction((tx) => tx.deleteCode(poolId, u.sub, "verify:email"));
        assert.equal(await s.getCode(poolId, u.sub, "verify:email"), undefined);
      });

      test("refresh tokens: rotation, revocation by sign-in and by user, purge", async () => {
        const { poolId, clientId } = await newPool();
        const u = f.user(poolId, "refresher");
        await insertUsers(s, [u]);
        const t1 = f.refreshToken(poolId, clientId, u.sub);
        const t2 = f.refreshToken(poolId, clientId, u.sub, { originJti: t1.originJti });
        const other = f.refreshToken(poolId, clientId, u.sub);
        await s.transaction(async (tx) => {
          await tx.insertRefreshToken(t1);
          await tx.insertRefreshToken(t2);
          await tx.insertRefreshToken(other);
        });
        assert.deepEqual(await s.getRefreshToken(t1.tokenHash), t1);
        assert.equal(await s.transaction((tx) => tx.replaceRefreshToken(t1.tokenHash, 10)), true);
        assert.equal(await s.transaction((tx) => tx.replaceRefreshToken(t1.tokenHash, 11)), false);
        assert.equal((await s.getRefreshToken(t1.tokenHash))!.replacedAt, 10);
        assert.equal(await s.isOriginRevoked(poolId, t1.originJti), false);
        await s.transaction((tx) => tx.revokeOrigin(poolId, t1.originJti, 20));
        assert.equal(await s.isOriginRevoked(poolId, t1.originJti), true);
        assert.equal((await s.getRefreshToken(t2.tokenHash))!.revokedAt, 20);
        assert.equal(await s.isOriginRevoked(poolId, other.originJti), false);
        await s.transaction((tx) => tx.revokeUserTokens(poolId, u.sub, 30));
        assert.equal((await s.getRefreshToken(other.tokenHash))!.revokedAt, 30);
        assert.equal((await s.getRefreshToken(t1.tokenHash))!.revokedAt, 20, "an earlier revocation stays");
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
          await tx.insertAuthSession(session);
          await tx.insertAuthSession(keptSession);
          await tx.putCode(f.code(poolId, u.sub, "signup", "h", now - 1));
          await tx.putCode(f.code(poolId, u.sub, "forgot_password", "h", now + 1));
          await tx.insertRefreshToken(recent);
          await tx.insertRefreshToken(old);
        });
        await s.transaction((tx) => tx.purgeExpired(now));
        assert.equal(await s.getCode(poolId, u.sub, "signup"), undefined);
        assert.ok(await s.getCode(poolId, u.sub, "forgot_password"));
        assert.ok(await s.getRefreshToken(recent.tokenHash));
        assert.equal(await s.getRefreshToken(old.tokenHash), undefined);
        assert.equal(await s.transaction((tx) => tx.consumeAuthSession(session.id, 0)), undefined);
        assert.ok(await s.transaction((tx) => tx.consumeAuthSession(keptSession.id, 0)));
      });

      test("identity providers and identity links", async () => {
        const { poolId } = await newPool();
        const u = f.user(poolId, "linked");
        await insertUsers(s, [u]);
        const a = f.identityProvider(poolId, "Corp", ["corp.example", "corp"]);
        const b = f.identityProvider(poolId, "Other", []);
        delete b.acrMapping;
        delete b.samlMetadata;
        await s.transaction(async (tx) => {
          await tx.insertIdentityProvider(a);
          await tx.insertIdentityProvider(b);
        });
        assert.deepEqual(await s.getIdentityProvider(poolId, "Corp"), a);
        assert.deepEqual(await s.getIdentityProvider(poolId, "Other"), b);
        assert.deepEqual(await s.getIdentityProviderByIdentifier(poolId, "corp"), a);
        assert.deepEqual(
          (await all((after) => s.listIdentityProviders(poolId, 1, after))).map((p) => p.providerName),
          ["Corp", "Other"],
        );
        await assert.rejects(
          s.transaction((tx) => tx.insertIdentityProvider(f.identityProvider(poolId, "Third", ["corp"]))),
          DuplicateKeyError,
        );
        await assert.rejects(
          s.transaction((tx) => tx.updateIdentityProvider({ ...b, idpIdentifiers: ["corp.example"] })),
          DuplicateKeyError,
        );
        await s.transaction((tx) =>
          tx.updateIdentityProvider({ ...a, idpIdentifiers: ["corp2"], updatedAt: 1 }),
        );
        assert.deepEqual((await s.getIdentityProvider(poolId, "Corp"))!.idpIdentifiers, ["corp2"]);
        assert.equal(await s.getIdentityProviderByIdentifier(poolId, "corp"), undefined);

        const link = {
          poolId,
          providerName: "Corp",
          attributeName: "Cognito_Subject",
          attributeValue: "idp-sub-1",
          sub: u.sub,
          createdAt: 5,
        };
        await s.transaction((tx) => tx.insertIdentityLink(link));
        await assert.rejects(
          s.transaction((tx) => tx.insertIdentityLink({ ...link })),
          DuplicateKeyError,
        );
        assert.deepEqual(await s.getIdentityLink(poolId, "Corp", "Cognito_Subject", "idp-sub-1"), link);
        assert.deepEqual(await s.identityLinksOfUser(poolId, u.sub), [link]);
        assert.equal(
          await s.transaction((tx) => tx.deleteIdentityLink(poolId, "Corp", "Cognito_Subject", "idp-sub-1")),
          true,
        );
        await s.transaction((tx) => tx.insertIdentityLink(link));
        await s.transaction((tx) => tx.deleteIdentityProvider(poolId, "Corp"));
        assert.equal(await s.getIdentityProvider(poolId, "Corp"), undefined);
        assert.deepEqual(await s.identityLinksOfUser(poolId, u.sub), [], "links go with their provider");
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

    describe("counters", () => {
      test("a counter never written reads as none; written, it reads back; purged after expiry", async () => {
        const { poolId } = await newPool();
        const none = await s.transaction((tx) => tx.lockCounter(poolId, "k"));
        assert.deepEqual(none, { poolId, key: "k", count: 0, since: 0, expiresAt: 0 });
        const c = { poolId, key: "k", count: 3, since: 10, lockedUntil: 20, expiresAt: 30 };
        await s.transaction((tx) => tx.putCounter(c));
        assert.deepEqual(await s.transaction((tx) => tx.lockCounter(poolId, "k")), c);
        const { lockedUntil: _, ...unlocked } = c;
        await s.transaction((tx) => tx.putCounter({ ...unlocked, count: 4 }));
        assert.deepEqual(await s.transaction((tx) => tx.lockCounter(poolId, "k")), { ...unlocked, count: 4 });
        await s.transaction((tx) => tx.purgeExpired(30));
        assert.equal((await s.transaction((tx) => tx.lockCounter(poolId, "k"))).count, 0);
        await s.transaction((tx) => tx.putCounter(c));
        await s.transaction((tx) => tx.deleteCounter(poolId, "k"));
        assert.equal((await s.transaction((tx) => tx.lockCounter(poolId, "k"))).count, 0);
      });
    });

    describe("transactions", () => {
      test("a transaction that throws leaves nothing behind", async () => {
        const p = f.pool();
        const u = f.user(p.id, "ghost");
        await assert.rejects(
          s.transaction(async (tx) => {
            await tx.insertPool(p);
            await tx.insertUser(u);
            assert.ok(await tx.getUser(p.id, "ghost"), "a transaction sees its own writes");
            throw new Error("boom");
          }),
          /boom/,
        );
        assert.equal(await s.getPool(p.id), undefined);
        assert.equal(await s.getUser(p.id, "ghost"), undefined);
      });

      test("reads outside a transaction never see its uncommitted writes", async () => {
        const p = f.pool();
        let during: unknown = "not read";
        await s.transaction(async (tx) => {
          await tx.insertPool(p);
          // SQLite makes the read wait for the commit; PostgreSQL answers from committed data.
          const read = db.peer.getPool(p.id).then((r) => {
            during = r;
          });
          await Promise.race([read, new Promise((r) => setTimeout(r, 200))]);
          if (during !== "not read") assert.equal(during, undefined);
        });
        assert.deepEqual(await s.getPool(p.id), p);
      });

      test("a transaction goes on after a DuplicateKeyError it caught", async () => {
        const { poolId } = await newPool();
        const first = f.user(poolId, "taken");
        await insertUsers(s, [first]);
        const other = f.user(poolId, "free");
        await s.transaction(async (tx) => {
          await assert.rejects(tx.insertUser(f.user(poolId, "taken")), DuplicateKeyError);
          await assert.rejects(
            tx.insertUser({ ...f.user(poolId, "fresh"), sub: first.sub }),
            DuplicateKeyError,
          );
          await tx.insertUser(other);
        });
        assert.deepEqual(await s.getUser(poolId, "free"), other);
        assert.equal(await s.getUser(poolId, "fresh"), undefined);
        assert.equal((await s.getPool(poolId))!.userCount, 2);
      });

      test("an invalid pagination cursor is refused", async () => {
        const { poolId } = await newPool();
        await assert.rejects(s.listUsers(poolId, 10, undefined, "not-a-cursor"), InvalidCursorError);
        await assert.rejects(
          s.listUsers(poolId, 10, { attribute: "email", op: "=", value: "x" }, "WzFd"),
          InvalidCursorError,
        );
      });
    });

    describe("concurrency", () => {
      const N = 8;
      /** Runs fn N times at once, alternating between the two instances. */
      function race<T>(fn: (storage: Storage, i: number) => Promise<T>): Promise<PromiseSettledResult<T>[]> {
        return Promise.allSettled(Array.from({ length: N }, (_, i) => fn(i % 2 ? db.peer : s, i)));
      }
      const values = <T>(results: PromiseSettledResult<T>[]): T[] =>
        results.map((r) => {
          if (r.status === "rejected") throw r.reason;
          return r.value;
        });

      test("a code is consumed by exactly one of several concurrent callers", async () => {
        const { poolId } = await newPool();
        const u = f.user(poolId, "code-race");
        await insertUsers(s, [u]);
        await s.transaction((tx) =>
          tx.putCode(f.code(poolId, u.sub, "signup", "hash", Number.MAX_SAFE_INTEGER)),
        );
        const won = values(
          await race((st) => st.transaction((tx) => tx.consumeCode(poolId, u.sub, "signup", "hash"))),
        );
        assert.equal(won.filter(Boolean).length, 1);
      });

      test("concurrent counts of one counter lose none, the very first included", async () => {
        const { poolId } = await newPool();
        values(
          await race((st) =>
            st.transaction(async (tx) => {
              const c = await tx.lockCounter(poolId, "sign-in:name:nobody");
              await new Promise((r) => setTimeout(r, 5));
              await tx.putCounter({ ...c, count: c.count + 1, expiresAt: Number.MAX_SAFE_INTEGER });
            }),
          ),
        );
        const after = await s.transaction((tx) => tx.lockCounter(poolId, "sign-in:name:nobody"));
        assert.equal(after.count, N);
      });

      test("an auth session is consumed by exactly one of several concurrent callers", async () => {
        const { poolId, clientId } = await newPool();
        const session = f.authSession(poolId, clientId, Number.MAX_SAFE_INTEGER);
        await s.transaction((tx) => tx.insertAuthSession(session));
        const got = values(await race((st) => st.transaction((tx) => tx.consumeAuthSession(session.id, 0))));
        assert.equal(got.filter((g) => g !== undefined).length, 1);
      });

      test("a refresh token is rotated by exactly one of several concurrent callers", async () => {
        const { poolId, clientId } = await newPool();
        const u = f.user(poolId, "rotator");
        await insertUsers(s, [u]);
        const token = f.refreshToken(poolId, clientId, u.sub);
        await s.transaction((tx) => tx.insertRefreshToken(token));
        const won = values(
          await race((st, i) => st.transaction((tx) => tx.replaceRefreshToken(token.tokenHash, i))),
        );
        assert.equal(won.filter(Boolean).length, 1);
      });

      test("of concurrent inserts of one username exactly one succeeds", async () => {
        const { poolId } = await newPool();
        const results = await race((st) => insertUsers(st, [f.user(poolId, "contested")]));
        assert.equal(results.filter((r) => r.status === "fulfilled").length, 1);
        for (const r of results)
          if (r.status === "rejected") assert.ok(r.reason instanceof DuplicateKeyError, String(r.reason));
        assert.equal((await s.getPool(poolId))!.userCount, 1);
      });

      test("of concurrent inserts of one sub exactly one succeeds", async () => {
        const { poolId } = await newPool();
        const sub = f.user(poolId, "x").sub;
        const results = await race((st, i) => insertUsers(st, [{ ...f.user(poolId, `sub-${i}`), sub }]));
        assert.equal(results.filter((r) => r.status === "fulfilled").length, 1);
        for (const r of results)
          if (r.status === "rejected") assert.ok(r.reason instanceof DuplicateKeyError, String(r.reason));
      });

      test("a pool's signing keys are created once when several instances find none at once", async () => {
        const { poolId } = await newPool();
        // The key ring's check-then-insert (src/domain/tokens/keys.ts), on both instances at once.
        values(
          await race((st) =>
            st.transaction(async (tx) => {
              if ((await tx.signingKeys(poolId)).length > 0) return;
              await new Promise((r) => setTimeout(r, 5));
              await tx.insertSigningKey(f.signingKey(poolId, "id"));
              await tx.insertSigningKey(f.signingKey(poolId, "access"));
            }),
          ),
        );
        assert.equal((await s.signingKeys(poolId)).length, 2);
      });

      test("concurrent read-modify-write transactions of one user lose no update", async () => {
        const { poolId } = await newPool();
        const u = f.user(poolId, "counted");
        await insertUsers(s, [u]);
        values(
          await race((st) =>
            st.transaction(async (tx) => {
              const current = (await tx.getUserBySub(poolId, u.sub))!;
              await new Promise((r) => setTimeout(r, 5));
              await tx.updateUser({ ...current, tokensValidAfter: (current.tokensValidAfter ?? 0) + 1 });
            }),
          ),
        );
        assert.equal((await s.getUserBySub(poolId, u.sub))!.tokensValidAfter, N);
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
              const page = await s.listUsers(poolId, 7, c.filter, after);
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
                  await tx.deleteUser(poolId, unseen.sub);
                }
                if (alreadySeen) {
                  deletedSeen.add(alreadySeen.username);
                  await tx.deleteUser(poolId, alreadySeen.sub);
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
          s.listUsers(poolId, 3, { attribute: "given_name", op: "^=", value: "n" }, after),
        );
        assert.deepEqual(
          prefix.map((u) => u.username),
          expected,
        );
        const umlaut = await all((after) =>
          s.listUsers(poolId, 2, { attribute: "given_name", op: "^=", value: "nä" }, after),
        );
        assert.deepEqual(
          umlaut.map((u) => u.attributes.given_name),
          ["nä", "nä", "näz", "nä\u0301"],
        );
        const exact = await s.listUsers(poolId, 10, { attribute: "given_name", op: "=", value: "nä" });
        assert.deepEqual(
          exact.items.map((u) => u.username),
          users.filter((u) => u.attributes.given_name === "nä").map((u) => u.username),
        );
        const emoji = await s.listUsers(poolId, 10, { attribute: "given_name", op: "^=", value: "n😀" });
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
          const first = await s.listUsers(poolId, 2, filter);
          const rest = await s.transaction(async (tx) => {
            const last = first.items[first.items.length - 1]!;
            await tx.deleteUser(poolId, last.sub);
            return last;
          });
          const next = await s.listUsers(poolId, 10, filter, first.next);
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
            await tx.insertGroup(f.group(poolId, "members"));
            await tx.insertGroup(f.group(poolId, "few"));
            for (const u of users) await tx.addUserToGroup(poolId, "members", u.sub);
            for (const u of users.slice(0, 3)) await tx.addUserToGroup(poolId, "few", u.sub);
          });
          pools[label] = { poolId, users };
          // A cursor in the middle of the pool, for a later page.
          let after: string | undefined;
          for (let seen = 0; seen < size / 2;) {
            const page = await s.listUsers(poolId, 60, undefined, after);
            seen += page.items.length;
            after = page.next;
          }
          pools[label].cursor = after;
        }
        await db.analyze();
      });

      const calls: { label: string; call: (st: Storage, p: (typeof pools)["big"]) => Promise<unknown> }[] = [
        { label: "getUser", call: (st, p) => st.getUser(p.poolId, "user77") },
        { label: "getUserBySub", call: (st, p) => st.getUserBySub(p.poolId, p.users[77]!.sub) },
        {
          label: "getUser and getUserBySub, 50 at once",
          call: (st, p) =>
            Promise.all(
              p.users
                .slice(100, 150)
                .flatMap((u) => [st.getUser(p.poolId, u.usernameKey), st.getUserBySub(p.poolId, u.sub)]),
            ),
        },
        {
          label: "getPool and getClientById, several at once",
          call: (st, p) =>
            Promise.all([
              st.getPool(p.poolId),
              st.getPool(pools.small.poolId),
              st.getClientById("x"),
              st.getClientById("y"),
            ]),
        },
        {
          label: "findUsersByAlias email",
          call: (st, p) => st.findUsersByAlias(p.poolId, "email", "user77@example.com"),
        },
        { label: "ListUsers first page", call: (st, p) => st.listUsers(p.poolId, 60) },
        { label: "ListUsers later page", call: (st, p) => st.listUsers(p.poolId, 60, undefined, p.cursor) },
        {
          label: "ListUsers email =",
          call: (st, p) =>
            st.listUsers(p.poolId, 60, { attribute: "email", op: "=", value: "user77@example.com" }),
        },
        {
          label: "ListUsers given_name ^= (many matches)",
          call: (st, p) => st.listUsers(p.poolId, 60, { attribute: "given_name", op: "^=", value: "Gr" }),
        },
        {
          label: "ListUsers username ^= then next page",
          call: async (st, p) => {
            const first = await st.listUsers(p.poolId, 5, {
              attribute: "username",
              op: "^=",
              value: "user1",
            });
            await st.listUsers(p.poolId, 5, { attribute: "username", op: "^=", value: "user1" }, first.next);
          },
        },
        {
          label: "ListUsers cognito:user_status = (every user matches)",
          call: (st, p) =>
            st.listUsers(p.poolId, 60, { attribute: "cognito:user_status", op: "=", value: "CONFIRMED" }),
        },
        {
          label: "ListUsersInGroup (every user)",
          call: (st, p) => st.listUsersInGroup(p.poolId, "members", 60),
        },
        {
          label: "ListUsersInGroup (a few users)",
          call: (st, p) => st.listUsersInGroup(p.poolId, "few", 60),
        },
        {
          label: "ListUsers cognito:user_status = (no user matches)",
          call: (st, p) =>
            st.listUsers(p.poolId, 60, { attribute: "cognito:user_status", op: "=", value: "UNCONFIRMED" }),
        },
        { label: "groups of a user", call: (st, p) => st.listGroupsForUser(p.poolId, p.users[3]!.sub, 60) },
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
