/** The storage contract, checked on every backend: user sessions and session settings (src/storage/contract/sessions.ts). */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { UserSessionRecord } from "../../src/storage/records.ts";
import type { Storage } from "../../src/storage/storage.ts";
import { backends, type Opened } from "./backends.ts";
import { insertUsers, newPool as poolIn } from "./conformance.ts";
import * as f from "./fixtures.ts";

function session(poolId: string, sub: string, overrides: Partial<UserSessionRecord> = {}): UserSessionRecord {
  return {
    poolId,
    sessionId: `tkn${f
      .unique()
      .replace(/[^a-z0-9]/g, "")
      .padEnd(25, "0")
      .slice(0, 25)}`,
    sub,
    type: "TOKEN",
    clientId: "client1",
    createdAt: 1_700_000_000_000,
    lastActiveAt: 1_700_000_000_000,
    expiresAt: 1_800_000_000_000,
    ...overrides,
  };
}

for (const backend of backends()) {
  describe(`storage conformance, sessions: ${backend.name}`, () => {
    let db: Opened;
    let s: Storage;
    before(async () => {
      db = await backend.open();
      s = db.storage;
    });
    after(() => db.close());

    test("settings: absent, put, replaced; per pool and client", async () => {
      const { poolId, clientId } = await poolIn(s);
      assert.equal(await s.sessions.getSessionSettings(poolId, ""), undefined);
      await s.transaction((tx) =>
        tx.sessions.putSessionSettings(poolId, "", { UserSessionTracking: "ENABLED", MaxPerUser: 3 }),
      );
      await s.transaction((tx) =>
        tx.sessions.putSessionSettings(poolId, clientId, { MaxValidityMinutes: 0 }),
      );
      await s.transaction((tx) =>
        tx.sessions.putSessionSettings(poolId, "", { UserSessionTracking: "DISABLED", MaxPerUser: 20 }),
      );
      assert.deepEqual(await s.sessions.getSessionSettings(poolId, ""), {
        UserSessionTracking: "DISABLED",
        MaxPerUser: 20,
      });
      assert.deepEqual(await s.sessions.getSessionSettings(poolId, clientId), { MaxValidityMinutes: 0 });
      await s.transaction((tx) => tx.pools.deletePool(poolId));
      assert.equal(await s.sessions.getSessionSettings(poolId, ""), undefined);
    });

    test("sessions: round trip, by origin, live ones listed oldest first, linked, deleted with the user", async () => {
      const { poolId } = await poolIn(s);
      const u = f.user(poolId, "owner");
      const other = f.user(poolId, "other");
      await insertUsers(s, [u, other]);
      const sso = session(poolId, u.sub, { type: "SSO", sessionId: "sso" + "a".repeat(25), createdAt: 1 });
      const full = session(poolId, u.sub, {
        originJti: "origin-1",
        originSessionId: sso.sessionId,
        createdAt: 2,
        deviceType: "Chrome 125 / Linux",
        lastIp: "192.0.2.1",
      });
      const expired = session(poolId, u.sub, { createdAt: 3, expiresAt: 1_000 });
      const theirs = session(poolId, other.sub, { originJti: "origin-2" });
      await s.transaction(async (tx) => {
        for (const x of [full, sso, expired, theirs]) await tx.sessions.insertUserSession(x);
      });
      assert.deepEqual(await s.sessions.getUserSession(poolId, full.sessionId), full);
      assert.deepEqual(await s.sessions.getSessionByOrigin(poolId, "origin-1"), full);
      assert.deepEqual(
        (await s.sessions.listUserSessions(poolId, u.sub, 5_000)).map((x) => x.sessionId),
        [sso.sessionId, full.sessionId],
      );
      assert.deepEqual(
        (await s.sessions.listLinkedSessions(poolId, sso.sessionId)).map((x) => x.sessionId),
        [full.sessionId],
      );
      const touched = { ...full, lastActiveAt: 9, expiresAt: 1_900_000_000_000, lastIp: "198.51.100.7" };
      await s.transaction((tx) => tx.sessions.updateUserSession(touched));
      assert.deepEqual(await s.sessions.getUserSession(poolId, full.sessionId), touched);
      await s.transaction((tx) => tx.sessions.deleteUserSession(poolId, sso.sessionId));
      assert.equal(await s.sessions.getUserSession(poolId, sso.sessionId), undefined);
      await s.transaction((tx) => tx.sessions.deleteUserSessions(poolId, u.sub));
      assert.deepEqual(await s.sessions.listUserSessions(poolId, u.sub, 0), []);
      assert.equal((await s.sessions.listUserSessions(poolId, other.sub, 0)).length, 1);
      await s.transaction((tx) => tx.users.deleteUser(poolId, other.sub));
      assert.equal(await s.sessions.getSessionByOrigin(poolId, "origin-2"), undefined);
    });
  });
}
