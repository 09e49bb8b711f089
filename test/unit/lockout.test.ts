import assert from "node:assert/strict";
import { test } from "node:test";
import { afterFailure, afterSuccess, checkLockout, MAX_LOCK_MS } from "../../src/domain/auth/lockout.ts";
import type { UserRecord } from "../../src/storage/records.ts";

const base: UserRecord = {
  poolId: "us-east-1_abc",
  username: "u",
  usernameKey: "u",
  sub: "s",
  status: "CONFIRMED",
  enabled: true,
  attributes: {},
  createdAt: 0,
  updatedAt: 0,
};

test("five failures lock for one second, then the lockout doubles up to fifteen minutes", () => {
  let u = base;
  let now = 1_000_000;
  for (let i = 0; i < 4; i++) {
    u = afterFailure(u, now);
    assert.equal(u.lockedUntil, undefined);
    checkLockout(u, now);
  }
  u = afterFailure(u, now);
  assert.equal(u.lockedUntil, now + 1000);
  assert.throws(() => checkLockout(u, now + 999), /Password attempts exceeded/);
  checkLockout(u, now + 1000);
  const locks: number[] = [];
  for (let i = 0; i < 14; i++) {
    now = u.lockedUntil!;
    u = afterFailure(u, now);
    locks.push(u.lockedUntil! - now);
  }
  assert.deepEqual(locks.slice(0, 5), [2000, 4000, 8000, 16000, 32000]);
  assert.equal(Math.max(...locks), MAX_LOCK_MS);
});

test("fifteen quiet minutes start the count afresh; a success clears it", () => {
  let u = base;
  for (let i = 0; i < 4; i++) u = afterFailure(u, 0);
  u = afterFailure(u, 15 * 60_000 + 1);
  assert.equal(u.failedSignIns, 1);
  assert.equal(u.lockedUntil, undefined);
  const cleared = afterSuccess(u)!;
  assert.equal(cleared.failedSignIns, undefined);
  assert.equal(afterSuccess(base), undefined);
});
