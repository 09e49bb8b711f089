import assert from "node:assert/strict";
import { test } from "node:test";
import {
  BoundedQueue,
  configurePasswordHashing,
  decoyHash,
  hashingParams,
  hashPassword,
  invalidParams,
  needsRehash,
  OWASP_ARGON2ID,
  TEST_ARGON2ID,
  verifyPassword,
  HashingBusyError,
} from "../../src/crypto/password-hash.ts";

test("the bounded queue runs a fixed number at once, lets a bounded number wait, refuses the rest", async () => {
  const queue = new BoundedQueue(2, 1);
  let running = 0;
  let most = 0;
  const releases: (() => void)[] = [];
  const task = () =>
    new Promise<number>((resolve) => {
      running++;
      most = Math.max(most, running);
      releases.push(() => {
        running--;
        resolve(running);
      });
    });
  const refuse = () => new HashingBusyError("busy");
  const runs = [queue.run(task, refuse), queue.run(task, refuse), queue.run(task, refuse)];
  await assert.rejects(queue.run(task, refuse), HashingBusyError);
  await new Promise((r) => setImmediate(r));
  assert.equal(running, 2, "two run, one waits");
  releases.shift()!();
  await new Promise((r) => setImmediate(r));
  assert.equal(running, 2, "the waiting task takes the freed slot");
  while (releases.length > 0) {
    releases.shift()!();
    await new Promise((r) => setImmediate(r));
  }
  await Promise.all(runs);
  assert.equal(most, 2);
  // With everything done, the queue takes work again.
  const again = queue.run(async () => "done", refuse);
  assert.equal(await again, "done");
});

test("hashes carry their parameters and verify under any current profile; stale ones need a rehash", async () => {
  configurePasswordHashing({ profile: "test", params: { ...TEST_ARGON2ID }, concurrency: 2, queue: 8 });
  const cheap = await hashPassword("Correct-horse-1");
  assert.match(cheap, /^\$argon2id\$v=19\$m=8,t=1,p=1\$/);
  assert.equal(needsRehash(cheap), false);
  configurePasswordHashing({ profile: "default", params: { ...OWASP_ARGON2ID }, concurrency: 2, queue: 8 });
  assert.equal(await verifyPassword("Correct-horse-1", cheap), true);
  assert.equal(await verifyPassword("Wrong-horse-1", cheap), false);
  assert.equal(needsRehash(cheap), true);
  assert.match(decoyHash(), /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  configurePasswordHashing({ profile: "test", params: { ...TEST_ARGON2ID }, concurrency: 2, queue: 8 });
  assert.match(decoyHash(), /^\$argon2id\$v=19\$m=8,t=1,p=1\$/, "the decoy follows the profile");
  assert.equal(await verifyPassword("anything", decoyHash()), false);
  assert.equal(await verifyPassword("anything", "$argon2id$v=19$m=4,t=1,p=1$c2FsdA$aGFzaA"), false);
});

test("explicit parameters override the profile's; node:crypto's limits are checked", () => {
  assert.deepEqual(hashingParams("test", { memory: 64 }), { memory: 64, passes: 1, parallelism: 1 });
  assert.deepEqual(hashingParams("default", {}), OWASP_ARGON2ID);
  assert.equal(invalidParams(TEST_ARGON2ID), undefined);
  assert.match(invalidParams({ memory: 8, passes: 1, parallelism: 2 })!, /from 16 \(8 per lane\)/);
  assert.match(invalidParams({ memory: 8, passes: 0, parallelism: 1 })!, /passes/);
});
