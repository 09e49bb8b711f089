/**
 * Builds model/cognito-idp.json, the structural copy of the Amazon Cognito user pools service model
 * (cognito-idp 2016-04-18) that the rest of Lanyard is generated from (see scripts/codegen.ts).
 *
 * Two public, Apache-2.0 licensed sources are merged:
 *
 * - `@aws-sdk/client-cognito-identity-provider` (dev dependency). Authoritative for the list of
 *   operations, their input/output shapes, structure members and which ones are required, enums,
 *   the auth kind of each operation, the errors of each operation and the HTTP status of each error.
 *   Read from `dist-es/schemas/schemas_0.js` (Smithy TypeScript schema arrays), `dist-es/models/enums.js`,
 *   `dist-es/auth/httpAuthSchemeProvider.js`, `dist-types/models/*.d.ts` (member types, used to name
 *   enum members the schema leaves unnamed) and `dist-types/commands/*Command.d.ts` (`@throws`).
 * - botocore's `data/cognito-idp/2016-04-18/service-2.json.gz`. Authoritative for constraints:
 *   string length and pattern, numeric ranges, list/map sizes and `sensitive`. Its constraints are
 *   merged onto the SDK shapes by shape name; it also names the shapes that the SDK schema inlines
 *   (plain strings, numbers, lists of strings, ...). Where the SDK has a shape or member that botocore
 *   lacks, that shape simply has no constraints and gets a generic name (String, Integer, StringList, ...).
 *
 * The capability area of each operation comes from the hand-maintained model/areas.json.
 * No documentation text is copied.
 *
 * Usage:
 *   node scripts/import-model.ts [--botocore <service-2.json.gz>] [--reference <api-ops.json>]
 *
 *   --botocore   path of botocore's service-2.json(.gz); default: located with `python3 -c "import botocore"`.
 *   --reference  optional JSON list of `{ name, area, auth, errors }` to cross-check the result against.
 *
 * The importer prints every disagreement it finds between the sources; run `npm run codegen` afterwards.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import zlib from "node:zlib";
import {
  type Model,
  type ModelMember,
  type ModelOperation,
  type ModelShape,
  type Patches,
  readPatches,
  type ShapeType,
  sortKeys,
  toJsRegExpSource,
} from "./codegen.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const SDK_PACKAGE = "@aws-sdk/client-cognito-identity-provider";
const SDK_DIR = path.join(ROOT, "node_modules", SDK_PACKAGE);
const MODEL_FILE = path.join(ROOT, "model", "cognito-idp.json");
const AREAS_FILE = path.join(ROOT, "model", "areas.json");

// ---------------------------------------------------------------------------------------------
// Reporting

const findings = new Map<string, string[]>();
function report(section: string, line: string): void {
  const lines = findings.get(section) ?? [];
  lines.push(line);
  findings.set(section, lines);
}

function fail(message: string): never {
  throw new Error(message);
}

// ---------------------------------------------------------------------------------------------
// Command line

function parseArgs(argv: readonly string[]): { botocore?: string; reference?: string } {
  const out: { botocore?: string; reference?: string } = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--botocore" || arg === "--reference") {
      const value = argv[++i];
      if (value === undefined) fail(`${arg} needs a value`);
      if (arg === "--botocore") out.botocore = value;
      else out.reference = value;
    } else {
      fail(`unknown argument: ${arg}`);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// botocore

interface BotoMember {
  shape: string;
}
interface BotoShape {
  type: string;
  members?: Record<string, BotoMember>;
  required?: string[];
  member?: BotoMember;
  key?: BotoMember;
  value?: BotoMember;
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
  sensitive?: boolean;
  exception?: boolean;
  fault?: boolean;
  document?: boolean;
}
interface BotoOperation {
  name: string;
  input?: BotoMember;
  output?: BotoMember;
  errors?: BotoMember[];
  authtype?: string;
  auth?: string[];
}
interface BotoModel {
  metadata: Record<string, unknown>;
  operations: Record<string, BotoOperation>;
  shapes: Record<string, BotoShape>;
}

function locateBotocore(explicit: string | undefined): { file: string; version: string } {
  if (explicit !== undefined) {
    // <botocore>/data/cognito-idp/2016-04-18/service-2.json.gz: the version is in <botocore>/__init__.py
    const file = path.resolve(explicit);
    const init = path.join(path.dirname(file), "..", "..", "..", "__init__.py");
    const version = fs.existsSync(init)
      ? (/^__version__ = ['"]([^'"]+)['"]/m.exec(fs.readFileSync(init, "utf8"))?.[1] ?? "unknown")
      : "unknown";
    return { file, version };
  }
  const out = execFileSync(
    "python3",
    ["-c", "import botocore, os; print(botocore.__version__); print(os.path.dirname(botocore.__file__))"],
    { encoding: "utf8" },
  ).trim();
  const [version, dir] = out.split("\n");
  return { file: path.join(dir, "data", "cognito-idp", "2016-04-18", "service-2.json.gz"), version };
}

function readBotocore(file: string): BotoModel {
  const raw = fs.readFileSync(file);
  const text = file.endsWith(".gz") ? zlib.gunzipSync(raw).toString("utf8") : raw.toString("utf8");
  return JSON.parse(text) as BotoModel;
}

// ---------------------------------------------------------------------------------------------
// AWS SDK for JavaScript v3: schema arrays
//
// schemas_0.js declares one variable per schema (`export var AdminDisableUserRequest$ = [...]`):
//   [0, ns, name, traits, code]                              a named simple shape (e.g. a sensitive string)
//   [1, ns, name, traits, member]                            list
//   [2, ns, name, traits, key, value]                        map
//   [3, ns, name, traits, memberNames, memberSchemas, nReq]  structure; the first nReq members are required
//   [-3, ns, name, traits, memberNames, memberSchemas, nReq] error structure ({ error, httpError } traits)
//   [9, ns, name, traits, input, output]                     operation
// A member schema is a numeric code, a thunk `() => OtherSchema`, or `[thunk | code, memberTraits]`.
// Codes: 0 string, 1 number, 2 boolean, 4..7 timestamp, 15 document, 21 blob; `64 | c` is a list of c
// and `128 | c` a map of string to c (these are also used for named variables, e.g.
// `var AliasAttributesListType = 64 | 0`). Numeric traits are a bit set; bit 3 (8) is `sensitive`.

type V3Schema = readonly unknown[];
type V3Ref =
  | { kind: "code"; code: number }
  | { kind: "unit" }
  | { kind: "named"; name: string; value: V3Schema }
  | { kind: "namedCode"; name: string; code: number };

interface V3 {
  version: string;
  namespace: string;
  vars: Map<string, unknown>;
  operations: Map<string, V3Schema>;
  errors: Map<string, V3Schema>;
  enums: Map<string, string[]>;
  auth: Map<string, "sigv4" | "none">;
  signingName: string;
  operationErrors: Map<string, string[]>;
  memberTypes: Map<string, Map<string, string>>;
}

const SENSITIVE_BIT = 8;

function isSchema(value: unknown): value is V3Schema {
  return Array.isArray(value) && typeof value[0] === "number" && typeof value[1] === "string";
}

function runModule(source: string, prelude: string): Record<string, unknown> {
  const context: Record<string, unknown> = {};
  vm.createContext(context);
  vm.runInContext(`${prelude}\n${source}`, context, { filename: "sdk-module.js" });
  return context;
}

/** Turns an ES module's top-level declarations into script-level `var`s, which become properties of the context. */
function moduleToScript(source: string, imported: string[]): string {
  return source
    .replace(/^import\s*\{([^}]*)\}\s*from\s*"[^"]*";/gm, (_match, names: string) => {
      for (const name of names.split(",")) if (name.trim() !== "") imported.push(name.trim());
      return "";
    })
    .replace(/^(?:export )?(?:var|const|let) /gm, "var ");
}

function loadV3(): V3 {
  const pkg = JSON.parse(fs.readFileSync(path.join(SDK_DIR, "package.json"), "utf8")) as { version: string };

  // Schemas. The imports (TypeRegistry and the exception classes) only register error classes at
  // load time; small stand-ins are enough.
  const imported: string[] = [];
  const schemaSource = moduleToScript(
    fs.readFileSync(path.join(SDK_DIR, "dist-es", "schemas", "schemas_0.js"), "utf8"),
    imported,
  );
  const prelude = [
    "var TypeRegistry = class { constructor(ns) { this.ns = ns; } register() {} registerError() {} static for(ns) { return new TypeRegistry(ns); } };",
    ...imported.filter((name) => name !== "TypeRegistry").map((name) => `var ${name} = class {};`),
  ].join("\n");
  const context = runModule(schemaSource, prelude);
  const vars = new Map<string, unknown>(Object.entries(context));
  const namespace = vars.get("n0");
  if (typeof namespace !== "string") fail("schemas_0.js: namespace variable n0 not found");

  const operations = new Map<string, V3Schema>();
  const errors = new Map<string, V3Schema>();
  for (const value of vars.values()) {
    if (!isSchema(value) || value[1] !== namespace) continue;
    if (value[0] === 9) operations.set(String(value[2]), value);
    if (value[0] === -3) errors.set(String(value[2]), value);
  }

  // Enums.
  const enumContext = runModule(
    moduleToScript(fs.readFileSync(path.join(SDK_DIR, "dist-es", "models", "enums.js"), "utf8"), []),
    "",
  );
  const enums = new Map<string, string[]>();
  for (const [name, value] of Object.entries(enumContext)) {
    if (value === null || typeof value !== "object") continue;
    enums.set(name, Object.values(value as Record<string, unknown>).map(String));
  }

  // Auth kind per operation.
  const authSource = fs.readFileSync(
    path.join(SDK_DIR, "dist-es", "auth", "httpAuthSchemeProvider.js"),
    "utf8",
  );
  const auth = new Map<string, "sigv4" | "none">();
  for (const match of authSource.matchAll(/case "(\w+)":\s*\{\s*options\.push\((\w+)\(/g)) {
    const option = match[2];
    if (option === "createSmithyApiNoAuthHttpAuthOption") auth.set(match[1], "none");
    else if (option === "createAwsAuthSigv4HttpAuthOption") auth.set(match[1], "sigv4");
    else fail(`httpAuthSchemeProvider.js: unknown auth option ${option}`);
  }
  const defaultOption = /default:\s*\{\s*options\.push\((\w+)\(/.exec(authSource)?.[1];
  if (defaultOption !== "createAwsAuthSigv4HttpAuthOption") {
    fail(`httpAuthSchemeProvider.js: unexpected default auth option ${defaultOption}`);
  }
  for (const name of operations.keys()) if (!auth.has(name)) auth.set(name, "sigv4");
  const signingName = /schemeId: "aws\.auth#sigv4",\s*signingProperties: \{\s*name: "([^"]+)"/.exec(
    authSource,
  )?.[1];
  if (signingName === undefined) fail("httpAuthSchemeProvider.js: signing name not found");

  // Errors per operation.
  const operationErrors = new Map<string, string[]>();
  for (const name of operations.keys()) {
    const file = path.join(SDK_DIR, "dist-types", "commands", `${name}Command.d.ts`);
    const text = fs.readFileSync(file, "utf8");
    const list = new Set<string>();
    for (const match of text.matchAll(/@throws \{@link (\w+)\} \((client|server) fault\)/g)) {
      const schema = errors.get(match[1]);
      if (schema === undefined) fail(`${file}: unknown error ${match[1]}`);
      if (traitsOf(schema[3]).error !== match[2])
        report("faults", `${name}: ${match[1]} documented as ${match[2]} fault`);
      list.add(match[1]);
    }
    operationErrors.set(name, [...list].sort());
  }

  // Member types from the declarations: `    Name?: Type | undefined;` inside `export interface X {`.
  const memberTypes = new Map<string, Map<string, string>>();
  const modelsDir = path.join(SDK_DIR, "dist-types", "models");
  for (const file of fs.readdirSync(modelsDir).sort()) {
    if (!file.endsWith(".d.ts")) continue;
    const text = fs.readFileSync(path.join(modelsDir, file), "utf8");
    for (const block of text.matchAll(/^export interface (\w+) \{\n([\s\S]*?)^\}/gm)) {
      const members = new Map<string, string>();
      for (const line of block[2].matchAll(/^ {4}(\w+)\??: (.+?)(?: \| undefined)?;$/gm)) {
        members.set(line[1], line[2]);
      }
      memberTypes.set(block[1], members);
    }
  }

  return {
    version: pkg.version,
    namespace,
    vars,
    operations,
    errors,
    enums,
    auth,
    signingName,
    operationErrors,
    memberTypes,
  };
}

function thunkTarget(fn: (...args: unknown[]) => unknown): string {
  const match = /^\(\)\s*=>\s*([\w$]+)$/.exec(fn.toString().trim());
  if (match === null) fail(`unexpected schema thunk: ${fn.toString()}`);
  return match[1];
}

function resolveRef(v3: V3, ref: unknown): V3Ref {
  if (typeof ref === "number") return { kind: "code", code: ref };
  if (
    Array.isArray(ref) &&
    ref.length === 2 &&
    (typeof ref[0] === "number" || typeof ref[0] === "function")
  ) {
    return resolveRef(v3, ref[0]);
  }
  if (typeof ref === "function") {
    const varName = thunkTarget(ref as (...args: unknown[]) => unknown);
    const value = v3.vars.get(varName);
    if (value === "unit") return { kind: "unit" };
    if (typeof value === "number") return { kind: "namedCode", name: varName, code: value };
    if (isSchema(value)) return { kind: "named", name: String(value[2]), value };
    fail(`schema variable ${varName} has an unexpected value`);
  }
  fail(`unexpected member schema ${JSON.stringify(ref)}`);
}

function traitsOf(traits: unknown): { sensitive: boolean; error?: string; httpError?: number } {
  if (typeof traits === "number") return { sensitive: (traits & SENSITIVE_BIT) !== 0 };
  if (traits !== null && typeof traits === "object") {
    const record = traits as Record<string, unknown>;
    return {
      sensitive: record["sensitive"] !== undefined,
      error: typeof record["error"] === "string" ? record["error"] : undefined,
      httpError: typeof record["httpError"] === "number" ? record["httpError"] : undefined,
    };
  }
  return { sensitive: false };
}

const LIST_MODIFIER = 64;
const MAP_MODIFIER = 128;

function codeType(code: number): ShapeType | "list" | "map" {
  if ((code & MAP_MODIFIER) !== 0) return "map";
  if ((code & LIST_MODIFIER) !== 0) return "list";
  switch (code) {
    case 0:
      return "string";
    case 1:
      return "integer";
    case 2:
      return "boolean";
    case 4:
    case 5:
    case 6:
    case 7:
      return "timestamp";
    case 15:
      return "document";
    case 21:
      return "blob";
    default:
      fail(`unsupported schema code ${code}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Merging

const NUMERIC = new Set(["integer", "long", "double", "float"]);

/** The botocore type expressed in model terms (botocore spells documents as a structure flagged `document`). */
function botoType(shape: BotoShape): ShapeType {
  if (shape.type === "structure" && shape.document === true) return "document";
  if (shape.type === "float") return "double";
  return shape.type as ShapeType;
}

function compatible(code: number, boto: BotoShape): boolean {
  const expected = codeType(code);
  const actual = botoType(boto);
  if (expected === "integer") return NUMERIC.has(actual);
  return expected === actual;
}

class Importer {
  readonly shapes = new Map<string, ModelShape>();
  private readonly pending: Array<() => void> = [];
  private readonly v3: V3;
  private readonly boto: BotoModel;

  constructor(v3: V3, boto: BotoModel) {
    this.v3 = v3;
    this.boto = boto;
  }

  run(): void {
    for (const op of this.v3.operations.values()) {
      this.refTarget(resolveRef(this.v3, op[4]), `${op[2]} input`);
      this.refTarget(resolveRef(this.v3, op[5]), `${op[2]} output`);
    }
    for (const [name, schema] of this.v3.errors) this.enqueue(name, () => this.structure(schema));
    while (this.pending.length > 0) this.pending.shift()!();
  }

  private enqueue(name: string, build: () => ModelShape): void {
    if (this.shapes.has(name)) return;
    this.shapes.set(name, { type: "structure", members: {} }); // placeholder, replaced below
    this.pending.push(() => this.shapes.set(name, build()));
  }

  /** The model name of a referenced shape; schedules its definition. */
  refTarget(ref: V3Ref, where: string): string {
    switch (ref.kind) {
      case "unit":
        this.enqueue("Unit", () => ({ type: "structure", members: {} }));
        return "Unit";
      case "named": {
        const value = ref.value;
        this.enqueue(ref.name, () => this.named(value));
        return ref.name;
      }
      case "namedCode": {
        const { name, code } = ref;
        this.enqueue(name, () => this.collection(name, code, undefined));
        return name;
      }
      case "code":
        fail(`${where}: unnamed shape`);
    }
  }

  private named(schema: V3Schema): ModelShape {
    const name = String(schema[2]);
    const traits = traitsOf(schema[3]);
    switch (schema[0]) {
      case 0: {
        const code = schema[4];
        if (typeof code !== "number") fail(`${name}: unexpected simple schema`);
        const shape = this.primitive(name, code);
        if (traits.sensitive) this.sensitive(name, shape, true);
        return shape;
      }
      case 1:
      case 2: {
        const shape = this.collectionFromSchema(schema);
        if (traits.sensitive) this.sensitive(name, shape, true);
        return shape;
      }
      case 3:
      case -3:
        return this.structure(schema);
      default:
        fail(`${name}: unexpected schema kind ${String(schema[0])}`);
    }
  }

  private sensitive(name: string, shape: ModelShape, fromSdk: boolean): void {
    const boto = this.boto.shapes[name];
    const botoSensitive = boto?.sensitive === true;
    if (fromSdk) shape.sensitive = true;
    if (boto !== undefined && fromSdk !== botoSensitive) {
      report(
        "sensitive",
        `${name}: SDK ${fromSdk ? "sensitive" : "not sensitive"}, botocore ${botoSensitive}`,
      );
    }
  }

  private structure(schema: V3Schema): ModelShape {
    const name = String(schema[2]);
    const traits = traitsOf(schema[3]);
    const names = schema[4] as readonly string[];
    const refs = schema[5] as readonly unknown[];
    const requiredCount = typeof schema[6] === "number" ? schema[6] : 0;
    const boto = this.boto.shapes[name];
    if (boto === undefined) report("shapes only in the SDK", name);
    else if (boto.type !== "structure") report("type", `${name}: SDK structure, botocore ${boto.type}`);

    const members: Record<string, ModelMember> = {};
    names.forEach((member, index) => {
      const target = this.memberTarget(name, member, resolveRef(this.v3, refs[index]));
      members[member] = index < requiredCount ? { target, required: true } : { target };
      const ref = refs[index];
      if (Array.isArray(ref) && ref.length === 2 && traitsOf(ref[1]).sensitive)
        members[member].sensitive = true;
      const botoRequired = boto?.required?.includes(member) ?? false;
      if (boto?.members?.[member] !== undefined && botoRequired !== index < requiredCount) {
        report("required", `${name}.${member}: SDK ${index < requiredCount}, botocore ${botoRequired}`);
      }
    });
    if (boto?.members !== undefined) {
      for (const member of Object.keys(boto.members)) {
        if (!names.includes(member)) report("members only in botocore", `${name}.${member}`);
      }
    }

    const shape: ModelShape = { type: "structure", members };
    if (schema[0] === -3) {
      const status = traits.httpError ?? (traits.error === "server" ? 500 : undefined);
      if (status === undefined) fail(`${name}: error without an HTTP status`);
      if (traits.error !== "client" && traits.error !== "server")
        fail(`${name}: unknown fault ${traits.error}`);
      shape.error = { fault: traits.error, status };
    }
    this.sensitive(name, shape, traits.sensitive);
    return shape;
  }

  private memberTarget(structure: string, member: string, ref: V3Ref): string {
    const botoMember = this.boto.shapes[structure]?.members?.[member];
    if (botoMember === undefined && this.boto.shapes[structure] !== undefined) {
      report("members only in the SDK", `${structure}.${member}`);
    }
    if (ref.kind !== "code") {
      const target = this.refTarget(ref, `${structure}.${member}`);
      if (botoMember !== undefined && botoMember.shape !== target) {
        report("member targets", `${structure}.${member}: SDK ${target}, botocore ${botoMember.shape}`);
      }
      return target;
    }
    const declared = this.v3.memberTypes.get(structure)?.get(member);
    if (botoMember !== undefined) {
      const boto = this.boto.shapes[botoMember.shape];
      if (boto === undefined) fail(`botocore: missing shape ${botoMember.shape}`);
      if (!compatible(ref.code, boto)) {
        report(
          "type",
          `${structure}.${member}: SDK ${codeType(ref.code)}, botocore ${botoMember.shape} (${boto.type})`,
        );
      }
      this.checkDeclaredEnum(`${structure}.${member}`, declared, botoMember.shape);
      const target = botoMember.shape;
      this.enqueue(target, () => this.fromBotocore(target, ref.code));
      return target;
    }
    return this.generic(ref.code, declared);
  }

  /** Compares the SDK's declared TypeScript type (an enum name or `string`) with botocore's target. */
  private checkDeclaredEnum(where: string, declared: string | undefined, target: string): void {
    if (declared === undefined) return;
    const element = declared.endsWith("[]") ? declared.slice(0, -2) : declared;
    const boto = this.boto.shapes[target];
    const botoElement =
      boto?.type === "list" && boto.member !== undefined
        ? boto.member.shape
        : boto?.type === "map" && boto.value !== undefined
          ? boto.value.shape
          : target;
    const sdkEnum = this.v3.enums.has(element) ? element : undefined;
    const botoEnum = this.boto.shapes[botoElement]?.enum !== undefined ? botoElement : undefined;
    if (sdkEnum !== botoEnum) {
      report("enums", `${where}: SDK ${sdkEnum ?? "plain string"}, botocore ${botoEnum ?? botoElement}`);
    }
  }

  /** A shape named by botocore for a member that the SDK schema inlines. */
  private fromBotocore(name: string, code: number): ModelShape {
    const boto = this.boto.shapes[name];
    const type = codeType(code);
    if (type === "list" || type === "map") return this.collection(name, code, boto);
    return this.primitive(name, code);
  }

  /** A string/number/boolean/timestamp/blob/document shape, with botocore's constraints if it has the shape. */
  private primitive(name: string, code: number): ModelShape {
    const boto = this.boto.shapes[name];
    let type = codeType(code);
    if (type === "list" || type === "map") fail(`${name}: expected a simple shape`);
    if (boto !== undefined) {
      if (!compatible(code, boto)) report("type", `${name}: SDK ${type}, botocore ${boto.type}`);
      else type = botoType(boto);
    }
    const shape: ModelShape = { type };
    if (boto !== undefined) this.constraints(shape, boto);
    const sdkEnum = this.v3.enums.get(name);
    if (sdkEnum !== undefined) {
      if (type !== "string") fail(`${name}: enum on a ${type}`);
      shape.enum = sdkEnum;
      const botoEnum = boto?.enum;
      if (botoEnum === undefined && boto !== undefined) report("enums", `${name}: an enum in the SDK only`);
      if (botoEnum !== undefined) {
        const added = sdkEnum.filter((v) => !botoEnum.includes(v));
        const removed = botoEnum.filter((v) => !sdkEnum.includes(v));
        if (added.length > 0) report("enums", `${name}: SDK adds ${added.join(", ")}`);
        if (removed.length > 0) report("enums", `${name}: SDK lacks ${removed.join(", ")}`);
      }
    } else if (boto?.enum !== undefined) {
      report("enums", `${name}: enum in botocore only; keeping botocore's values`);
      shape.enum = [...boto.enum];
    }
    return shape;
  }

  private constraints(shape: ModelShape, boto: BotoShape): void {
    if (boto.min !== undefined) shape.min = boto.min;
    if (boto.max !== undefined) shape.max = boto.max;
    if (boto.pattern !== undefined) shape.pattern = boto.pattern;
    if (boto.sensitive === true) shape.sensitive = true;
  }

  private collectionFromSchema(schema: V3Schema): ModelShape {
    const name = String(schema[2]);
    const boto = this.boto.shapes[name];
    if (schema[0] === 1) {
      const member = this.elementTarget(name, resolveRef(this.v3, schema[4]), boto?.member);
      const shape: ModelShape = { type: "list", member };
      if (boto !== undefined) this.constraints(shape, boto);
      else report("shapes only in the SDK", name);
      return shape;
    }
    const key = this.elementTarget(name, resolveRef(this.v3, schema[4]), boto?.key);
    const value = this.elementTarget(name, resolveRef(this.v3, schema[5]), boto?.value);
    const shape: ModelShape = { type: "map", key, value };
    if (boto !== undefined) this.constraints(shape, boto);
    else report("shapes only in the SDK", name);
    return shape;
  }

  /** A list or map of a simple type written as `64 | code` / `128 | code`. */
  private collection(name: string, code: number, boto: BotoShape | undefined): ModelShape {
    const known = boto ?? this.boto.shapes[name];
    const element = code & ~(LIST_MODIFIER | MAP_MODIFIER);
    if ((code & LIST_MODIFIER) !== 0) {
      const member = this.elementTarget(name, { kind: "code", code: element }, known?.member);
      const shape: ModelShape = { type: "list", member };
      if (known !== undefined) this.constraints(shape, known);
      else report("shapes only in the SDK", name);
      return shape;
    }
    const key = this.elementTarget(name, { kind: "code", code: 0 }, known?.key);
    const value = this.elementTarget(name, { kind: "code", code: element }, known?.value);
    const shape: ModelShape = { type: "map", key, value };
    if (known !== undefined) this.constraints(shape, known);
    else report("shapes only in the SDK", name);
    return shape;
  }

  private elementTarget(owner: string, ref: V3Ref, botoMember: BotoMember | undefined): string {
    if (ref.kind !== "code") {
      const target = this.refTarget(ref, owner);
      if (botoMember !== undefined && botoMember.shape !== target) {
        report("member targets", `${owner} element: SDK ${target}, botocore ${botoMember.shape}`);
      }
      return target;
    }
    if (botoMember !== undefined) {
      const target = botoMember.shape;
      this.enqueue(target, () => this.fromBotocore(target, ref.code));
      return target;
    }
    return this.generic(ref.code, undefined);
  }

  /**
   * A generic shape for a member that only the SDK has: an SDK enum when the declaration names one,
   * otherwise String, Integer, Boolean, Timestamp, Blob, Document, or a list/map of those.
   */
  private generic(code: number, declared: string | undefined): string {
    const type = codeType(code);
    if (type === "list") {
      const element = declared?.endsWith("[]") ? declared.slice(0, -2) : undefined;
      const member = this.generic(code & ~LIST_MODIFIER, element);
      const name = member === "String" ? "StringList" : `${member}List`;
      return this.define(name, { type: "list", member });
    }
    if (type === "map") {
      const value = /^Record<string, (\w+)>$/.exec(declared ?? "")?.[1];
      const target = this.generic(code & ~MAP_MODIFIER, value);
      const name = target === "String" ? "StringMap" : `${target}Map`;
      return this.define(name, { type: "map", key: this.generic(0, undefined), value: target });
    }
    if (type === "string" && declared !== undefined && this.v3.enums.has(declared)) {
      const values = this.v3.enums.get(declared)!;
      if (this.boto.shapes[declared] !== undefined) {
        this.enqueue(declared, () => this.primitive(declared, 0));
        return declared;
      }
      return this.define(declared, { type: "string", enum: values });
    }
    const names: Record<string, string> = {
      string: "String",
      integer: "Integer",
      boolean: "Boolean",
      timestamp: "Timestamp",
      blob: "Blob",
      document: "Document",
    };
    const name = names[type];
    if (type === "document") {
      this.enqueue(name, () => this.primitive(name, code));
      return name;
    }
    return this.define(name, { type });
  }

  private define(name: string, shape: ModelShape): string {
    const existing = this.shapes.get(name);
    if (existing === undefined) {
      if (this.boto.shapes[name] !== undefined) fail(`generic shape name ${name} is taken by botocore`);
      this.shapes.set(name, shape);
    } else if (JSON.stringify(sortKeys(existing)) !== JSON.stringify(sortKeys(shape))) {
      fail(`generic shape ${name} defined twice with different content`);
    }
    return name;
  }
}

// ---------------------------------------------------------------------------------------------
// Areas and cross-checks

interface AreasFile {
  description: string;
  areas: Array<{ area: string; operations: string[] }>;
}

interface ReferenceOperation {
  name: string;
  area: string;
  auth: "sigv4" | "none";
  errors: string[];
}

function crossCheckBotocore(v3: V3, boto: BotoModel): void {
  const errorDiffs = new Map<string, string[]>();
  const addErrorDiff = (what: string, op: string): void => {
    errorDiffs.set(what, [...(errorDiffs.get(what) ?? []), op]);
  };
  for (const name of [...v3.operations.keys()].sort()) {
    const op = boto.operations[name];
    if (op === undefined) {
      report("operations only in the SDK", name);
      continue;
    }
    const botoAuth = op.authtype === "none" || op.auth?.includes("smithy.api#noAuth") ? "none" : "sigv4";
    if (botoAuth !== v3.auth.get(name))
      report("auth", `${name}: SDK ${v3.auth.get(name)}, botocore ${botoAuth}`);
    const sdkErrors = v3.operationErrors.get(name) ?? [];
    const botoErrors = (op.errors ?? []).map((e) => e.shape);
    const added = sdkErrors.filter((e) => !botoErrors.includes(e));
    const removed = botoErrors.filter((e) => !sdkErrors.includes(e));
    for (const error of added) addErrorDiff(`SDK adds ${error}`, name);
    for (const error of removed) addErrorDiff(`SDK lacks ${error}`, name);
  }
  for (const [what, ops] of errorDiffs) {
    report("operation errors (SDK vs botocore)", `${what} (${ops.length} operations): ${ops.join(", ")}`);
  }
  for (const name of Object.keys(boto.operations).sort()) {
    if (!v3.operations.has(name)) report("operations only in botocore", name);
  }
}

function crossCheckReference(operations: Record<string, ModelOperation>, file: string): void {
  const reference = JSON.parse(fs.readFileSync(file, "utf8")) as ReferenceOperation[];
  const seen = new Set<string>();
  for (const ref of reference) {
    seen.add(ref.name);
    const op = operations[ref.name];
    if (op === undefined) {
      report("reference", `${ref.name}: not in the SDK`);
      continue;
    }
    if (op.area !== ref.area) report("reference", `${ref.name}: area "${op.area}" vs "${ref.area}"`);
    if (op.auth !== ref.auth) report("reference", `${ref.name}: auth ${op.auth} vs ${ref.auth}`);
    const expected = [...ref.errors].sort().join(",");
    if (op.errors.join(",") !== expected) {
      report("reference", `${ref.name}: errors ${op.errors.join(",")} vs ${expected}`);
    }
  }
  for (const name of Object.keys(operations)) if (!seen.has(name)) report("reference", `${name}: missing`);
  if (!findings.has("reference")) {
    console.log(`reference ${file}: ${reference.length} operations, areas, auth and errors all agree`);
  }
}

function checkPatterns(shapes: Record<string, ModelShape>, patches: Patches): void {
  for (const [name, shape] of Object.entries(shapes)) {
    if (shape.pattern === undefined) continue;
    const patch = patches.patterns[name];
    const pattern = patch !== undefined && patch.from === shape.pattern ? patch.to : shape.pattern;
    if (patch !== undefined && patch.from !== shape.pattern) {
      report(
        "patterns",
        `${name}: model/patches.json expects ${JSON.stringify(patch.from)}, model has ${JSON.stringify(shape.pattern)}`,
      );
    }
    try {
      new RegExp(toJsRegExpSource(pattern), "u");
    } catch (error) {
      report(
        "patterns",
        `${name}: ${JSON.stringify(pattern)} does not compile (${(error as Error).message}); add a correction to model/patches.json`,
      );
    }
  }
  for (const name of Object.keys(patches.patterns)) {
    if (shapes[name]?.pattern === undefined)
      report("patterns", `model/patches.json: ${name} has no pattern in the model`);
  }
}

// ---------------------------------------------------------------------------------------------

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const botoLocation = locateBotocore(args.botocore);
  const boto = readBotocore(botoLocation.file);
  const v3 = loadV3();

  const importer = new Importer(v3, boto);
  importer.run();

  const areasFile = JSON.parse(fs.readFileSync(AREAS_FILE, "utf8")) as AreasFile;
  const areaOf = new Map<string, string>();
  for (const { area, operations } of areasFile.areas) {
    for (const op of operations) {
      if (areaOf.has(op)) fail(`model/areas.json: ${op} is listed twice`);
      if (!v3.operations.has(op)) fail(`model/areas.json: ${op} is not an operation of ${SDK_PACKAGE}`);
      areaOf.set(op, area);
    }
  }

  const operations: Record<string, ModelOperation> = {};
  for (const [name, schema] of v3.operations) {
    const area = areaOf.get(name);
    if (area === undefined) fail(`model/areas.json: add ${name} to an area`);
    operations[name] = {
      area,
      auth: v3.auth.get(name)!,
      input: importer.refTarget(resolveRef(v3, schema[4]), name),
      output: importer.refTarget(resolveRef(v3, schema[5]), name),
      errors: v3.operationErrors.get(name)!,
    };
  }

  crossCheckBotocore(v3, boto);
  if (args.reference !== undefined) crossCheckReference(operations, args.reference);

  const shapes = Object.fromEntries(importer.shapes);
  checkPatterns(shapes, readPatches());

  const meta = boto.metadata;
  const model: Model = {
    metadata: {
      apiVersion: String(meta["apiVersion"]),
      areas: areasFile.areas.map((a) => a.area),
      endpointPrefix: String(meta["endpointPrefix"]),
      jsonVersion: String(meta["jsonVersion"]),
      protocol: "awsJson1_1",
      serviceFullName: String(meta["serviceFullName"]),
      serviceId: String(meta["serviceId"]),
      signingName: v3.signingName,
      sources: {
        botocore: botoLocation.version,
        [SDK_PACKAGE]: v3.version,
      },
      targetPrefix: String(meta["targetPrefix"]),
    },
    operations,
    shapes,
  };
  fs.writeFileSync(MODEL_FILE, `${JSON.stringify(sortKeys(model), null, 2)}\n`);

  const auth = Object.values(operations);
  console.log(
    `wrote ${path.relative(ROOT, MODEL_FILE)}: ${auth.length} operations ` +
      `(${auth.filter((o) => o.auth === "sigv4").length} sigv4, ${auth.filter((o) => o.auth === "none").length} none), ` +
      `${Object.keys(shapes).length} shapes, ${v3.errors.size} errors`,
  );
  console.log(
    `sources: ${SDK_PACKAGE} ${v3.version}, botocore ${botoLocation.version} (${botoLocation.file})`,
  );
  for (const [section, lines] of findings) {
    console.log(`\n${section} (${lines.length}):`);
    for (const line of lines) console.log(`  ${line}`);
  }
}

main();
