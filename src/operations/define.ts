import type { RequestContext } from "../context.ts";
import type { OperationName } from "../generated/operations.ts";

export type Handler<I, O> = (input: I, ctx: RequestContext) => Promise<O>;

export interface OperationModule<I = unknown, O = unknown> {
  readonly name: OperationName;
  readonly handle: Handler<I, O>;
}

/** Every file src/operations/<area>/<Operation>.ts exports `operation = defineOperation(...)`. */
export function defineOperation<I, O>(name: OperationName, handle: Handler<I, O>): OperationModule<I, O> {
  return { name, handle };
}
