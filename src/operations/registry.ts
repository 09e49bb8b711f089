import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { OPERATIONS, type OperationName } from "../generated/operations.ts";
import type { OperationModule } from "./define.ts";

const here = dirname(fileURLToPath(import.meta.url));

/**
 * Loads every operation file. A file `src/operations/<area>/<Name>.ts` is the implementation of the
 * AWS operation <Name>; docs/compatibility.md is generated from the same files, so the two agree.
 */
export async function loadOperations(): Promise<ReadonlyMap<string, OperationModule>> {
  const table = new Map<string, OperationModule>();
  for (const area of readdirSync(here, { withFileTypes: true })) {
    if (!area.isDirectory()) continue;
    for (const file of readdirSync(join(here, area.name))) {
      if (!file.endsWith(".ts")) continue;
      const name = file.slice(0, -3);
      if (!(name in OPERATIONS))
        throw new Error(`src/operations/${area.name}/${file}: not an AWS operation name`);
      const mod = (await import(pathToFileURL(join(here, area.name, file)).href)) as {
        operation?: OperationModule;
      };
      if (!mod.operation || mod.operation.name !== (name as OperationName))
        throw new Error(
          `src/operations/${area.name}/${file} must export operation = defineOperation("${name}", ...)`,
        );
      table.set(name, mod.operation);
    }
  }
  return table;
}
