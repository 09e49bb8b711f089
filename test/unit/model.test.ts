import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { loadModel, toJsRegExpSource } from "../../scripts/codegen.ts";
import {
  EXCEPTION_STATUS,
  InternalErrorException,
  InvalidParameterException,
  NotAuthorizedException,
  ResourceNotFoundException,
  TooManyRequestsException,
  UserNotFoundException,
} from "../../src/generated/exceptions.ts";
import { OPERATIONS } from "../../src/generated/operations.ts";
import { SHAPES } from "../../src/generated/shapes.ts";
import { AwsError } from "../../src/errors.ts";

const ROOT = path.resolve(import.meta.dirname, "..", "..");

test("AdminDisableUser requires UserPoolId and Username", () => {
  const op = OPERATIONS.AdminDisableUser;
  assert.equal(op.auth, "sigv4");
  assert.equal(op.input, "AdminDisableUserRequest");
  assert.ok(op.errors.includes("UserNotFoundException"));
  const input = SHAPES[op.input];
  assert.equal(input.type, "structure");
  if (input.type !== "structure") return;
  assert.deepEqual(Object.keys(input.members).sort(), ["UserPoolId", "Username"]);
  assert.equal(input.members.UserPoolId.required, true);
  assert.equal(input.members.Username.required, true);
  assert.equal(input.members.Username.target, "UsernameType");
});

test("UsernameType is a sensitive string of 1..128 characters", () => {
  const shape = SHAPES.UsernameType;
  assert.equal(shape.type, "string");
  if (shape.type !== "string") return;
  assert.equal(shape.min, 1);
  assert.equal(shape.max, 128);
  assert.equal(shape.sensitive, true);
  assert.equal(shape.pattern?.source, "^(?:[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+)$");
  assert.equal(shape.pattern?.unicode, true);
  assert.ok(shape.pattern.test("jürgen.o'neil+test@example.com"));
  assert.ok(!shape.pattern.test("has space"));
  assert.ok(!shape.pattern.test(""));
});

test("optional members are not marked required", () => {
  const shape = SHAPES.AdminInitiateAuthRequest;
  assert.equal(shape.type, "structure");
  if (shape.type !== "structure") return;
  assert.equal(shape.members.AuthFlow.required, true);
  assert.equal(shape.members.Session.required, undefined);
});

test("exceptions carry the HTTP status Cognito sends (the model's, corrected by model/wire-status.json)", () => {
  const expected: Array<[new (message: string) => AwsError, string, number]> = [
    [UserNotFoundException, "UserNotFoundException", 400],
    [InvalidParameterException, "InvalidParameterException", 400],
    [InternalErrorException, "InternalErrorException", 500],
    [TooManyRequestsException, "TooManyRequestsException", 400],
    [NotAuthorizedException, "NotAuthorizedException", 400],
    [ResourceNotFoundException, "ResourceNotFoundException", 400],
  ];
  for (const [Exception, type, status] of expected) {
    const error = new Exception("message text");
    assert.ok(error instanceof AwsError);
    assert.equal(error.type, type);
    assert.equal(error.name, type);
    assert.equal(error.status, status);
    assert.equal(error.message, "message text");
    assert.equal(EXCEPTION_STATUS[type], status);
  }
  assert.equal(Object.keys(EXCEPTION_STATUS).length, 59);
});

test("every operation refers to known shapes and exceptions", () => {
  for (const op of Object.values(OPERATIONS)) {
    assert.equal(SHAPES[op.input]?.type, "structure", `${op.name} input`);
    assert.equal(SHAPES[op.output]?.type, "structure", `${op.name} output`);
    for (const error of op.errors) assert.ok(error in EXCEPTION_STATUS, `${op.name}: ${error}`);
  }
});

test("every shape reference resolves", () => {
  for (const [name, shape] of Object.entries(SHAPES)) {
    const targets =
      shape.type === "structure"
        ? Object.values(shape.members).map((m) => m.target)
        : shape.type === "list"
          ? [shape.member]
          : shape.type === "map"
            ? [shape.key, shape.value]
            : [];
    for (const target of targets) assert.ok(target in SHAPES, `${name} -> ${target}`);
  }
});

test("every pattern compiles as an anchored unicode regular expression", () => {
  const model = loadModel();
  let count = 0;
  for (const [name, shape] of Object.entries(model.shapes)) {
    if (shape.pattern === undefined) continue;
    count++;
    assert.doesNotThrow(() => new RegExp(toJsRegExpSource(shape.pattern!), "u"), name);
    const generated = SHAPES[name];
    assert.ok(generated.type === "string" && generated.pattern instanceof RegExp, name);
  }
  assert.ok(count > 50, `only ${count} patterns`);
});

test("the model file has sorted keys and no documentation", () => {
  const text = fs.readFileSync(path.join(ROOT, "model", "cognito-idp.json"), "utf8");
  assert.ok(!text.includes('"documentation"'));
  const check = (value: unknown, where: string): void => {
    if (Array.isArray(value)) {
      for (const [i, v] of value.entries()) check(v, `${where}[${i}]`);
    } else if (value !== null && typeof value === "object") {
      const keys = Object.keys(value);
      assert.deepEqual(keys, [...keys].sort(), `keys of ${where} are not sorted`);
      for (const key of keys) check((value as Record<string, unknown>)[key], `${where}.${key}`);
    }
  };
  check(JSON.parse(text), "model");
});

test("model/patches.json adds ALLOW_CLIENT_TOKEN_AUTH and makes GetClientToken unsigned", () => {
  const flows = SHAPES.ExplicitAuthFlowsType;
  assert.equal(flows.type, "string");
  if (flows.type !== "string") return;
  assert.ok(flows.enum?.includes("ALLOW_CLIENT_TOKEN_AUTH"));
  assert.equal(OPERATIONS.GetClientToken.auth, "none");
  const model = JSON.parse(fs.readFileSync(path.join(ROOT, "model", "cognito-idp.json"), "utf8")) as {
    operations: Record<string, { auth: string }>;
  };
  assert.equal(model.operations.GetClientToken!.auth, "sigv4", "the SDK's own auth stays in the model");
  assert.equal(loadModel().operations.GetClientToken.auth, "none");
});
