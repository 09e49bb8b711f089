/**
 * The fuzzer's mutations: a JSON tree that can hold what JSON.stringify cannot write, the hostile
 * values, and the changes made to a valid request (a member dropped or given the wrong type, an
 * oversize or hostile string, 1,000-deep nesting, odd numbers, prototype keys, extra members).
 */
import fc from "fast-check";
// ---------------------------------------------------------------------------------------------
// A JSON tree that can hold what JSON.stringify cannot write: duplicate and `__proto__` keys, raw
// number tokens (-0, 1e309), deep nesting.

export type Node =
  | string
  | number
  | boolean
  | null
  | { readonly t: "obj"; entries: [string, Node][] }
  | { readonly t: "arr"; items: Node[] }
  | { readonly t: "raw"; text: string };

export const obj = (entries: [string, Node][]): Node => ({ t: "obj", entries });
export const arr = (items: Node[]): Node => ({ t: "arr", items });
export const raw = (text: string): Node => ({ t: "raw", text });

export function serialize(node: Node): string {
  if (node === null || typeof node !== "object") return JSON.stringify(node);
  if (node.t === "raw") return node.text;
  if (node.t === "arr") return `[${node.items.map(serialize).join(",")}]`;
  return `{${node.entries.map(([k, v]) => `${JSON.stringify(k)}:${serialize(v)}`).join(",")}}`;
}

export function fromJson(value: unknown): Node {
  if (value === null || value === undefined) return null;
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  if (Array.isArray(value)) return arr(value.map(fromJson));
  return obj(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, fromJson(v)]));
}

// ---------------------------------------------------------------------------------------------
// Hostile values

/** Strings that have broken servers before: control characters, lone surrogates, injections... */
export const HOSTILE_STRINGS: readonly string[] = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\u0001\u0002\u0003\u001f\u007f",
  "\t\n\r",
  "\ud800",
  "\udfff",
  "a\ud83d",
  "\ufeff",
  "\u202eevil",
  "\u200b\u200c\u200d",
  "\ufffd\uffff",
  "😀👩‍👩‍👧‍👦",
  "e\u0301\u0301\u0301",
  "İıßẞ",
  "'; DROP TABLE users; --",
  '" OR 1=1 --',
  "%00%0d%0a",
  "../../../../etc/passwd",
  "${jndi:ldap://127.0.0.1/a}",
  "<script>alert(1)</script>",
  "{{7*7}}",
  "\\",
  '"',
  "__proto__",
  "constructor",
  "prototype",
  "hasOwnProperty",
  "toString",
  "null",
  "undefined",
  "NaN",
  "Infinity",
  "-Infinity",
  "-0",
  "1e308",
  "1e309",
  "0x1F",
  "99999999999999999999999999",
  "true",
  "[]",
  "{}",
  "us-east-1_",
  "_",
  "us-east-1_AAAAAAAAA",
  "eu-west-1_000000000",
  "x".repeat(129),
  "a@b",
  "@example.com",
  "+1",
  "+1234567890123456789",
  "custom:",
  "dev:custom:x",
  "AWS4-HMAC-SHA256",
  "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.",
  "eyJhbGciOiJub25lIn0.e30.e30",
  "a.b.c",
  "...",
  "====",
];

/** JSON tokens of odd numbers and values of every other type. */
const WRONG_TYPED: readonly Node[] = [
  0,
  -1,
  1,
  1.5,
  1e308,
  -1e308,
  Number.MAX_SAFE_INTEGER + 2,
  -(2 ** 63),
  2 ** 64,
  raw("-0"),
  raw("1e309"),
  raw("-1e309"),
  raw("1e-400"),
  raw("123456789012345678901234567890"),
  raw("0.0000000000000000000000001"),
  true,
  false,
  null,
  "",
  "NaN",
  "Infinity",
  "-0",
  "1e308",
  "123",
  arr([]),
  obj([]),
  arr([1, "a", null]),
  obj([["a", 1]]),
  arr([obj([])]),
];

const PROTO_KEYS = [
  "__proto__",
  "constructor",
  "prototype",
  "hasOwnProperty",
  "toString",
  "valueOf",
  "__defineGetter__",
  "isPrototypeOf",
];

function nested(depth: number, kind: number): Node {
  if (kind % 3 === 0) return raw("[".repeat(depth) + "]".repeat(depth));
  if (kind % 3 === 1) return raw('{"a":'.repeat(depth) + "1" + "}".repeat(depth));
  return raw('{"__proto__":['.repeat(depth) + "null" + "]}".repeat(depth));
}

// ---------------------------------------------------------------------------------------------
// Mutations

const MUTATIONS = [
  "drop",
  "retype",
  "oversize",
  "hostile",
  "nest",
  "number",
  "proto",
  "extra",
  "empty",
  "duplicate",
  "null",
] as const;

export interface Mutation {
  kind: (typeof MUTATIONS)[number];
  /** Which node of the tree (modulo their number). */
  at: number;
  /** Which variant of the mutation. */
  pick: number;
  extraKey: string;
  extraValue: unknown;
}

export const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom(...MUTATIONS),
  at: fc.nat(),
  pick: fc.nat(),
  extraKey: fc.oneof(
    fc.constantFrom(...PROTO_KEYS, "UserPoolId", "Username", ""),
    fc.string({ maxLength: 20 }),
  ),
  extraValue: fc.jsonValue({ maxDepth: 2 }),
});

interface Slot {
  get(): Node;
  set(v: Node): void;
  remove(): void;
  parentObject?: { t: "obj"; entries: [string, Node][] };
}

/** Every node of the tree with a way to replace or remove it; the root first. */
function slots(root: { value: Node }): Slot[] {
  const out: Slot[] = [];
  const walk = (
    get: () => Node,
    set: (v: Node) => void,
    remove: () => void,
    parent?: Slot["parentObject"],
  ) => {
    out.push({ get, set, remove, parentObject: parent });
    const n = get();
    if (n === null || typeof n !== "object" || n.t === "raw") return;
    if (n.t === "arr")
      n.items.forEach((_, i) =>
        walk(
          () => n.items[i]!,
          (v) => (n.items[i] = v),
          () => n.items.splice(i, 1),
        ),
      );
    else
      n.entries.forEach((e, i) =>
        walk(
          () => e[1],
          (v) => (e[1] = v),
          () => n.entries.splice(i, 1),
          n,
        ),
      );
  };
  walk(
    () => root.value,
    (v) => (root.value = v),
    () => (root.value = obj([])),
  );
  return out;
}

const OVERSIZE = [129, 257, 2049, 2049, 4097, 4097, 20_000, 131_073];
/** The most an oversize array may hold, serialized. */
const OVERSIZE_BYTES = 4 * 2 ** 20;
const DEPTHS = [32, 100, 1000, 1000, 1000, 1000, 5000, 100_000];

/** A fresh copy: the constant nodes above are shared, and mutations change nodes in place. */
function clone(node: Node): Node {
  if (node === null || typeof node !== "object") return node;
  if (node.t === "raw") return raw(node.text);
  if (node.t === "arr") return arr(node.items.map(clone));
  return obj(node.entries.map(([k, v]) => [k, clone(v)]));
}

export function applyMutation(root: { value: Node }, m: Mutation): void {
  const all = slots(root);
  const slot = all[m.at % all.length]!;
  const node = slot.get();
  const choose = <T>(xs: readonly T[]): T => xs[m.pick % xs.length]!;
  const pick = (xs: readonly Node[]): Node => clone(choose(xs));
  switch (m.kind) {
    case "drop":
      if (all.length > 1) slot.remove();
      return;
    case "retype":
      return slot.set(pick(WRONG_TYPED));
    case "oversize": {
      const n = choose(OVERSIZE);
      if (typeof node === "string" || node === null || typeof node !== "object")
        return slot.set("A".repeat(n));
      if (node.t === "arr") {
        // Copies of the first item, at most OVERSIZE_BYTES in all: the item may be a 100,000-deep
        // nesting from an earlier mutation.
        const item = node.items[0] ?? "x";
        const count = Math.max(1, Math.min(n, 2049, Math.floor(OVERSIZE_BYTES / serialize(item).length)));
        return slot.set(arr(Array.from({ length: count }, () => clone(item))));
      }
      if (node.t === "obj")
        return slot.set(
          obj(Array.from({ length: Math.min(n, 2049) }, (_, i) => [`k${i}`, "v"] as [string, Node])),
        );
      return;
    }
    case "hostile": {
      const h = choose(HOSTILE_STRINGS);
      return slot.set(typeof node === "string" && m.pick % 2 === 1 ? node + h : h);
    }
    case "nest":
      return slot.set(nested(choose(DEPTHS), m.pick));
    case "number":
      return slot.set(pick(WRONG_TYPED.slice(0, 15)));
    case "proto":
    case "extra":
    case "duplicate": {
      const target =
        node !== null && typeof node === "object" && node.t === "obj" ? node : (slot.parentObject ?? null);
      const rootNode = root.value;
      const o =
        target ??
        (rootNode !== null && typeof rootNode === "object" && rootNode.t === "obj" ? rootNode : null);
      if (!o) return;
      if (m.kind === "proto")
        o.entries.push([
          choose(PROTO_KEYS),
          pick([obj([["isAdmin", true]]), null, "x", 1, arr([]), obj([])]),
        ]);
      else if (m.kind === "extra") o.entries.push([m.extraKey, fromJson(m.extraValue)]);
      else if (o.entries.length > 0) {
        const [k] = o.entries[m.pick % o.entries.length]!;
        o.entries.push([k, pick(WRONG_TYPED)]);
      }
      return;
    }
    case "empty":
      return slot.set(pick(["", arr([]), obj([])]));
    case "null":
      return slot.set(null);
  }
}
