/**
 * node bench/heap-diff.ts BEFORE.heapsnapshot AFTER.heapsnapshot
 *
 * What grew between two V8 heap snapshots of one process: live objects grouped by kind and
 * constructor (strings, arrays, closures, ... each as one group), count and self size in each, the
 * groups that grew most first. `npm run soak -- --heap-snapshots DIR` takes the two snapshots.
 */
import { readFileSync } from "node:fs";

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

export interface Group {
  key: string;
  count: number;
  bytes: number;
}

/** Live objects by group: "object Foo", "closure bar", "string", "array", ... */
export function groups(path: string): Map<string, Group> {
  const snap = JSON.parse(readFileSync(path, "utf8")) as Snapshot;
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const width = fields.length;
  const [typeAt, nameAt, sizeAt] = ["type", "name", "self_size"].map((f) => fields.indexOf(f)) as [
    number,
    number,
    number,
  ];
  const out = new Map<string, Group>();
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + typeAt]!]!;
    const named = type === "object" || type === "closure" || type === "native" || type === "hidden";
    const key = named ? `${type} ${snap.strings[snap.nodes[i + nameAt]!]!.slice(0, 60)}` : type;
    const g = out.get(key) ?? { key, count: 0, bytes: 0 };
    g.count++;
    g.bytes += snap.nodes[i + sizeAt]!;
    out.set(key, g);
  }
  return out;
}

/** The groups that grew most in bytes from `before` to `after`, and the totals. */
export function diff(before: string, after: string, top = 15): string {
  const a = groups(before);
  const b = groups(after);
  const total = (m: Map<string, Group>) => [...m.values()].reduce((s, g) => s + g.bytes, 0);
  const rows = [...new Set([...a.keys(), ...b.keys()])]
    .map((key) => {
      const x = a.get(key) ?? { key, count: 0, bytes: 0 };
      const y = b.get(key) ?? { key, count: 0, bytes: 0 };
      return { key, count: y.count - x.count, bytes: y.bytes - x.bytes, after: y };
    })
    .filter((r) => r.bytes !== 0 || r.count !== 0)
    .sort((p, q) => q.bytes - p.bytes)
    .slice(0, top);
  const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
  const lines = [
    `Heap: ${kb(total(a))} -> ${kb(total(b))} (live objects, self sizes)`,
    "grew most (bytes, objects; then the group's size and count afterwards):",
  ];
  for (const r of rows)
    lines.push(
      `  ${(r.bytes >= 0 ? "+" : "") + kb(r.bytes)}`.padEnd(14) +
        `${(r.count >= 0 ? "+" : "") + r.count}`.padStart(9) +
        `  ${kb(r.after.bytes).padStart(10)} ${String(r.after.count).padStart(8)}  ${r.key}`,
    );
  return lines.join("\n");
}

if (import.meta.main) {
  const [before, after] = process.argv.slice(2);
  if (!before || !after) {
    process.stderr.write("usage: node bench/heap-diff.ts BEFORE.heapsnapshot AFTER.heapsnapshot\n");
    process.exit(2);
  }
  process.stdout.write(`${diff(before, after)}\n`);
}
