/** The seed file at start (`--seed`), and `lanyard export` (export.ts): what main.ts calls. */
import type { Services } from "../context.ts";
import { decodeKeyEncryptionKey } from "../crypto/key-wrap.ts";
import { stringify } from "yaml";
import { applySeed } from "./apply.ts";
import { exportPools } from "./export.ts";
import { readSeed, SeedError } from "./format.ts";

/** Reads, checks and applies the seed file; false (with the error on stderr) when it is refused. */
export async function seedAtStart(
  services: Services,
  file: string,
  seedKey: string | undefined,
): Promise<boolean> {
  const started = performance.now();
  try {
    const seed = readSeed(file);
    const key = seedKey === undefined ? undefined : decodeKeyEncryptionKey(seedKey);
    const report = await applySeed(services, seed, file, key ? { seedKey: key } : {});
    const ms = Math.round(performance.now() - started);
    const changes = report.created + report.updated + report.deleted;
    process.stderr.write(
      `lanyard: seed ${file}: ` +
        (changes === 0
          ? `unchanged (${ms} ms)\n`
          : `${report.created} created, ${report.updated} updated, ${report.deleted} deleted (${ms} ms)\n`),
    );
    return true;
  } catch (e) {
    if (!(e instanceof SeedError)) throw e;
    process.stderr.write(`lanyard: seed refused, nothing applied: ${e.message}\n`);
    return false;
  }
}

/** `lanyard export` takes these arguments itself; the rest are the server's usual settings. */
export interface ExportArgs {
  poolIds: string[];
  json: boolean;
  rest: string[];
}

export function exportArgs(args: readonly string[]): ExportArgs {
  const out: ExportArgs = { poolIds: [], json: false, rest: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--pool") out.poolIds.push(args[++i] ?? "");
    else if (a.startsWith("--pool=")) out.poolIds.push(a.slice("--pool=".length));
    else if (a === "--json") out.json = true;
    else out.rest.push(a);
  }
  return out;
}

/** Writes the pools as a seed file to stdout; the warnings and a summary go to stderr. */
export async function exportToStdout(
  services: Services,
  args: ExportArgs,
  seedKey: string | undefined,
): Promise<boolean> {
  const started = performance.now();
  const key = seedKey === undefined ? undefined : decodeKeyEncryptionKey(seedKey);
  for (const id of args.poolIds)
    if (!(await services.storage.pools.getPool(id))) {
      process.stderr.write(`lanyard export: no user pool ${id}\n`);
      return false;
    }
  const result = await exportPools(services, {
    ...(args.poolIds.length ? { poolIds: args.poolIds } : {}),
    ...(key ? { seedKey: key } : {}),
  });
  const text = args.json
    ? `${JSON.stringify(result.seed, null, 1)}\n`
    : `# Exported by lanyard export: apply with lanyard --seed FILE (docs/seed.md).\n${stringify(result.seed, { lineWidth: 0, aliasDuplicateObjects: false })}`;
  await new Promise<void>((resolve, reject) =>
    process.stdout.write(text, (e) => (e ? reject(e) : resolve())),
  );
  for (const w of result.warnings) process.stderr.write(`lanyard export: ${w}\n`);
  const ms = Math.round(performance.now() - started);
  process.stderr.write(
    `lanyard export: ${result.seed.pools.length} pools, ${result.users} users (${ms} ms)\n`,
  );
  return true;
}
