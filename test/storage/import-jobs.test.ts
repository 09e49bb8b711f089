/** The storage contract, checked on every backend: user import jobs (src/storage/contract/import-jobs.ts). */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { ImportJobRecord } from "../../src/storage/contract/import-jobs.ts";
import { DuplicateKeyError, type Storage } from "../../src/storage/storage.ts";
import { backends, type Opened } from "./backends.ts";
import { newPool as poolIn } from "./conformance.ts";

let n = 0;
function job(poolId: string, overrides: Partial<ImportJobRecord> = {}): ImportJobRecord {
  return {
    poolId,
    jobId: `import-${String(n++).padStart(10, "0")}${Math.random().toString(36).slice(2, 6)}`,
    jobName: "job",
    roleArn: "arn:aws:iam::123456789012:role/Logs",
    status: "Created",
    createdAt: 1_700_000_000_000,
    imported: 0,
    skipped: 0,
    failed: 0,
    upload: "none",
    uploadBytes: 0,
    ...overrides,
  };
}

for (const backend of backends()) {
  describe(`storage conformance, import jobs: ${backend.name}`, () => {
    let db: Opened;
    let s: Storage;
    before(async () => {
      db = await backend.open();
      s = db.storage;
    });
    after(() => db.close());

    test("round trip, transitions only from the named statuses, listing in creation order", async () => {
      const { poolId } = await poolIn(s);
      const a = job(poolId, { passwordHashingAlgorithm: "ARGON2ID" });
      const b = job(poolId);
      const c = job(poolId);
      for (const j of [a, b, c]) await s.transaction((tx) => tx.importJobs.insertImportJob(j));
      assert.deepEqual(await s.importJobs.getImportJob(poolId, a.jobId), a);
      await assert.rejects(
        s.transaction((tx) => tx.importJobs.insertImportJob({ ...a })),
        DuplicateKeyError,
      );
      assert.equal(
        await s.transaction((tx) =>
          tx.importJobs.transitionImportJob(poolId, a.jobId, ["InProgress"], { status: "Failed" }),
        ),
        false,
      );
      assert.equal(
        await s.transaction((tx) =>
          tx.importJobs.transitionImportJob(poolId, a.jobId, ["Created", "Pending"], {
            status: "Pending",
            startedAt: 5,
            heartbeatAt: 6,
            imported: 3,
            completionMessage: "m",
          }),
        ),
        true,
      );
      assert.deepEqual(await s.importJobs.getImportJob(poolId, a.jobId), {
        ...a,
        status: "Pending",
        startedAt: 5,
        heartbeatAt: 6,
        imported: 3,
        completionMessage: "m",
      });
      const first = await s.importJobs.listImportJobs(poolId, 2);
      assert.deepEqual(
        first.items.map((j) => j.jobId),
        [a.jobId, b.jobId],
      );
      const second = await s.importJobs.listImportJobs(poolId, 2, first.next);
      assert.deepEqual(
        second.items.map((j) => j.jobId),
        [c.jobId],
      );
      assert.equal(second.next, undefined);
      // Another pool sees none of them.
      const other = await poolIn(s);
      assert.equal(await s.importJobs.getImportJob(other.poolId, a.jobId), undefined);
      assert.deepEqual((await s.importJobs.listImportJobs(other.poolId, 10)).items, []);
    });

    test("of concurrent claims of one upload exactly one wins; chunks, release and the log", async () => {
      const { poolId } = await poolIn(s);
      const j = job(poolId);
      await s.transaction((tx) => tx.importJobs.insertImportJob(j));
      const claims = await Promise.all(
        Array.from({ length: 5 }, () =>
          s.transaction((tx) => tx.importJobs.claimImportUpload(poolId, j.jobId)),
        ),
      );
      assert.equal(claims.filter(Boolean).length, 1);
      await s.transaction(async (tx) => {
        await tx.importJobs.insertImportChunk(j.jobId, 0, "a,b\n");
        await tx.importJobs.insertImportChunk(j.jobId, 1, 'é,"x"\n');
      });
      assert.equal(await s.importJobs.getImportChunk(j.jobId, 1), 'é,"x"\n');
      await s.transaction((tx) => tx.importJobs.releaseImportUpload(poolId, j.jobId));
      assert.equal(await s.importJobs.getImportChunk(j.jobId, 0), undefined);
      assert.equal((await s.importJobs.getImportJob(poolId, j.jobId))?.upload, "none");
      assert.equal(await s.transaction((tx) => tx.importJobs.claimImportUpload(poolId, j.jobId)), true);
      await s.transaction(async (tx) => {
        await tx.importJobs.insertImportChunk(j.jobId, 0, "x");
        await tx.importJobs.finishImportUpload(poolId, j.jobId, 1);
      });
      const stored = await s.importJobs.getImportJob(poolId, j.jobId);
      assert.deepEqual([stored?.upload, stored?.uploadBytes], ["uploaded", 1]);
      assert.equal(await s.transaction((tx) => tx.importJobs.claimImportUpload(poolId, j.jobId)), false);

      const entries = Array.from({ length: 5 }, (_, i) => ({
        jobId: j.jobId,
        time: 1_700_000_000_000 + i,
        result: "FAILED",
        line: i + 2,
        message: `row ${i}`,
      }));
      await s.transaction((tx) => tx.importJobs.appendImportLog([...entries.slice(0, 3)]));
      await s.transaction((tx) =>
        tx.importJobs.appendImportLog([
          ...entries.slice(3),
          { jobId: j.jobId, time: 1, result: "COMPLETED", message: "done" },
        ]),
      );
      const p1 = await s.importJobs.listImportLog(j.jobId, 4);
      const p2 = await s.importJobs.listImportLog(j.jobId, 4, p1.next);
      assert.deepEqual(
        [...p1.items, ...p2.items],
        [...entries, { jobId: j.jobId, time: 1, result: "COMPLETED", message: "done" }],
      );
      assert.equal(p2.next, undefined);
    });

    test("a job goes with its pool, with its file and log", async () => {
      const { poolId } = await poolIn(s);
      const j = job(poolId);
      await s.transaction(async (tx) => {
        await tx.importJobs.insertImportJob(j);
        await tx.importJobs.insertImportChunk(j.jobId, 0, "x");
        await tx.importJobs.appendImportLog([{ jobId: j.jobId, time: 1, result: "STARTED", message: "s" }]);
      });
      await s.transaction((tx) => tx.pools.deletePool(poolId));
      assert.equal(await s.importJobs.getImportJob(poolId, j.jobId), undefined);
      assert.equal(await s.importJobs.getImportChunk(j.jobId, 0), undefined);
      assert.deepEqual((await s.importJobs.listImportLog(j.jobId, 10)).items, []);
    });
  });
}
