/**
 * Summarises a V8 .cpuprofile (node --cpu-prof): self time by function and by file.
 * Also runnable on its own: node bench/profile.ts FILE.cpuprofile
 */
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { root } from "./servers.ts";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
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

function top(map: Map<string, number>, total: number, n: number): string[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `  ${((v / total) * 100).toFixed(1).padStart(5)}%  ${k}`);
}

export function summarise(file: string, n = 20): string {
  const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const hits = new Map<number, number>();
  for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const node of profile.nodes) {
    const h = hits.get(node.id) ?? 0;
    if (h === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === "(idle)") {
      idle += h;
      continue;
    }
    total += h;
    const name = `${functionName || "(anonymous)"}  ${where(url)}${url ? `:${lineNumber + 1}` : ""}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + h);
    byFile.set(where(url), (byFile.get(where(url)) ?? 0) + h);
  }
  const seconds = (profile.endTime - profile.startTime) / 1e6;
  const busy = total + idle === 0 ? 0 : (total / (total + idle)) * 100;
  return [
    `${file}: ${seconds.toFixed(1)} s profiled, main thread busy ${busy.toFixed(0)}%`,
    "self time by function (% of busy main-thread time):",
    ...top(byFunction, total, n),
    "self time by file:",
    ...top(byFile, total, 12),
  ].join("\n");
}

if (import.meta.main) {
  for (const file of process.argv.slice(2)) process.stdout.write(`${summarise(file)}\n`);
}
