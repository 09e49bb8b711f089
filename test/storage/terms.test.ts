/**
 * The storage contract, checked on every backend: terms documents (src/storage/contract/terms.ts)
 * and log delivery configurations (src/storage/contract/log-delivery.ts).
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import type { LogDeliveryRecord, TermsRecord } from "../../src/storage/records.ts";
import { DuplicateKeyError, type Storage } from "../../src/storage/storage.ts";
import { backends, type Opened } from "./backends.ts";
import { all, newPool as poolIn } from "./conformance.ts";

function terms(poolId: string, clientId: string, termsName: string): TermsRecord {
  return {
    poolId,
    termsId: randomUUID(),
    clientId,
    termsName,
    termsSource: "LINK",
    enforcement: "NONE",
    links: { "cognito:default": "https://example.com/t", "cognito:spanish": "https://example.com/ü" },
    createdAt: 1_700_000_000_000,
    updatedAt: 1_700_000_000_001,
  };
}

for (const backend of backends()) {
  describe(`storage conformance, terms and log delivery: ${backend.name}`, () => {
    let db: Opened;
    let s: Storage;
    before(async () => {
      db = await backend.open();
      s = db.storage;
    });
    after(() => db.close());

    test("terms: by id, by client and name, listed in creation order, unique per client and name", async () => {
      const { poolId, clientId } = await poolIn(s);
      const a = terms(poolId, clientId, "terms-of-use");
      const b = terms(poolId, clientId, "privacy-policy");
      await s.transaction(async (tx) => {
        await tx.terms.insertTerms(a);
        await tx.terms.insertTerms(b);
      });
      assert.deepEqual(await s.terms.getTerms(poolId, a.termsId), a);
      assert.deepEqual(await s.terms.getTermsByClient(poolId, clientId, "privacy-policy"), b);
      assert.deepEqual(await s.terms.termsOfClient(poolId, clientId), [a, b]);
      assert.equal(await s.terms.countTerms(poolId), 2);
      const pages: TermsRecord[][] = [];
      const listed = await all(async (after) => {
        const page = await s.terms.listTerms(poolId, 1, after);
        pages.push(page.items);
        return page;
      });
      assert.deepEqual(listed, [a, b]);
      assert.equal(pages.length, 2);
      await assert.rejects(
        s.transaction((tx) => tx.terms.insertTerms(terms(poolId, clientId, "terms-of-use"))),
        DuplicateKeyError,
      );
      await assert.rejects(
        s.transaction((tx) => tx.terms.updateTerms({ ...b, termsName: "terms-of-use" })),
        DuplicateKeyError,
      );
      const changed = { ...a, links: { "cognito:french": "https://example.com/fr" }, updatedAt: 5 };
      await s.transaction((tx) => tx.terms.updateTerms(changed));
      assert.deepEqual(await s.terms.getTerms(poolId, a.termsId), changed);
      await s.transaction((tx) => tx.terms.deleteTerms(poolId, a.termsId));
      assert.equal(await s.terms.getTerms(poolId, a.termsId), undefined);
      assert.equal(await s.terms.countTerms(poolId), 1);
    });

    test("terms go with their app client and their pool", async () => {
      const { poolId, clientId } = await poolIn(s);
      const a = terms(poolId, clientId, "terms-of-use");
      await s.transaction((tx) => tx.terms.insertTerms(a));
      await s.transaction((tx) => tx.pools.deleteClient(poolId, clientId));
      assert.equal(await s.terms.getTerms(poolId, a.termsId), undefined);
    });

    test("log delivery: put replaces, read back as stored, deleted with the pool", async () => {
      const { poolId } = await poolIn(s);
      assert.equal(await s.logDelivery.getLogDelivery(poolId), undefined);
      const first: LogDeliveryRecord = {
        poolId,
        configurations: [
          {
            EventSource: "userNotification",
            LogLevel: "ERROR",
            CloudWatchLogsConfiguration: { LogGroupArn: "arn:aws:logs:us-east-1:123456789012:log-group:g" },
          },
        ],
        updatedAt: 1,
      };
      await s.transaction((tx) => tx.logDelivery.putLogDelivery(first));
      assert.deepEqual(await s.logDelivery.getLogDelivery(poolId), first);
      const second: LogDeliveryRecord = { poolId, configurations: [], updatedAt: 2 };
      await s.transaction((tx) => tx.logDelivery.putLogDelivery(second));
      assert.deepEqual(await s.logDelivery.getLogDelivery(poolId), second);
      await s.transaction((tx) => tx.pools.deletePool(poolId));
      assert.equal(await s.logDelivery.getLogDelivery(poolId), undefined);
    });
  });
}
