/** The trigger invokers: an ARN's mapping (option `triggers`) picks the module, HTTP or Lambda invoker. */
import { availableParallelism } from "node:os";
import { arnMatches } from "../config/triggers.ts";
import type { TriggerMapping } from "../config/types.ts";
import type { TriggerInvokers, TriggerOutcome } from "../context.ts";
import { invokeHttp } from "./http.ts";
import type { LambdaInvoker } from "./lambda.ts";
import { ModuleInvoker } from "./module.ts";

/** Cognito's words for a function it cannot find. */
export const NOT_FOUND_REASON = "ResourceNotFoundException";

/** The function name an ARN ends with (`...:function:<name>[:<qualifier>]`), else the ARN. */
function functionName(arn: string): string {
  const parts = arn.split(":");
  const i = parts.indexOf("function");
  return i >= 0 && parts[i + 1] ? parts[i + 1]! : arn;
}

export class ConfiguredTriggerInvokers implements TriggerInvokers {
  private modules: ModuleInvoker | undefined;
  /** Loaded when first used: the Lambda client costs several megabytes. */
  private lambda: Promise<LambdaInvoker> | undefined;

  private readonly mappings: readonly TriggerMapping[];
  private readonly workers: number;

  constructor(
    mappings: readonly TriggerMapping[],
    workers = Math.max(2, Math.min(8, availableParallelism() * 2)),
  ) {
    this.mappings = mappings;
    this.workers = workers;
  }

  invoke(
    arn: string,
    event: object,
    options: { timeoutMs: number; requestId: string },
  ): Promise<TriggerOutcome> {
    const mapping = this.mappings.find((m) => arnMatches(m.pattern, arn));
    if (!mapping) return Promise.resolve({ kind: "failed", reason: NOT_FOUND_REASON });
    const { target } = mapping;
    if ("module" in target) {
      this.modules ??= new ModuleInvoker(this.workers);
      return this.modules.invoke({
        module: target.module,
        event,
        arn,
        functionName: functionName(arn),
        requestId: options.requestId,
        timeoutMs: options.timeoutMs,
      });
    }
    if ("url" in target) return invokeHttp(target.url, event, options.timeoutMs);
    this.lambda ??= import("./lambda.ts").then((m) => new m.LambdaInvoker());
    return this.lambda.then((l) => l.invoke(target.lambda, arn, event, options.timeoutMs));
  }

  async close(): Promise<void> {
    await this.modules?.close();
    if (this.lambda) (await this.lambda).close();
  }
}
