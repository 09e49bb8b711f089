import assert from "node:assert/strict";
import { test } from "node:test";
import { afterFailure, isLockedOut, MAX_LOCK_MS } from "../../src/domain/auth/lockout.ts";
import type { CounterRecord } from "../../src/storage/records.ts";

/** A counter never written, as storage hands it out. */
const fresh: CounterRecord = { poolId: "us-east-1_abc", key: "sign-in:s", count: 0, since: 0, expiresAt: 0 };

test("five failures lock for one second, then the lockout doubles up to fifteen minutes", () => {
  let c = fresh;
  let now = 1_000_000;
  for (let i = 0; i < 4; i++) {
    c = afterFailure(c, now);
    assert.equal(c.lockedUntil, undefined);
    assert.equal(isLockedOut(c, now), false);
  }
  c = afterFailure(c, now);
  assert.equal(c.lockedUntil, now + 1000);
  assert.equal(isLockedOut(c, now + 999), true);
  assert.equal(isLockedOut(c, now + 1000), false);
  const locks: number[] = [];
  for (let i = 0; i < 14; i++) {
    now = c.lockedUntil!;
    c = afterFailure(c, now);
    locks.push(c.lockedUntil! - now);
  }
  assert.deepEqual(locks.slice(0, 5), [2000, 4000, 8000, 16000, 32000]);
  assert.equal(Math.max(...locks), MAX_LOCK_MS);
});

test("fifteen quiet minutes start the count afresh", () => {
  let c = fresh;
  for (let i = 0; i < 4; i++) c = afterFailure(c, 0);
  assert.equal(c.count, 4);
  c = afterFailure(c, 15 * 60_000 + 1);
  assert.equal(c.count, 1);
  assert.equal(c.lockedUntil, undefined);
});

test("a counter lives while it can still lock or count, and not after", () => {
  let c = fresh;
  for (let i = 0; i < 20; i++) c = afterFailure(c, 1000);
  assert.equal(c.lockedUntil, 1000 + MAX_LOCK_MS);
  assert.equal(c.expiresAt, 1000 + MAX_LOCK_MS + 1);
  assert.equal(isLockedOut(c, 1000 + MAX_LOCK_MS - 1), true);
  assert.equal(isLockedOut(c, 1000 + MAX_LOCK_MS), false);
  const once = afterFailure(fresh, 1000);
  assert.equal(once.expiresAt, 1000 + 15 * 60_000 + 1);
  // An expired counter counts from zero again.
  assert.equal(afterFailure(once, once.expiresAt).count, 1);
});
