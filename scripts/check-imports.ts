/**
 * Keeps the layers of src/ apart (see docs/architecture.md): every import points down, and the
 * import graph of src/ has no circle. Run by `npm test`; prints each violation and exits 1.
 *
 *   node scripts/check-imports.ts
 */
import fs from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");
const SRC = path.join(ROOT, "src");

/**
 * What each part of src/ may not import (paths relative to src/, a trailing "/" for a folder).
 * The layers, top to bottom: main and app; http/; protocol/; operations/; domain/; then the
 * ground floor (context, storage/, delivery/, crypto/, config/, generated/, errors, logger).
 */
const FORBIDDEN: Record<string, readonly string[]> = {
  "http/": ["main.ts", "app.ts"],
  "protocol/": ["main.ts", "app.ts", "http/"],
  "operations/": ["main.ts", "app.ts", "http/", "protocol/"],
  "seed/": ["main.ts", "app.ts", "http/"],
  "domain/": ["main.ts", "app.ts", "services.ts", "http/", "protocol/", "operations/"],
  "context.ts": ["main.ts", "app.ts", "services.ts", "http/", "protocol/", "operations/", "domain/"],
  "storage/": [
    "main.ts",
    "app.ts",
    "services.ts",
    "http/",
    "protocol/",
    "operations/",
    "domain/",
    "delivery/",
  ],
  "triggers/": [
    "main.ts",
    "app.ts",
    "services.ts",
    "http/",
    "protocol/",
    "operations/",
    "domain/",
    "storage/",
  ],
  "delivery/": [
    "main.ts",
    "app.ts",
    "services.ts",
    "http/",
    "protocol/",
    "operations/",
    "domain/",
    "storage/",
  ],
  "generated/": [
    "main.ts",
    "app.ts",
    "services.ts",
    "http/",
    "protocol/",
    "operations/",
    "domain/",
    "storage/",
  ],
  "crypto/": [
    "main.ts",
    "app.ts",
    "services.ts",
    "http/",
    "protocol/",
    "operations/",
    "domain/",
    "storage/",
    "delivery/",
    "config/",
    "generated/",
  ],
  "config/": [
    "main.ts",
    "app.ts",
    "services.ts",
    "http/",
    "protocol/",
    "operations/",
    "domain/",
    "storage/",
    "delivery/",
  ],
};

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?\sfrom\s+"([^"]+)"|(?:^|\n)\s*import\s+"([^"]+)"/g;

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p) : e.name.endsWith(".ts") ? [p] : [];
  });
}

/** The src/ files a file imports (relative imports only), as paths relative to src/. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, "utf8");
  const out: string[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2]!;
    if (!spec.startsWith(".")) continue;
    const target = path.resolve(path.dirname(file), spec);
    if (target.startsWith(SRC + path.sep)) out.push(path.relative(SRC, target).split(path.sep).join("/"));
  }
  return out;
}

const within = (file: string, part: string) => (part.endsWith("/") ? file.startsWith(part) : file === part);

export function check(): string[] {
  const problems: string[] = [];
  const graph = new Map<string, string[]>();
  for (const abs of files(SRC)) {
    const file = path.relative(SRC, abs).split(path.sep).join("/");
    const deps = importsOf(abs);
    graph.set(file, deps);
    for (const [part, forbidden] of Object.entries(FORBIDDEN)) {
      if (!within(file, part)) continue;
      for (const dep of deps)
        for (const f of forbidden)
          if (within(dep, f)) problems.push(`src/${file} imports src/${dep}: ${part} may not import ${f}`);
    }
  }
  // Circles: a depth-first walk that reports each back edge's cycle once.
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const seen = new Set<string>();
  const visit = (file: string) => {
    state.set(file, "open");
    stack.push(file);
    for (const dep of graph.get(file) ?? []) {
      if (!graph.has(dep)) continue;
      if (state.get(dep) === "open") {
        const cycle = [...stack.slice(stack.indexOf(dep)), dep];
        const key = [...cycle.slice(0, -1)].sort().join(" ");
        if (!seen.has(key)) {
          seen.add(key);
          problems.push(`import circle: ${cycle.map((f) => `src/${f}`).join(" -> ")}`);
        }
      } else if (!state.has(dep)) visit(dep);
    }
    stack.pop();
    state.set(file, "done");
  };
  for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file);
  return problems;
}

if (import.meta.main) {
  const problems = check();
  for (const p of problems) console.error(p);
  if (problems.length > 0) {
    console.error(`check-imports: ${problems.length} problem(s)`);
    process.exitCode = 1;
  } else console.log("check-imports: every import points down, and there is no circle");
}
