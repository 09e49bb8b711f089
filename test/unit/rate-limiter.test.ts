/** The rate limiter's arithmetic (domain/limits/limiter.ts), on a clock the test moves. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { OPERATIONS } from "../../src/generated/operations.ts";
import { CATEGORIES, OPERATION_CATEGORY } from "../../src/domain/limits/categories.ts";
import { RateLimiter } from "../../src/domain/limits/limiter.ts";
import { cognitoRates, rateLimitRates } from "../../src/domain/limits/settings.ts";

function limiter(rates: Partial<ReturnType<typeof cognitoRates>> = {}) {
  let now = 0;
  const l = new RateLimiter({ ...cognitoRates(), ...rates }, () => now);
  return {
    l,
    advance: (ms: number) => (now += ms),
    count: (op: string, n: number, region = "us-east-1", pool?: string) => {
      let admitted = 0;
      for (let i = 0; i < n; i++) if (l.admit(op, region, pool)) admitted++;
      return admitted;
    },
  };
}

test("every operation of the model has its row in the category table", () => {
  assert.deepEqual(Object.keys(OPERATION_CATEGORY).sort(), Object.keys(OPERATIONS).sort());
});

test("a category's operations share one bucket per region, refilled at the category's rate", () => {
  const { count, advance } = limiter({ UserRead: 10 });
  assert.equal(count("GetUser", 6, "us-east-1") + count("AdminGetUser", 6, "us-east-1"), 10);
  assert.equal(count("GetUser", 5, "eu-west-1"), 5);
  advance(500);
  assert.equal(count("AdminGetUser", 10), 5);
});

test("RespondToAuthChallenge has three times UserAuthentication, then counts against it", () => {
  const { count } = limiter({ UserAuthentication: 10 });
  assert.equal(count("RespondToAuthChallenge", 30), 30);
  // Beyond its own quota, challenges take UserAuthentication's, which InitiateAuth then lacks.
  assert.equal(count("AdminRespondToAuthChallenge", 4), 4);
  assert.equal(count("InitiateAuth", 10), 6);
});

test("UserPool* operations are also held to 5 per second each, per pool", () => {
  const { count } = limiter();
  assert.equal(count("GetGroup", 10, "us-east-1", "us-east-1_a"), 5);
  assert.equal(count("ListGroups", 10, "us-east-1", "us-east-1_a"), 5);
  assert.equal(count("GetGroup", 20, "us-east-1", "us-east-1_b"), 5);
  // ...and the account's 20 for the category: 15 are gone.
  assert.equal(count("GetGroup", 10, "us-east-1", "us-east-1_c"), 5);
  assert.equal(count("GetGroup", 10, "us-east-1", "us-east-1_d"), 0);
});

test("provisioned limits raise only adjustable categories; instances share each limit", () => {
  const { l, count, advance } = limiter({ UserRead: 10, UserUpdate: 10 });
  l.provisioned("us-east-1", "UserRead", 40);
  l.provisioned("us-east-1", "UserUpdate", 40);
  advance(1000);
  assert.equal(count("GetUser", 100), 40);
  assert.equal(count("UpdateUserAttributes", 100), 10);
  l.update([{ region: "us-east-1", category: "UserRead", value: 40 }], 4);
  advance(1000);
  assert.equal(count("GetUser", 100), 10);
  assert.equal(CATEGORIES.UserUpdate.adjustable, false);
});

test("unmanaged operations are not limited", () => {
  const { count } = limiter({ UserRead: 1 });
  assert.equal(count("GetProvisionedLimit", 50), 50);
});

test("the rateLimits option", () => {
  assert.equal(rateLimitRates(undefined, true), undefined);
  assert.equal(rateLimitRates(undefined, false)?.UserAuthentication, 120);
  assert.equal(rateLimitRates("off", false), undefined);
  const set = rateLimitRates("cognito,UserRead=5,UserList=1", true);
  assert.deepEqual([set?.UserRead, set?.UserList, set?.UserCreation], [5, 1, 50]);
  assert.throws(() => rateLimitRates("UserReads=5", true), /UserReads is not a quota category/);
  assert.throws(() => rateLimitRates("UserRead=0", true), /from 1 to 1000000/);
});
