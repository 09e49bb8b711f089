import assert from "node:assert/strict";
import { test } from "node:test";
import { buildFilter } from "../../src/http/console/users.ts";

test("the console's search builds ListUsers filters, quoting the value", () => {
  assert.equal(buildFilter("email", "equals", "ann@example.com"), 'email = "ann@example.com"');
  assert.equal(buildFilter("name", "starts with", "Ann"), 'name ^= "Ann"');
  assert.equal(buildFilter("name", "equals", 'say "hi" \\o/'), 'name = "say \\"hi\\" \\\\o/"');
});
