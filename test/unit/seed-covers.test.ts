/** The comparison that decides whether a seed file's resource differs from what the API answers. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { covers } from "../../src/seed/apply.ts";

test("every member the file gives must have its value; members it leaves out are not compared", () => {
  const described = {
    Name: "web",
    CallbackURLs: ["a", "b"],
    TokenValidityUnits: { AccessToken: "hours" },
    Extra: 1,
  };
  assert.equal(covers(described, { Name: "web" }), true);
  assert.equal(covers(described, { Name: "app" }), false);
  assert.equal(covers(described, { TokenValidityUnits: { AccessToken: "hours" } }), true);
  assert.equal(covers(described, { TokenValidityUnits: { AccessToken: "minutes" } }), false);
  assert.equal(covers(described, { Missing: "x" }), false);
  assert.equal(covers(described, { Name: undefined }), true);
});

test("lists compare as sets of the same size", () => {
  assert.equal(covers(["a", "b"], ["b", "a"]), true);
  assert.equal(covers(["a", "b"], ["a"]), false);
  assert.equal(covers(["a"], ["a", "b"]), false);
  assert.equal(covers([{ Name: "x", Extra: 1 }], [{ Name: "x" }]), true);
  assert.equal(covers("a", ["a"]), false);
  assert.equal(covers({}, []), false);
});
