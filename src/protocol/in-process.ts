/**
 * The operation table called in-process as an admin caller (the admin console): the same
 * validation, region check, caller resolution and handlers as `POST /`, without the wire. Only the
 * SigV4-signed operations (callers `admin` and `adminClient`) can be called this way; the access
 * key id the caller is resolved with is the one the console's user signed in with.
 */
import { createRequestContext, type Services } from "../context.ts";
import { checkPoolRegion } from "../domain/pools/pools.ts";
import type { OperationName } from "../generated/operations.ts";
import { OPERATIONS } from "../generated/operations.ts";
import type { Input, OperationModule, Output } from "../operations/define.ts";
import { resolveCaller } from "./caller.ts";
import { validateInput } from "./validate.ts";

export interface AdminCall {
  requestId: string;
  /** The access key id the admin signed in with (or a fixed name when none are configured). */
  accessKeyId: string;
  clientIp?: string;
  userAgent?: string;
}

const POOL_REGION = /^([a-z]{2}(?:-[a-z]+)+-\d+)_/;

export class InProcessAdmin {
  private readonly services: Services;
  private readonly operations: ReadonlyMap<string, OperationModule>;

  constructor(services: Services, operations: ReadonlyMap<string, OperationModule>) {
    this.services = services;
    this.operations = operations;
  }

  /** Runs `name` with `input` as an admin; throws the operation's AwsError when it refuses. */
  async call<N extends OperationName>(name: N, input: Input<N>, call: AdminCall): Promise<Output<N>> {
    const impl = this.operations.get(name);
    const spec = OPERATIONS[name];
    if (!impl || spec.auth !== "sigv4") throw new Error(`${name} is not an admin operation of this server`);
    validateInput(input, spec.input);
    const poolId = (input as { UserPoolId?: unknown }).UserPoolId;
    const region =
      (typeof poolId === "string" ? POOL_REGION.exec(poolId)?.[1] : undefined) ??
      this.services.config.defaultRegion;
    if (typeof poolId === "string") checkPoolRegion(poolId, region);
    const ctx = createRequestContext(this.services, {
      requestId: call.requestId,
      region,
      requestRegion: region,
      ...(call.clientIp === undefined ? {} : { clientIp: call.clientIp }),
      ...(call.userAgent === undefined ? {} : { userAgent: call.userAgent }),
    });
    const caller = await resolveCaller(impl.caller, input, ctx, { region, accessKeyId: call.accessKeyId });
    return (await impl.handle(input, ctx, caller)) as Output<N>;
  }
}
