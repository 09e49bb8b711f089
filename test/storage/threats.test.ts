/** The storage contract, checked on every backend: threat protection (src/storage/contract/threats.ts). */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import type { AuthEventRecord, RiskConfigurationRecord } from "../../src/storage/records.ts";
import { DuplicateKeyError, type Storage } from "../../src/storage/storage.ts";
import { backends, type Opened } from "./backends.ts";
import { all, insertUsers, newPool as poolIn } from "./conformance.ts";
import * as f from "./fixtures.ts";

function event(
  poolId: string,
  sub: string,
  createdAt: number,
  overrides: Partial<AuthEventRecord> = {},
): AuthEventRecord {
  return {
    poolId,
    sub,
    eventId: randomUUID(),
    createdAt,
    data: {
      EventType: "SignIn",
      EventResponse: "Pass",
      EventRisk: { RiskDecision: "NoRisk" },
      ChallengeResponses: [{ ChallengeName: "Password", ChallengeResponse: "Success" }],
      EventContextData: { IpAddress: "192.0.2.1", DeviceName: "agent/1" },
      userAgent: "agent/1",
    },
    ...overrides,
  };
}

for (const backend of backends()) {
  describe(`storage conformance, threats: ${backend.name}`, () => {
    let db: Opened;
    let s: Storage;
    before(async () => {
      db = await backend.open();
      s = db.storage;
    });
    after(() => db.close());

    test("risk configurations: the pool's and a client's, replaced, deleted, gone with the pool", async () => {
      const { poolId, clientId } = await poolIn(s);
      const pool: RiskConfigurationRecord = {
        poolId,
        clientId: "",
        config: { RiskExceptionConfiguration: { BlockedIPRangeList: ["192.0.2.0/24"] } },
        updatedAt: 1_700_000_000_000,
      };
      const own: RiskConfigurationRecord = {
        poolId,
        clientId,
        config: { CompromisedCredentialsRiskConfiguration: { Actions: { EventAction: "BLOCK" } } },
        updatedAt: 1_700_000_000_100,
      };
      await s.transaction(async (tx) => {
        await tx.threats.putRiskConfiguration(pool);
        await tx.threats.putRiskConfiguration(own);
      });
      assert.deepEqual(await s.threats.getRiskConfiguration(poolId, ""), pool);
      assert.deepEqual(await s.threats.getRiskConfiguration(poolId, clientId), own);
      const replaced = { ...pool, config: {}, updatedAt: 1_700_000_000_200 };
      await s.transaction((tx) => tx.threats.putRiskConfiguration(replaced));
      assert.deepEqual(await s.threats.getRiskConfiguration(poolId, ""), replaced);
      assert.equal(await s.transaction((tx) => tx.threats.deleteRiskConfiguration(poolId, clientId)), true);
      assert.equal(await s.transaction((tx) => tx.threats.deleteRiskConfiguration(poolId, clientId)), false);
      assert.equal(await s.threats.getRiskConfiguration(poolId, clientId), undefined);
      await s.transaction((tx) => tx.pools.deletePool(poolId));
      assert.equal(await s.threats.getRiskConfiguration(poolId, ""), undefined);
    });

    test("auth events: unique ids, newest first in stable pages, updated, gone with the user", async () => {
      const { poolId } = await poolIn(s);
      const u = f.user(poolId, "owner");
      const v = f.user(poolId, "other");
      await insertUsers(s, [u, v]);
      // Two events share a creation time: the id breaks the tie.
      const times = [1000, 2000, 2000, 3000, 4000];
      const evs = times.map((t) => event(poolId, u.sub, t));
      await s.transaction(async (tx) => {
        for (const e of evs) await tx.threats.insertAuthEvent(e);
        await tx.threats.insertAuthEvent(event(poolId, v.sub, 5000));
      });
      await assert.rejects(
        s.transaction((tx) => tx.threats.insertAuthEvent({ ...evs[0]! })),
        DuplicateKeyError,
      );
      const listed = await all((after) => s.threats.listAuthEvents(poolId, u.sub, 2, after));
      const expected = [...evs].sort((a, b) => b.createdAt - a.createdAt || (a.eventId < b.eventId ? 1 : -1));
      assert.deepEqual(
        listed.map((e) => e.eventId),
        expected.map((e) => e.eventId),
      );
      assert.deepEqual(await s.threats.getAuthEvent(poolId, evs[0]!.eventId), evs[0]);
      const updated: AuthEventRecord = {
        ...evs[0]!,
        data: {
          ...evs[0]!.data,
          EventFeedback: { FeedbackValue: "Invalid", Provider: "Admin", FeedbackDate: 1 },
        },
      };
      await s.transaction((tx) => tx.threats.updateAuthEvent(updated));
      assert.deepEqual(await s.threats.getAuthEvent(poolId, evs[0]!.eventId), updated);
      const other = await poolIn(s);
      assert.equal(await s.threats.getAuthEvent(other.poolId, evs[0]!.eventId), undefined);
      await s.transaction((tx) => tx.users.deleteUser(poolId, u.sub));
      assert.equal(await s.threats.getAuthEvent(poolId, evs[0]!.eventId), undefined);
      assert.equal((await s.threats.listAuthEvents(poolId, v.sub, 10)).items.length, 1);
    });
  });
}
