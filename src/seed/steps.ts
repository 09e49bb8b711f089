/**
 * What every step of applying a seed file shares: the services (whose storage is the seed's one
 * transaction), the file's name for errors, the report of changes, and the in-process operation
 * call as an admin of the pool's region.
 */
import type { Services } from "../context.ts";
import { AwsError } from "../errors.ts";
import { ResourceNotFoundException } from "../generated/exceptions.ts";
import type { OperationTypes } from "../generated/types.ts";
import { callOperation } from "./call.ts";
import { SeedError } from "./format.ts";

export interface SeedOptions {
  /** The key TOTP secrets of an export are sealed under (`seedKey`), when the file has some. */
  seedKey?: Buffer;
}

export interface SeedReport {
  created: number;
  updated: number;
  deleted: number;
}

export const regionOf = (poolId: string) => poolId.slice(0, poolId.indexOf("_"));

export async function all<T>(page: (after?: string) => Promise<{ items: T[]; next?: string }>): Promise<T[]> {
  const out: T[] = [];
  let after: string | undefined;
  do {
    const p = await page(after);
    out.push(...p.items);
    after = p.next;
  } while (after);
  return out;
}

export class SeedSteps {
  readonly report: SeedReport = { created: 0, updated: 0, deleted: 0 };
  protected readonly s: Services;
  protected readonly file: string;
  protected readonly options: SeedOptions;

  constructor(services: Services, file: string, options: SeedOptions) {
    this.s = services;
    this.file = file;
    this.options = options;
  }

  /** Runs one step; an AWS error becomes a SeedError at `path`. */
  async at<T>(path: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof AwsError) throw new SeedError(this.file, path, e);
      throw e;
    }
  }

  call<N extends keyof OperationTypes>(
    poolId: string,
    name: N,
    input: OperationTypes[N]["input"],
    fixedId?: string,
  ): Promise<OperationTypes[N]["output"]> {
    return callOperation(this.s, name as never, input as never, {
      region: regionOf(poolId),
      ...(fixedId === undefined ? {} : { fixedId }),
    }) as Promise<OperationTypes[N]["output"]>;
  }

  /** Calls a Describe/Get operation: its answer, or undefined when the resource does not exist. */
  async find<T>(fn: () => Promise<T>): Promise<T | undefined> {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof ResourceNotFoundException) return undefined;
      throw e;
    }
  }
}
