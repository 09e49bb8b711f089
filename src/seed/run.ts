/** The seed file at start (`--seed`), and `lanyard export` (export.ts): what main.ts calls. */
import type { Services } from "../context.ts";
import { decodeKeyEncryptionKey } from "../crypto/key-wrap.ts";
import { applySeed } from "./apply.ts";
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
