import type { RequestContext } from "../context.ts";
import type { Caller, CallerKind, CallerOf } from "../domain/caller.ts";
import type { OperationName } from "../generated/operations.ts";
import type { OperationTypes } from "../generated/types.ts";

export type Input<N extends OperationName> = OperationTypes[N]["input"];
export type Output<N extends OperationName> = OperationTypes[N]["output"];

/** An operation's handler: its input and output typed by its name, its caller by its caller kind. */
export type Handler<N extends OperationName, K extends CallerKind> = (
  input: Input<N>,
  ctx: RequestContext,
  caller: CallerOf<K>,
) => Promise<Output<N>>;

/** The handler as the protocol layer calls it: validated input, and the caller it resolved. */
export type ResolvedHandler = (input: unknown, ctx: RequestContext, caller: Caller) => Promise<unknown>;

export interface OperationModule<N extends OperationName = OperationName> {
  readonly name: N;
  /** How the operation is authorised; the protocol resolves the caller of this kind before `handle`. */
  readonly caller: CallerKind;
  readonly handle: ResolvedHandler;
}

/**
 * Every file src/operations/<area>/<Operation>.ts exports
 * `operation = defineOperation("<Operation>", { caller }, async (input, ctx, caller) => ...)`;
 * `npm run codegen` lists the files in src/operations/table.ts.
 */
export function defineOperation<N extends OperationName, K extends CallerKind>(
  name: N,
  options: { readonly caller: K },
  handle: Handler<N, K>,
): OperationModule<N> {
  // The protocol resolves a caller of kind `options.caller` (protocol/caller.ts) before calling.
  return { name, caller: options.caller, handle: handle as unknown as ResolvedHandler };
}
