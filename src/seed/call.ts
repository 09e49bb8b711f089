/**
 * The operation table called in-process, as an admin caller: the seed file's resources go through
 * the same validation (the generated shapes) and the same domain code as the API's requests.
 *
 * A seed is applied in one storage transaction: `inTransaction` gives the services a storage whose
 * every read and write, and every transaction an operation opens, is that one transaction.
 */
import { randomUUID } from "node:crypto";
import { createRequestContext, type Services } from "../context.ts";
import type { AdminCaller } from "../domain/caller.ts";
import type { OperationName } from "../generated/operations.ts";
import { OPERATIONS } from "../generated/operations.ts";
import type { OperationTypes } from "../generated/types.ts";
import { OPERATION_TABLE } from "../operations/table.ts";
import { validateInput } from "../protocol/validate.ts";
import type { Storage, Transaction } from "../storage/storage.ts";

type Implemented = keyof typeof OPERATION_TABLE & OperationName;

/** Validates one operation's input as the API does; throws the AwsError the API would answer. */
export function validateOperationInput(name: Implemented, input: object): void {
  validateInput(structuredClone(input), OPERATIONS[name].input);
}

/** Calls one operation as a SigV4-signed administrator of `region`; `fixedId` names what it creates. */
export async function callOperation<N extends Implemented>(
  services: Services,
  name: N,
  input: OperationTypes[N]["input"],
  options: { region: string; fixedId?: string },
): Promise<OperationTypes[N]["output"]> {
  const copy = structuredClone(input) as object;
  validateInput(copy, OPERATIONS[name].input);
  const ctx = createRequestContext(services, {
    requestId: randomUUID(),
    region: options.region,
    requestRegion: options.region,
    ...(options.fixedId === undefined ? {} : { fixedId: options.fixedId }),
  });
  const caller: AdminCaller = { kind: "admin", region: options.region, accessKeyId: "lanyard-seed" };
  const impl = OPERATION_TABLE[name];
  return (await impl.handle(copy, ctx, caller)) as OperationTypes[N]["output"];
}

/** A storage whose reads, writes and transactions are all the transaction `tx`. */
function scopedStorage(storage: Storage, tx: Transaction): Storage {
  return {
    ...tx,
    migrate: () => storage.migrate(),
    setting: (name, make) => storage.setting(name, make),
    transaction: (fn) => fn(tx),
    wipe: () => Promise.reject(new Error("no wipe inside a seed")),
    close: () => Promise.reject(new Error("no close inside a seed")),
  };
}

/** Runs fn with services whose storage is one transaction: all of it commits, or none of it. */
export function inTransaction<T>(services: Services, fn: (services: Services) => Promise<T>): Promise<T> {
  return services.storage.transaction((tx) =>
    fn({ ...services, storage: scopedStorage(services.storage, tx) }),
  );
}
