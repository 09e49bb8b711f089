import assert from "node:assert/strict";
import { test } from "node:test";
import { implementedOperations } from "../../scripts/codegen.ts";
import { OPERATIONS, type OperationName } from "../../src/generated/operations.ts";
import { SHAPES } from "../../src/generated/shapes.ts";
import { OPERATION_TABLE } from "../../src/operations/table.ts";
import { assertCallerMatchesAuth, authOfCaller } from "../../src/protocol/caller.ts";

const table = Object.entries(OPERATION_TABLE);

test("the operation table holds exactly the operation files, each under its own name", () => {
  assert.deepEqual(new Set(table.map(([name]) => name)), implementedOperations());
  for (const [name, op] of table) assert.equal(op.name, name);
});

test("every operation's declared caller agrees with the model's auth: admin exactly when SigV4-signed", () => {
  for (const [name, op] of table) {
    const spec = OPERATIONS[name as OperationName];
    assert.equal(authOfCaller(op.caller), spec.auth, `${name}: caller ${op.caller}, auth ${spec.auth}`);
  }
});

const OPTIONAL_TOKEN = new Set(["GetDevice", "ForgetDevice"]);

test("a client operation's input requires ClientId, a token operation's requires AccessToken", () => {
  for (const [name, op] of table) {
    const shape = SHAPES[OPERATIONS[name as OperationName].input];
    assert.ok(shape?.type === "structure", `${name}: input is a structure`);
    if (op.caller === "client") assert.equal(shape.members.ClientId?.required, true, name);
    // GetDevice and ForgetDevice have an optional AccessToken in the model: the caller is refused without one.
    if (op.caller === "token")
      assert.equal(
        shape.members.AccessToken?.required ?? (OPTIONAL_TOKEN.has(name) && "AccessToken" in shape.members),
        true,
        name,
      );
  }
});

test("the endpoint's start-up check refuses a caller that disagrees with the model", () => {
  assert.throws(() => assertCallerMatchesAuth("GetUser", "admin", "none"), /declares caller "admin"/);
  assert.throws(() => assertCallerMatchesAuth("AdminGetUser", "token", "sigv4"), /model's auth/);
  assertCallerMatchesAuth("AdminGetUser", "admin", "sigv4");
  assertCallerMatchesAuth("GetUser", "token", "none");
});
