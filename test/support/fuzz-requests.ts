/**
 * Requests for the operation fuzzer, derived from the service model (src/generated/shapes.ts and
 * operations.ts): valid and boundary values for every member of every operation's input, then
 * mutations of them (missing required members, wrong JSON types, oversize and hostile strings,
 * deep nesting, odd numbers, prototype keys, extra members), raw bodies that are not what the
 * protocol expects, and wrong headers.
 *
 * A generated body may hold placeholders `@@name@@` (see REFS) that the runner replaces with the
 * real ids of a pool, client, user, group and tokens it made, so that a share of the requests gets
 * past the lookups into the domain logic. Bodies are kept as text, so a case replays byte for byte.
 */
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { N as SRP_N } from "../../src/crypto/srp.ts";
import { OPERATIONS, type OperationName } from "../../src/generated/operations.ts";
import { type Member, SHAPES, type Shape } from "../../src/generated/shapes.ts";
import {
  applyMutation,
  arr,
  fromJson,
  HOSTILE_STRINGS,
  mutationArb,
  type Node,
  obj,
  serialize,
} from "./fuzz-mutations.ts";

/** One request of the fuzzer. */
export interface FuzzCase {
  /** The operation named in X-Amz-Target (what the headers say may differ, see `target`). */
  operation: string;
  /**
   * "auto": SigV4 for signed operations, nothing for the others; "signed": always SigV4;
   * "unsigned": never; "garbage": the Authorization header is `authorization`.
   */
  auth: "auto" | "signed" | "unsigned" | "garbage";
  /** Whole X-Amz-Target header instead of the operation's; null sends none. */
  target?: string | null;
  /** Content-Type instead of application/x-amz-json-1.1; null sends none. */
  contentType?: string | null;
  authorization?: string;
  /** The body as text, with `@@ref@@` placeholders. */
  body: string;
  /** Set when `body` is base64 of raw bytes (not valid UTF-8). */
  base64?: true;
}

/** The placeholders a body may hold, replaced by the runner with the fixture's real values. */
export const REFS = [
  "pool",
  "poolArn",
  "client",
  "username",
  "sub",
  "email",
  "group",
  "password",
  "access",
  "refresh",
  "session",
  "provider",
  "idpIdentifier",
] as const;
export type Ref = (typeof REFS)[number];
const ref = (name: Ref) => `@@${name}@@`;

// ---------------------------------------------------------------------------------------------
// Valid values from the shapes

const STANDARD_ATTRIBUTES = [
  "email",
  "email_verified",
  "phone_number",
  "phone_number_verified",
  "name",
  "given_name",
  "family_name",
  "preferred_username",
  "sub",
  "address",
  "birthdate",
  "gender",
  "locale",
  "zoneinfo",
  "picture",
  "updated_at",
  "website",
  "custom:tier",
  "custom:x",
  "dev:custom:x",
];

const AUTH_KEYS = [
  "USERNAME",
  "PASSWORD",
  "SRP_A",
  "SECRET_HASH",
  "REFRESH_TOKEN",
  "DEVICE_KEY",
  "PREFERRED_CHALLENGE",
  "CHALLENGE_NAME",
  "NEW_PASSWORD",
  "PASSWORD_CLAIM_SIGNATURE",
  "PASSWORD_CLAIM_SECRET_BLOCK",
  "TIMESTAMP",
  "SMS_MFA_CODE",
  "SOFTWARE_TOKEN_MFA_CODE",
  "EMAIL_OTP_CODE",
  "ANSWER",
  "userAttributes.email",
  "userAttributes.name",
  "requiredAttributes",
];

const strongPassword = fc
  .tuple(fc.stringMatching(/^[A-Za-z0-9]{4,16}$/), fc.constantFrom("!", "#", "$", "%", "^"))
  .map(([s, sym]) => `Aa1${sym}${s}`);

const srpA = fc.oneof(
  fc.stringMatching(/^[0-9a-f]{1,768}$/),
  fc.constantFrom("0", "00", SRP_N.toString(16), (SRP_N * 2n).toString(16), "-1", "zz"),
);

const authValues = new Map<string, fc.Arbitrary<string>>();

function authValue(key: string): fc.Arbitrary<string> {
  let arb = authValues.get(key);
  if (!arb) authValues.set(key, (arb = authValueOf(key)));
  return arb;
}

const anyAuthValue = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom(...HOSTILE_STRINGS));

function authValueOf(key: string): fc.Arbitrary<string> {
  switch (key) {
    case "USERNAME":
      return fc.oneof(fc.constant(ref("username")), fc.constant(ref("email")), fc.constant(ref("sub")));
    case "PASSWORD":
      return fc.oneof(fc.constant(ref("password")), strongPassword);
    case "NEW_PASSWORD":
      return strongPassword;
    case "REFRESH_TOKEN":
      return fc.constant(ref("refresh"));
    case "SRP_A":
      return srpA;
    case "TIMESTAMP":
      return fc.constantFrom("Mon Jan 2 03:04:05 UTC 2006", "Tue Dec 1 08:00:00 UTC 2026", "x");
    default:
      return anyAuthValue;
  }
}

const authMap = fc
  .array(fc.constantFrom(...AUTH_KEYS), { maxLength: 6 })
  .chain((keys) =>
    fc
      .tuple(...[...new Set(keys)].map((k) => authValue(k).map((v) => [k, v] as const)))
      .map((pairs) => Object.fromEntries(pairs)),
  );

const attributeValue = fc.oneof(
  fc.emailAddress(),
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.constantFrom("true", "false", "+15555550100", "fuzz@example.com", "1999-12-31", "0", ref("email")),
  fc.string({ maxLength: 40 }),
);

const attribute = fc.record(
  {
    Name: fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...STANDARD_ATTRIBUTES) },
      fc.string({ maxLength: 33 }),
    ),
    Value: attributeValue,
  },
  { requiredKeys: ["Name"] },
);

/** ListUsers filters: `attribute = "value"` and `attribute ^= "value"`, some malformed. */
const filterArb = fc
  .tuple(
    fc.constantFrom(...STANDARD_ATTRIBUTES, "username", "status", "cognito:user_status", "sub", ""),
    fc.constantFrom("=", "^=", "!=", "", " = ", "=="),
    fc.oneof(attributeValue, fc.constantFrom('"', "\\", '\\"', "%", "_", "*", "'")),
    fc.constantFrom('"', "", "'"),
  )
  .map(([a, op, v, q]) => `${a} ${op} ${q}${v}${q}`);

/** Member names whose values are worth taking from the fixture (real ids and tokens). */
const MEMBER_REFS: Readonly<Record<string, readonly Ref[]>> = {
  UserPoolId: ["pool"],
  ClientId: ["client"],
  Username: ["username", "username", "sub", "email"],
  GroupName: ["group"],
  AccessToken: ["access"],
  RefreshToken: ["refresh"],
  Token: ["refresh"],
  Session: ["session"],
  ResourceArn: ["poolArn"],
  ProviderName: ["provider"],
  IdpIdentifier: ["idpIdentifier"],
  Password: ["password"],
  PreviousPassword: ["password"],
};

const PASSWORD_MEMBERS = new Set(["Password", "PreviousPassword", "ProposedPassword", "TemporaryPassword"]);

/** How often a member named in MEMBER_REFS takes the fixture's value (out of 10). */
const REF_WEIGHT = 9;

const memo = new Map<string, fc.Arbitrary<unknown>>();

function clampMax(max: number | undefined, cap: number): number {
  return max === undefined ? cap : Math.min(max, cap);
}

function stringArb(shape: Extract<Shape, { type: "string" }>): fc.Arbitrary<string> {
  if (shape.enum) return fc.constantFrom(...shape.enum);
  const min = shape.min ?? 0;
  const max = clampMax(shape.max, 48);
  const upper = shape.max ?? Infinity;
  const fits = (s: string) => s.length >= min && s.length <= upper;
  /** Brings a generated string to the length bounds when that keeps it valid (no filtering: filters can starve). */
  const adjust = (s: string): string => {
    let t = s;
    if (t.length < min)
      t = (t || "a").repeat(Math.ceil(min / Math.max(1, t.length))).slice(0, Math.max(min, max));
    if (t.length > upper) t = t.slice(0, upper);
    return fits(t) && (!shape.pattern || shape.pattern.test(t)) ? t : s;
  };
  const generic = fc.string({ minLength: min, maxLength: Math.max(min, max), unit: "grapheme" }).map(adjust);
  let patterned: fc.Arbitrary<string> = generic;
  if (shape.pattern) {
    try {
      patterned = fc.stringMatching(shape.pattern, { size: "small" }).map(adjust);
    } catch {
      // A pattern fast-check cannot generate from (lookbehind): plain strings that happen to match it.
      patterned = fc.stringMatching(/^[0-9A-Za-z._-]*[0-9A-Za-z_-]$/).map(adjust);
    }
  }
  const boundary: fc.Arbitrary<string>[] = [];
  if (shape.max !== undefined && shape.max <= 4096) boundary.push(fc.constant("a".repeat(shape.max)));
  if (min > 0) boundary.push(fc.constant("a".repeat(min)));
  // Hostile strings that still satisfy the constraints: they get past validation into the domain.
  const hostile = HOSTILE_STRINGS.filter((h) => fits(h) && (!shape.pattern || shape.pattern.test(h)));
  if (hostile.length > 0) boundary.push(fc.constantFrom(...hostile));
  return fc.oneof(
    { weight: 8, arbitrary: patterned },
    { weight: 1, arbitrary: generic },
    ...boundary.map((arbitrary) => ({ weight: 1, arbitrary })),
  );
}

function numberArb(shape: Extract<Shape, { type: "integer" | "long" | "double" }>): fc.Arbitrary<number> {
  const min = shape.min ?? (shape.type === "integer" ? -(2 ** 31) : Number.MIN_SAFE_INTEGER);
  const max = shape.max ?? (shape.type === "integer" ? 2 ** 31 - 1 : Number.MAX_SAFE_INTEGER);
  const main =
    shape.type === "double"
      ? fc.double({ min, max, noNaN: true, noDefaultInfinity: true })
      : fc.integer({ min, max });
  return fc.oneof({ weight: 6, arbitrary: main }, fc.constantFrom(min, max, Math.max(min, Math.min(max, 0))));
}

function blobArb(shape: Extract<Shape, { type: "blob" }>): fc.Arbitrary<string> {
  return fc
    .uint8Array({ minLength: shape.min ?? 0, maxLength: clampMax(shape.max, 64) })
    .map((b) => Buffer.from(b).toString("base64"));
}

/** Valid values of a shape (before any substitution of real ids). */
export function shapeArb(name: string, stack: readonly string[] = []): fc.Arbitrary<unknown> {
  const cached = memo.get(name);
  if (cached) return cached;
  const shape = SHAPES[name];
  let arb: fc.Arbitrary<unknown>;
  if (name === "AuthParametersType" || name === "ChallengeResponsesType") arb = authMap;
  else if (name === "AttributeType") arb = attribute;
  else if (!shape) arb = fc.constant(null);
  else
    switch (shape.type) {
      case "structure":
        arb = structureArb(name, shape.members, [...stack, name]);
        break;
      case "string":
        arb = stringArb(shape);
        break;
      case "integer":
      case "long":
      case "double":
        arb = numberArb(shape);
        break;
      case "boolean":
        arb = fc.boolean();
        break;
      case "timestamp":
        arb = fc.oneof(
          fc.integer({ min: 0, max: 4_102_444_800 }),
          fc.double({ min: 0, max: 4e9, noNaN: true }),
        );
        break;
      case "blob":
        arb = blobArb(shape);
        break;
      case "document":
        arb = fc.jsonValue({ maxDepth: 3 });
        break;
      case "list":
        arb = fc.array(shapeArb(shape.member, [...stack, name]), {
          minLength: shape.min ?? 0,
          maxLength: Math.max(shape.min ?? 0, clampMax(shape.max, 4)),
        });
        break;
      case "map":
        arb = fc
          .array(fc.tuple(shapeArb(shape.key, stack) as fc.Arbitrary<string>, shapeArb(shape.value, stack)), {
            minLength: shape.min ?? 0,
            maxLength: Math.max(shape.min ?? 0, clampMax(shape.max, 4)),
          })
          .map((pairs) => Object.fromEntries(pairs));
        break;
    }
  memo.set(name, arb);
  return arb;
}

function memberArb(memberName: string, member: Member, stack: readonly string[]): fc.Arbitrary<unknown> {
  const recursive = stack.includes(member.target);
  const own = recursive ? fc.constant(undefined) : shapeArb(member.target, stack);
  const refs = MEMBER_REFS[memberName];
  const options: fc.WeightedArbitrary<unknown>[] = [{ weight: 10 - REF_WEIGHT, arbitrary: own }];
  if (PASSWORD_MEMBERS.has(memberName)) options.push({ weight: 3, arbitrary: strongPassword });
  if (member.target === "UserFilterType") options.push({ weight: 6, arbitrary: filterArb });
  if (refs) options.push({ weight: REF_WEIGHT, arbitrary: fc.constantFrom(...refs.map(ref)) });
  return options.length === 1 ? own : fc.oneof(...options);
}

function structureArb(
  _name: string,
  members: Readonly<Record<string, Member>>,
  stack: readonly string[],
): fc.Arbitrary<unknown> {
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  const required: string[] = [];
  for (const [m, member] of Object.entries(members)) {
    model[m] = memberArb(m, member, stack);
    if (member.required) required.push(m);
  }
  return fc.record(model, { requiredKeys: required });
}

// ---------------------------------------------------------------------------------------------
// Cases

const OPERATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "src", "operations");

/** Operations with an implementation file (the others answer UnsupportedOperationException). */
export function implementedOperations(): Set<string> {
  const names = new Set<string>();
  for (const area of readdirSync(OPERATIONS_DIR, { withFileTypes: true }))
    if (area.isDirectory())
      for (const f of readdirSync(join(OPERATIONS_DIR, area.name)))
        if (f.endsWith(".ts")) names.add(f.slice(0, -3));
  return names;
}

/** Operations that hash or check a password when they get far: fewer of them keep the run fast. */
const PASSWORD_OPERATIONS = new Set([
  "SignUp",
  "AdminCreateUser",
  "AdminSetUserPassword",
  "ChangePassword",
  "ConfirmForgotPassword",
  "InitiateAuth",
  "AdminInitiateAuth",
  "RespondToAuthChallenge",
  "AdminRespondToAuthChallenge",
]);

const ALL_OPERATIONS = Object.keys(OPERATIONS) as OperationName[];

function operationArb(): fc.Arbitrary<OperationName> {
  const implemented = implementedOperations();
  return fc.oneof(
    ...ALL_OPERATIONS.map((op) => ({
      weight: PASSWORD_OPERATIONS.has(op) ? 4 : implemented.has(op) ? 12 : 1,
      arbitrary: fc.constant(op),
    })),
  );
}

/**
 * Operations that, when they succeed on the fixture's ids, spoil it for the requests after them
 * (a deleted pool or user, revoked tokens, a changed password): the runner makes a new fixture
 * then. They take the fixture's ids less often, so that this stays rare.
 */
export const STATE_CHANGING: ReadonlySet<string> = new Set([
  "DeleteUserPool",
  "DeleteUserPoolClient",
  "UpdateUserPoolClient",
  "UpdateUserPool",
  "SetUserPoolMfaConfig",
  "SetUserMFAPreference",
  "AdminSetUserMFAPreference",
  "SetUserSettings",
  "AdminSetUserSettings",
  "AdminDeleteUser",
  "DeleteUser",
  "AdminDisableUser",
  "AdminSetUserPassword",
  "AdminResetUserPassword",
  "ChangePassword",
  "ConfirmForgotPassword",
  "GlobalSignOut",
  "AdminUserGlobalSignOut",
  "RevokeToken",
  "DeleteGroup",
  "AdminRemoveUserFromGroup",
  "DeleteIdentityProvider",
]);

/** Look-alikes of the fixture's values: well formed, but naming nothing that exists. */
const LOOKALIKES: Readonly<Record<Ref, string>> = {
  pool: "us-east-1_Fuzz00000",
  poolArn: "arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_Fuzz00000",
  client: "fuzz0000000000000000000000",
  username: "nobody",
  sub: "00000000-0000-4000-8000-000000000000",
  email: "nobody@example.com",
  group: "no-such-group",
  password: "Wrong-pass-1!",
  access: "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln",
  refresh: "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIn0.x.y.z.w",
  session: "AYABeFuzzSessionThatNamesNothing00000000",
  provider: "NoSuchProvider",
  idpIdentifier: "no-such-identifier",
};

function unref(node: Node): Node {
  if (typeof node === "string") {
    const m = /^@@(\w+)@@$/.exec(node);
    return m && m[1]! in LOOKALIKES ? LOOKALIKES[m[1] as Ref] : node;
  }
  if (node === null || typeof node !== "object" || node.t === "raw") return node;
  if (node.t === "arr") return arr(node.items.map(unref));
  return obj(node.entries.map(([k, v]) => [k, unref(v)]));
}

/**
 * Drops most optional top-level members (keeps each with a chance of one in four, by `n`): big
 * inputs with every member set seldom pass all of an operation's checks.
 */
function sparse(op: OperationName, value: unknown, n: number): unknown {
  const shape = SHAPES[OPERATIONS[op].input];
  if (shape?.type !== "structure" || value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  let i = 0;
  for (const [k, v] of Object.entries(value as Record<string, unknown>))
    if (shape.members[k]?.required || ((n >>> ((2 * i++) % 30)) & 3) === 0) out[k] = v;
  return out;
}

const validBody = (op: OperationName) =>
  fc
    .tuple(shapeArb(OPERATIONS[op].input), fc.integer({ min: 0, max: 9 }), fc.boolean(), fc.nat())
    .map(([v, n, thin, bits]) => {
      const body = fromJson(thin ? sparse(op, v, bits) : v);
      return STATE_CHANGING.has(op) && n < 9 ? unref(body) : body;
    });

const validCase = (ops: fc.Arbitrary<OperationName>) =>
  ops.chain((op) =>
    validBody(op).map((b): FuzzCase => ({ operation: op, auth: "auto", body: serialize(b) })),
  );

const mutatedCase = (ops: fc.Arbitrary<OperationName>) =>
  ops.chain((op) =>
    fc
      .tuple(validBody(op), fc.array(mutationArb, { minLength: 1, maxLength: 3 }))
      .map(([b, ms]): FuzzCase => {
        const root = { value: b };
        for (const m of ms) applyMutation(root, m);
        return { operation: op, auth: "auto", body: serialize(root.value) };
      }),
  );

const RAW_BODIES: readonly string[] = [
  "",
  " ",
  "null",
  "[]",
  "[{}]",
  "0",
  "-0",
  '"UserPoolId"',
  "true",
  "{",
  "}",
  '{"UserPoolId":',
  '{"UserPoolId":"@@pool@@"',
  "{}garbage",
  "{} {}",
  "\ufeff{}",
  "{/* comment */}",
  '{"a":NaN}',
  '{"a":Infinity}',
  "{'UserPoolId':'x'}",
  '{"UserPoolId":"@@pool@@","UserPoolId":{"a":1}}',
  '{"__proto__":{"UserPoolId":"@@pool@@","isAdmin":true},"Username":"@@username@@"}',
  '{"constructor":{"prototype":{"polluted":1}},"UserPoolId":"@@pool@@"}',
  '{"UserPoolId":"\\ud800","Username":"\\u0000"}',
  '{"UserPoolId":"@@pool@@","Username":"@@username@@","UserAttributes":[{"Name":"__proto__","Value":"x"}]}',
  '{"UserPoolId":"@@pool@@","ClientMetadata":{"__proto__":"x","constructor":"y"}}',
  '{"UserPoolId":"@@pool@@","MaxResults":1e309}',
  '{"UserPoolId":"@@pool@@","Limit":-0}',
  "[".repeat(1000) + "]".repeat(1000),
  "[".repeat(200_000) + "]".repeat(200_000),
  '{"a":'.repeat(1000) + "{}" + "}".repeat(1000),
  '{"UserPoolId":"' + "A".repeat(1_100_000) + '"}',
];

/** Raw bodies that are not valid UTF-8 (sent as bytes). */
const RAW_BYTES: readonly string[] = [
  Buffer.from([0xff, 0xfe, 0x7b, 0x7d]).toString("base64"),
  Buffer.from('{"UserPoolId":"\xc3\x28"}', "latin1").toString("base64"),
  Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d]).toString("base64"),
  Buffer.from([0x00, 0x00, 0x00]).toString("base64"),
];

const rawBodyCase = (ops: fc.Arbitrary<OperationName>) =>
  fc.tuple(ops, fc.nat(), fc.boolean()).map(([op, i, bytes]): FuzzCase => {
    if (bytes && i % 4 === 0)
      return { operation: op, auth: "auto", body: RAW_BYTES[i % RAW_BYTES.length]!, base64: true };
    return { operation: op, auth: "auto", body: RAW_BODIES[i % RAW_BODIES.length]! };
  });

const TARGET_PREFIX = "AWSCognitoIdentityProviderService.";
const printable = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 200,
});

const targetArb = (op: string): fc.Arbitrary<string | null> =>
  fc.oneof(
    fc.constant(null),
    fc.constantFrom(
      "",
      TARGET_PREFIX,
      TARGET_PREFIX + op.toLowerCase(),
      TARGET_PREFIX + op + " ",
      "AWSCognitoIdentityService." + op,
      op,
      TARGET_PREFIX + "__proto__",
      TARGET_PREFIX + "constructor",
      TARGET_PREFIX + "toString",
      TARGET_PREFIX + "hasOwnProperty",
      TARGET_PREFIX + "valueOf",
      TARGET_PREFIX + "x".repeat(8000),
    ),
    printable.map((s) => TARGET_PREFIX + s),
  );

const contentTypeArb: fc.Arbitrary<string | null> = fc.oneof(
  fc.constant(null),
  fc.constantFrom(
    "",
    "application/json",
    "text/plain",
    "application/x-amz-json-1.0",
    "application/x-amz-json-1.1; charset=utf-8",
    "APPLICATION/X-AMZ-JSON-1.1",
    "application/x-amz-json-1.1;;;",
    "multipart/form-data; boundary=x",
    "application/x-www-form-urlencoded",
  ),
  printable,
);

const authorizationArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "",
    "AWS4-HMAC-SHA256",
    "AWS4-HMAC-SHA256 ",
    "AWS4-HMAC-SHA256 Credential=",
    "AWS4-HMAC-SHA256 Credential=AKIDTEST, SignedHeaders=host, Signature=00",
    "AWS4-HMAC-SHA256 Credential=AKIDTEST/20260101/us-east-1/cognito-idp/aws4_request, SignedHeaders=, Signature=",
    "AWS4-HMAC-SHA256 Credential=AKIDTEST/20260101/../cognito-idp/aws4_request, SignedHeaders=host;x-amz-date, Signature=zz",
    "AWS4-HMAC-SHA256 Credential=AKIDTEST/20260101/us-east-1/cognito-idp/aws4_request, SignedHeaders=host;host;host, Signature=" +
      "0".repeat(64),
    "AWS4-HMAC-SHA256 Credential=/////, SignedHeaders=;;;;, Signature=,,,,",
    "AWS4-HMAC-SHA256 Credential=AKIDTEST/20260101/us-east-1/cognito-idp/aws4_request,SignedHeaders=content-type;host;x-amz-date;x-amz-target,Signature=" +
      "f".repeat(64),
    "Bearer x",
    "Basic YTpi",
    "AWS4-HMAC-SHA512 Credential=a",
    "AWS4-HMAC-SHA256 " + "Credential=".repeat(500),
  ),
  printable,
  printable.map((s) => "AWS4-HMAC-SHA256 " + s),
);

const headerCase = (ops: fc.Arbitrary<OperationName>) =>
  ops.chain((op) =>
    fc
      .tuple(
        validBody(op).map(serialize),
        fc.constantFrom("target", "contentType", "unsigned", "signed", "garbage"),
        targetArb(op),
        contentTypeArb,
        authorizationArb,
      )
      .map(([body, what, target, contentType, authorization]): FuzzCase => {
        if (what === "target") return { operation: op, auth: "auto", target, body };
        if (what === "contentType") return { operation: op, auth: "auto", contentType, body };
        if (what === "garbage") return { operation: op, auth: "garbage", authorization, body };
        return { operation: op, auth: what, body };
      }),
  );

/** The fuzzer's requests: valid, mutated, raw bodies and wrong headers, for every operation. */
export function caseArbitrary(): fc.Arbitrary<FuzzCase> {
  const ops = operationArb();
  return fc.oneof(
    { weight: 50, arbitrary: validCase(ops) },
    { weight: 34, arbitrary: mutatedCase(ops) },
    { weight: 6, arbitrary: rawBodyCase(ops) },
    { weight: 10, arbitrary: headerCase(ops) },
  );
}
