/**
 * Summarises a V8 .cpuprofile (node --cpu-prof): self time by function and by file, and the
 * inclusive time of the project's own functions (src/).
 * Also runnable on its own: node bench/profile.ts FILE.cpuprofile
 */
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { root } from "./servers.ts";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
}

function where(url: string): string {
  if (url === "") return "(native/V8)";
  const path = url.startsWith("file://") ? relative(root, new URL(url).pathname) : url;
  return path.replace(/^node_modules\//, "npm:");
}

function nameOf(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  return `${functionName || "(anonymous)"}  ${where(url)}${url ? `:${lineNumber + 1}` : ""}`;
}

function top(map: Map<string, number>, total: number, n: number): string[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `  ${((v / total) * 100).toFixed(1).padStart(5)}%  ${k}`);
}

function add(map: Map<string, number>, key: string, n: number): void {
  map.set(key, (map.get(key) ?? 0) + n);
}

export function summarise(file: string, n = 20): string {
  const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const hits = new Map<number, number>();
  for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  const self = new Map<string, number>();
  const files = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  let idle = 0;
  // Depth-first from the root; a function's inclusive time counts once even when it recurses.
  const walk = (node: ProfileNode, open: Set<string>): number => {
    const h = hits.get(node.id) ?? 0;
    const name = nameOf(node);
    if (node.callFrame.functionName === "(idle)") idle += h;
    else if (h > 0) {
      total += h;
      add(self, name, h);
      add(files, where(node.callFrame.url), h);
    }
    const outer = !open.has(name);
    if (outer) open.add(name);
    let sum = node.callFrame.functionName === "(idle)" ? 0 : h;
    for (const child of node.children ?? []) sum += walk(byId.get(child)!, open);
    if (outer) {
      open.delete(name);
      if (node.callFrame.url.includes("/src/")) add(inclusive, name, sum);
    }
    return sum;
  };
  walk(profile.nodes[0], new Set());
  const seconds = (profile.endTime - profile.startTime) / 1e6;
  const busy = total + idle === 0 ? 0 : (total / (total + idle)) * 100;
  return [
    `${file}: ${seconds.toFixed(1)} s profiled, main thread busy ${busy.toFixed(0)}%`,
    "self time by function (% of busy main-thread time):",
    ...top(self, total, n),
    "self time by file:",
    ...top(files, total, 12),
    "inclusive time of src/ functions:",
    ...top(inclusive, total, n),
  ].join("\n");
}

if (import.meta.main) {
  for (const file of process.argv.slice(2)) process.stdout.write(`${summarise(file)}\n`);
}
