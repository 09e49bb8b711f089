/**
 * Generates the code and documents derived from the service model (model/cognito-idp.json,
 * corrected by model/patches.json, with the HTTP statuses Cognito really sends from
 * model/wire-status.json):
 *
 *   src/generated/exceptions.ts   one AwsError subclass per modelled exception
 *   src/generated/operations.ts   the operation table (area, auth, input, output, errors)
 *   src/generated/shapes.ts       the validation table (members, required, constraints, enums)
 *   src/generated/types.ts        TypeScript types for every structure and enum, and OperationTypes
 *                                 (each operation's input and output type, by name)
 *   src/operations/table.ts       the static table of the implemented operations (one per file)
 *   docs/compatibility.md         implementation status of every operation
 *   docs/configuration.md         every setting, from the option table in src/config/options.ts
 *
 * An operation counts as implemented when a file `src/operations/<area-folder>/<Operation>.ts` exists.
 * Hand-written notes for docs/compatibility.md live in docs/compatibility-notes.json (per operation)
 * and docs/compatibility/*.md (behaviour across operations, one topic a file, in file-name order).
 *
 * Usage:
 *   node scripts/codegen.ts           write the files
 *   node scripts/codegen.ts --check   exit 1 and list the stale files if anything on disk differs
 */
import fs from "node:fs";
import path from "node:path";
import { configurationDoc } from "../src/config/docs.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
export const MODEL_FILE = path.join(ROOT, "model", "cognito-idp.json");
export const PATCHES_FILE = path.join(ROOT, "model", "patches.json");
export const WIRE_STATUS_FILE = path.join(ROOT, "model", "wire-status.json");
const NOTES_FILE = path.join(ROOT, "docs", "compatibility-notes.json");
const GENERATED_DIR = path.join(ROOT, "src", "generated");
const OPERATIONS_DIR = path.join(ROOT, "src", "operations");
const OPERATION_TABLE_FILE = path.join(OPERATIONS_DIR, "table.ts");
const COMPATIBILITY_FILE = path.join(ROOT, "docs", "compatibility.md");
const TOPICS_DIR = path.join(ROOT, "docs", "compatibility");
const CONFIGURATION_FILE = path.join(ROOT, "docs", "configuration.md");

// ---------------------------------------------------------------------------------------------
// Model format

export type ShapeType =
  | "structure"
  | "string"
  | "integer"
  | "long"
  | "double"
  | "boolean"
  | "timestamp"
  | "blob"
  | "document"
  | "list"
  | "map";

export interface ModelMember {
  target: string;
  required?: true;
  sensitive?: true;
}

export interface ModelShape {
  type: ShapeType;
  /** structure */
  members?: Record<string, ModelMember>;
  /** structure: set on exceptions */
  error?: { fault: "client" | "server"; status: number };
  /** list */
  member?: string;
  /** map */
  key?: string;
  value?: string;
  /** string/blob length, list/map size, or numeric range */
  min?: number;
  max?: number;
  /** string: a Java regular expression, matched against the whole value */
  pattern?: string;
  /** string */
  enum?: string[];
  sensitive?: true;
}

export interface ModelOperation {
  area: string;
  auth: "sigv4" | "none";
  input: string;
  output: string;
  errors: string[];
}

export interface Model {
  metadata: {
    apiVersion: string;
    /** capability areas, in the order used by docs/compatibility.md */
    areas: string[];
    endpointPrefix: string;
    jsonVersion: string;
    protocol: string;
    serviceFullName: string;
    serviceId: string;
    signingName: string;
    sources: Record<string, string>;
    targetPrefix: string;
  };
  operations: Record<string, ModelOperation>;
  shapes: Record<string, ModelShape>;
}

export interface PatternPatch {
  from: string;
  to: string;
  why: string;
}

/** Values to add to an enum shape the model's snapshot does not list yet. */
export interface EnumPatch {
  add: string[];
  why: string;
}

/** An operation whose auth Lanyard takes to be `to` where the model says `from`. */
export interface AuthPatch {
  from: ModelOperation["auth"];
  to: ModelOperation["auth"];
  why: string;
}

export interface Patches {
  patterns: Record<string, PatternPatch>;
  enums: Record<string, EnumPatch>;
  auth: Record<string, AuthPatch>;
}

/** The status Cognito sends for an exception whose model status (`model`) is not what goes on the wire. */
export interface WireStatus {
  model: number;
  wire: number;
  source: string;
}

// ---------------------------------------------------------------------------------------------
// Loading

/** A copy of `value` with object keys sorted (array order is kept). */
export function sortKeys<T>(value: T): T {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v !== null && typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(v).sort()) out[key] = sort((v as Record<string, unknown>)[key]);
      return out;
    }
    return v;
  };
  return sort(value) as T;
}

export function readPatches(): Patches {
  const raw = JSON.parse(fs.readFileSync(PATCHES_FILE, "utf8")) as {
    patterns?: Record<string, PatternPatch>;
    enums?: Record<string, EnumPatch>;
    auth?: Record<string, AuthPatch>;
  };
  return { patterns: raw.patterns ?? {}, enums: raw.enums ?? {}, auth: raw.auth ?? {} };
}

export function readWireStatuses(): Record<string, WireStatus> {
  const raw = JSON.parse(fs.readFileSync(WIRE_STATUS_FILE, "utf8")) as {
    statuses?: Record<string, WireStatus>;
  };
  return raw.statuses ?? {};
}

/** Anchors a Java pattern for `String.matches()` semantics; use with the `u` flag. */
export function toJsRegExpSource(pattern: string): string {
  return `^(?:${pattern})$`;
}

/**
 * The model with model/patches.json and model/wire-status.json applied. Throws if a patch or a
 * wire status no longer matches the model.
 */
export function loadModel(): Model {
  const model = JSON.parse(fs.readFileSync(MODEL_FILE, "utf8")) as Model;
  const patches = readPatches();
  for (const [name, patch] of Object.entries(patches.patterns)) {
    const shape = model.shapes[name];
    if (shape === undefined || shape.pattern !== patch.from) {
      throw new Error(
        `model/patches.json: ${name} expects the pattern ${JSON.stringify(patch.from)}, ` +
          `the model has ${JSON.stringify(shape?.pattern)}`,
      );
    }
    shape.pattern = patch.to;
  }
  for (const [name, patch] of Object.entries(patches.enums)) {
    const values = model.shapes[name]?.enum;
    const present = patch.add.filter((v) => values?.includes(v));
    if (values === undefined || present.length > 0) {
      throw new Error(
        `model/patches.json: ${name} adds ${JSON.stringify(patch.add)} to an enum, ` +
          `the model has ${JSON.stringify(values)}`,
      );
    }
    values.push(...patch.add);
  }
  for (const [name, patch] of Object.entries(patches.auth)) {
    const op = model.operations[name];
    if (op === undefined || op.auth !== patch.from) {
      throw new Error(
        `model/patches.json: ${name} expects the auth ${patch.from}, the model has ${JSON.stringify(op?.auth)}`,
      );
    }
    op.auth = patch.to;
  }
  for (const [name, status] of Object.entries(readWireStatuses())) {
    const error = model.shapes[name]?.error;
    if (error === undefined || error.status !== status.model) {
      throw new Error(
        `model/wire-status.json: ${name} expects the model status ${status.model}, ` +
          `the model has ${JSON.stringify(error?.status)}`,
      );
    }
    error.status = status.wire;
  }
  for (const [name, shape] of Object.entries(model.shapes)) {
    if (shape.pattern === undefined) continue;
    try {
      new RegExp(toJsRegExpSource(shape.pattern), "u");
    } catch (error) {
      throw new Error(`${name}: pattern does not compile, add a correction to model/patches.json: ${error}`, {
        cause: error,
      });
    }
  }
  return model;
}

// ---------------------------------------------------------------------------------------------
// Helpers

const HEADER = [
  "// Generated by `npm run codegen` from model/cognito-idp.json, model/patches.json and",
  "// model/wire-status.json.",
  "// Do not edit by hand.",
  "",
].join("\n");

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function key(name: string): string {
  return IDENTIFIER.test(name) ? name : JSON.stringify(name);
}

function str(value: string): string {
  return JSON.stringify(value);
}

function sortedEntries<T>(record: Record<string, T>): Array<[string, T]> {
  return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A regular expression literal for `source`: every `/` that is not already escaped gets a backslash. */
function regExpLiteral(source: string, flags: string): string {
  let out = "";
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === "\\") {
      out += ch + (source[i + 1] ?? "");
      i++;
    } else if (ch === "/") {
      out += "\\/";
    } else if (ch === "\n") {
      out += "\\n";
    } else if (ch === "\r") {
      out += "\\r";
    } else {
      out += ch;
    }
  }
  new RegExp(out, flags); // `\/` is an identity escape for `/`, also valid with the u flag
  return `/${out}/${flags}`;
}

/** The members of a string literal union, one per line, the last one closing the statement. */
function unionLines(values: readonly string[]): string[] {
  return values.map((value, i) => `  | ${str(value)}${i === values.length - 1 ? ";" : ""}`);
}

// ---------------------------------------------------------------------------------------------
// Generators

function exceptionsFile(model: Model): string {
  const errors = sortedEntries(model.shapes).filter(([, shape]) => shape.error !== undefined);
  const lines = [HEADER, 'import { AwsError } from "../errors.ts";', ""];
  for (const [name, shape] of errors) {
    const status = shape.error!.status;
    lines.push(
      `/** ${shape.error!.fault === "server" ? "Server" : "Client"} fault, HTTP ${status}. */`,
      `export class ${name} extends AwsError {`,
      "  constructor(message: string) {",
      `    super(${str(name)}, ${status}, message);`,
      "  }",
      "}",
      "",
    );
  }
  lines.push("/** HTTP status of every modelled exception, by its `__type` name. */");
  lines.push("export const EXCEPTION_STATUS: Readonly<Record<string, number>> = {");
  for (const [name, shape] of errors) lines.push(`  ${key(name)}: ${shape.error!.status},`);
  lines.push("};", "");
  return lines.join("\n");
}

function operationsFile(model: Model): string {
  const ops = sortedEntries(model.operations);
  const lines = [HEADER];
  lines.push("export type OperationName =");
  lines.push(...unionLines(ops.map(([name]) => name)));
  lines.push(
    "",
    "export interface OperationSpec {",
    "  readonly name: OperationName;",
    "  /** capability area, as grouped in docs/compatibility.md */",
    "  readonly area: string;",
    '  /** "sigv4": signed with IAM credentials; "none": unsigned (token, session or client id based) */',
    '  readonly auth: "sigv4" | "none";',
    "  /** input shape name in SHAPES */",
    "  readonly input: string;",
    "  /** output shape name in SHAPES */",
    "  readonly output: string;",
    "  /** exceptions the operation can return */",
    "  readonly errors: readonly string[];",
    "}",
    "",
    "export const OPERATIONS: Readonly<Record<OperationName, OperationSpec>> = {",
  );
  for (const [name, op] of ops) {
    lines.push(
      `  ${key(name)}: {`,
      `    name: ${str(name)},`,
      `    area: ${str(op.area)},`,
      `    auth: ${str(op.auth)},`,
      `    input: ${str(op.input)},`,
      `    output: ${str(op.output)},`,
      `    errors: [${op.errors.map(str).join(", ")}],`,
      "  },",
    );
  }
  lines.push("};", "");
  return lines.join("\n");
}

function shapesFile(model: Model): string {
  const lines = [
    HEADER,
    "export interface Member {",
    "  readonly target: string;",
    "  readonly required?: true;",
    "  readonly sensitive?: true;",
    "}",
    "",
    "/**",
    " * One entry of the validation table. Lengths count Unicode code points for strings and bytes for blobs;",
    " * `pattern` is anchored (the whole value must match) and uses the `u` flag.",
    " */",
    "export type Shape =",
    "  | {",
    '      readonly type: "structure";',
    "      readonly members: Readonly<Record<string, Member>>;",
    "      readonly sensitive?: true;",
    '      readonly error?: { readonly fault: "client" | "server"; readonly status: number };',
    "    }",
    "  | {",
    '      readonly type: "string";',
    "      readonly min?: number;",
    "      readonly max?: number;",
    "      readonly pattern?: RegExp;",
    "      readonly enum?: readonly string[];",
    "      readonly sensitive?: true;",
    "    }",
    '  | { readonly type: "integer" | "long" | "double"; readonly min?: number; readonly max?: number }',
    '  | { readonly type: "boolean" }',
    '  | { readonly type: "timestamp" }',
    '  | { readonly type: "document" }',
    '  | { readonly type: "blob"; readonly min?: number; readonly max?: number; readonly sensitive?: true }',
    "  | {",
    '      readonly type: "list";',
    "      readonly member: string;",
    "      readonly min?: number;",
    "      readonly max?: number;",
    "      readonly sensitive?: true;",
    "    }",
    "  | {",
    '      readonly type: "map";',
    "      readonly key: string;",
    "      readonly value: string;",
    "      readonly min?: number;",
    "      readonly max?: number;",
    "      readonly sensitive?: true;",
    "    };",
    "",
    "export const SHAPES: Readonly<Record<string, Shape>> = {",
  ];
  for (const [name, shape] of sortedEntries(model.shapes)) {
    const fields: string[] = [`type: ${str(shape.type)}`];
    if (shape.type === "list") fields.push(`member: ${str(shape.member!)}`);
    if (shape.type === "map") fields.push(`key: ${str(shape.key!)}`, `value: ${str(shape.value!)}`);
    if (shape.min !== undefined) fields.push(`min: ${shape.min}`);
    if (shape.max !== undefined) fields.push(`max: ${shape.max}`);
    if (shape.pattern !== undefined)
      fields.push(`pattern: ${regExpLiteral(toJsRegExpSource(shape.pattern), "u")}`);
    if (shape.enum !== undefined) fields.push(`enum: [${shape.enum.map(str).join(", ")}]`);
    if (shape.sensitive === true) fields.push("sensitive: true");
    if (shape.error !== undefined) {
      fields.push(`error: { fault: ${str(shape.error.fault)}, status: ${shape.error.status} }`);
    }
    if (shape.type !== "structure") {
      lines.push(`  ${key(name)}: { ${fields.join(", ")} },`);
      continue;
    }
    const members = sortedEntries(shape.members ?? {});
    lines.push(`  ${key(name)}: {`);
    lines.push(`    ${fields[0]},`);
    if (members.length === 0) {
      lines.push("    members: {},");
    } else {
      lines.push("    members: {");
      for (const [member, spec] of members) {
        const required = spec.required === true ? ", required: true" : "";
        const sensitive = spec.sensitive === true ? ", sensitive: true" : "";
        lines.push(`      ${key(member)}: { target: ${str(spec.target)}${required}${sensitive} },`);
      }
      lines.push("    },");
    }
    for (const field of fields.slice(1)) lines.push(`    ${field},`);
    lines.push("  },");
  }
  lines.push("};", "");
  return lines.join("\n");
}

function tsType(model: Model, target: string): string {
  const shape = model.shapes[target];
  if (shape === undefined) throw new Error(`unknown shape ${target}`);
  switch (shape.type) {
    case "structure":
      return target;
    case "string":
      return shape.enum !== undefined ? target : "string";
    case "integer":
    case "long":
    case "double":
      return "number";
    case "boolean":
      return "boolean";
    case "timestamp":
      return "number";
    case "blob":
      return "string";
    case "document":
      return "unknown";
    case "list":
      return `${tsType(model, shape.member!)}[]`;
    case "map":
      return `Record<string, ${tsType(model, shape.value!)}>`;
  }
}

function typesFile(model: Model): string {
  const lines = [
    HEADER,
    "// Wire types of the awsJson1_1 protocol: timestamps are epoch seconds, blobs are base64 strings.",
    "",
  ];
  for (const [name, shape] of sortedEntries(model.shapes)) {
    if (shape.type === "string" && shape.enum !== undefined) {
      lines.push(`export type ${name} =`);
      lines.push(...unionLines(shape.enum));
      lines.push("");
    } else if (shape.type === "structure" && shape.error === undefined) {
      const members = sortedEntries(shape.members ?? {});
      if (members.length === 0) {
        lines.push(`export type ${name} = Record<string, never>;`, "");
        continue;
      }
      lines.push(`export interface ${name} {`);
      for (const [member, spec] of members) {
        lines.push(`  ${key(member)}${spec.required === true ? "" : "?"}: ${tsType(model, spec.target)};`);
      }
      lines.push("}", "");
    }
  }
  lines.push("/** Input and output type of every operation. */");
  lines.push("export interface OperationTypes {");
  for (const [name, op] of sortedEntries(model.operations)) {
    lines.push(`  ${key(name)}: { input: ${op.input}; output: ${op.output} };`);
  }
  lines.push("}", "");
  return lines.join("\n");
}

/** The handler files `src/operations/<folder>/<Operation>.ts`: each operation name with its folder. */
function operationFiles(): Map<string, string> {
  const found = new Map<string, string>();
  if (!fs.existsSync(OPERATIONS_DIR)) return found;
  for (const folder of fs.readdirSync(OPERATIONS_DIR, { withFileTypes: true })) {
    if (!folder.isDirectory()) continue;
    for (const file of fs.readdirSync(path.join(OPERATIONS_DIR, folder.name))) {
      if (file.endsWith(".ts") && !file.endsWith(".test.ts"))
        found.set(file.slice(0, -".ts".length), folder.name);
    }
  }
  return found;
}

/** Operation names that have a handler file `src/operations/<folder>/<Operation>.ts`. */
export function implementedOperations(): Set<string> {
  return new Set(operationFiles().keys());
}

/**
 * src/operations/table.ts: the static table of the implemented operations, one import per handler
 * file. The `satisfies` clause makes the type checker hold each file's operation name to its key.
 */
function operationTableFile(model: Model): string {
  const files = [...operationFiles()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [name, folder] of files) {
    if (model.operations[name] === undefined)
      throw new Error(`src/operations/${folder}/${name}.ts: not an AWS operation name`);
  }
  const lines = [
    "// Generated by `npm run codegen` from the files src/operations/<area>/<Operation>.ts; do not edit.",
    'import type { OperationName } from "../generated/operations.ts";',
    'import type { OperationModule } from "./define.ts";',
  ];
  for (const [name, folder] of files) lines.push(`import * as ${name} from "./${folder}/${name}.ts";`);
  lines.push(
    "",
    "/** The implemented operations by name (an operation is implemented when its file exists). */",
    "export const OPERATION_TABLE = {",
  );
  for (const [name] of files) lines.push(`  ${name}: ${name}.operation,`);
  lines.push("} satisfies { readonly [N in OperationName]?: OperationModule<N> };", "");
  return lines.join("\n");
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

/** The topic notes (docs/compatibility/*.md), in file-name order, each starting with its own heading. */
function topicNotes(): string[] {
  if (!fs.existsSync(TOPICS_DIR)) return [];
  return fs
    .readdirSync(TOPICS_DIR)
    .filter((f) => f.endsWith(".md"))
    .sort()
    .map((f) => fs.readFileSync(path.join(TOPICS_DIR, f), "utf8").trim());
}

function compatibilityFile(
  model: Model,
  implemented: Set<string>,
  notes: Record<string, string>,
  topics: string[],
): string {
  for (const name of Object.keys(notes)) {
    if (model.operations[name] === undefined) {
      throw new Error(`docs/compatibility-notes.json: ${name} is not an operation`);
    }
  }
  const ops = sortedEntries(model.operations);
  const areas = [...model.metadata.areas];
  for (const [name, op] of ops) {
    if (!areas.includes(op.area)) throw new Error(`${name}: area ${op.area} is not in metadata.areas`);
  }
  const isDone = (name: string): boolean => implemented.has(name);
  const done = ops.filter(([name]) => isDone(name)).length;
  const lines = [
    "# Compatibility",
    "",
    "<!-- Generated by `npm run codegen`; do not edit. Notes: docs/compatibility-notes.json and docs/compatibility/*.md. -->",
    "",
    "This file is generated by `npm run codegen` from model/cognito-idp.json. An operation is",
    "`implemented` when `src/operations/<area>/<Operation>.ts` exists; notes come from",
    "docs/compatibility-notes.json. Auth `sigv4` means the request is signed with IAM credentials,",
    "`none` means it is unsigned and authorised by a token, session or app client. Behaviour that",
    "spans operations (security limits, wire details, deviations) follows the tables, one topic a",
    "section, from docs/compatibility/*.md.",
    "",
    `**${done} of ${ops.length} operations implemented.**`,
    "",
    "| Area | Implemented |",
    "|---|---|",
  ];
  for (const area of areas) {
    const inArea = ops.filter(([, op]) => op.area === area);
    lines.push(
      `| ${escapeCell(area)} | ${inArea.filter(([name]) => isDone(name)).length} of ${inArea.length} |`,
    );
  }
  for (const area of areas) {
    const inArea = ops.filter(([, op]) => op.area === area);
    const areaDone = inArea.filter(([name]) => isDone(name)).length;
    lines.push("", `## ${area} (${areaDone} of ${inArea.length})`, "");
    lines.push("| Operation | Auth | Status | Notes |", "|---|---|---|---|");
    for (const [name, op] of inArea) {
      const note = notes[name] === undefined ? "" : ` ${escapeCell(notes[name])}`;
      lines.push(`| ${name} | ${op.auth} | ${isDone(name) ? "implemented" : "not yet"} |${note} |`);
    }
  }
  for (const topic of topics) lines.push("", topic);
  lines.push("");
  return lines.join("\n");
}

/** Every generated file, by absolute path. */
export function generate(): Map<string, string> {
  const model = loadModel();
  const notes = JSON.parse(fs.readFileSync(NOTES_FILE, "utf8")) as Record<string, string>;
  const files = new Map<string, string>();
  files.set(path.join(GENERATED_DIR, "exceptions.ts"), exceptionsFile(model));
  files.set(path.join(GENERATED_DIR, "operations.ts"), operationsFile(model));
  files.set(path.join(GENERATED_DIR, "shapes.ts"), shapesFile(model));
  files.set(path.join(GENERATED_DIR, "types.ts"), typesFile(model));
  files.set(OPERATION_TABLE_FILE, operationTableFile(model));
  files.set(COMPATIBILITY_FILE, compatibilityFile(model, implementedOperations(), notes, topicNotes()));
  files.set(CONFIGURATION_FILE, configurationDoc());
  return files;
}

function main(): void {
  const check = process.argv.includes("--check");
  const files = generate();
  const stale: string[] = [];
  for (const [file, content] of files) {
    const current = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
    if (current !== content) stale.push(file);
  }
  const extra = fs.existsSync(GENERATED_DIR)
    ? fs
        .readdirSync(GENERATED_DIR)
        .map((f) => path.join(GENERATED_DIR, f))
        .filter((f) => !files.has(f))
    : [];
  if (check) {
    if (stale.length + extra.length === 0) {
      console.log("codegen: generated files are up to date");
      return;
    }
    console.error("codegen: stale generated files, run `npm run codegen`:");
    for (const file of stale) console.error(`  ${path.relative(ROOT, file)}`);
    for (const file of extra) console.error(`  ${path.relative(ROOT, file)} (not generated any more)`);
    process.exitCode = 1;
    return;
  }
  for (const file of stale) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, files.get(file)!);
    console.log(`wrote ${path.relative(ROOT, file)}`);
  }
  for (const file of extra) {
    fs.rmSync(file);
    console.log(`removed ${path.relative(ROOT, file)}`);
  }
  if (stale.length + extra.length === 0) console.log("codegen: nothing to do");
}

if (import.meta.main) main();
