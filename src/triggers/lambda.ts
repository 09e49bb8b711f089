/**
 * The Lambda invoker: the Invoke API (RequestResponse) through the AWS SDK v3 Lambda client, at the
 * configured endpoint (AWS itself, LocalStack, `sam local start-lambda`, serverless-offline). A
 * `FunctionError` answer is the function's own failure; an API error or a timeout is no answer.
 */
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import type { TriggerTarget } from "../config/types.ts";
import type { TriggerOutcome } from "../context.ts";
import { errorMessageOf } from "./http.ts";
import { TIMEOUT_REASON } from "./module.ts";

type LambdaTarget = Extract<TriggerTarget, { lambda: unknown }>["lambda"];

/** The region an ARN names (arn:aws:lambda:<region>:<account>:function:<name>). */
function arnRegion(arn: string): string | undefined {
  const parts = arn.split(":");
  return parts[0] === "arn" && parts[2] === "lambda" && parts[3] ? parts[3] : undefined;
}

export class LambdaInvoker {
  private readonly clients = new Map<string, LambdaClient>();

  private client(target: LambdaTarget, region: string): LambdaClient {
    const key = JSON.stringify([target.endpoint, region, target.credentials?.accessKeyId]);
    let client = this.clients.get(key);
    if (!client) {
      client = new LambdaClient({
        region,
        ...(target.endpoint ? { endpoint: target.endpoint } : {}),
        ...(target.credentials ? { credentials: target.credentials } : {}),
        maxAttempts: 1,
      });
      this.clients.set(key, client);
    }
    return client;
  }

  async invoke(target: LambdaTarget, arn: string, event: object, timeoutMs: number): Promise<TriggerOutcome> {
    const region = target.region ?? arnRegion(arn) ?? "us-east-1";
    const client = this.client(target, region);
    let out;
    try {
      out = await client.send(
        new InvokeCommand({
          FunctionName: target.functionName ?? arn,
          InvocationType: "RequestResponse",
          Payload: new TextEncoder().encode(JSON.stringify(event)),
        }),
        { abortSignal: AbortSignal.timeout(timeoutMs) },
      );
    } catch (e) {
      const name = (e as Error).name;
      if (name === "TimeoutError" || name === "AbortError") return { kind: "failed", reason: TIMEOUT_REASON };
      return { kind: "failed", reason: name && name !== "Error" ? name : "Unable to invoke the function" };
    }
    const text = out.Payload ? new TextDecoder().decode(out.Payload) : "";
    let json: unknown;
    try {
      json = text === "" ? null : JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (out.FunctionError) return { kind: "error", message: errorMessageOf(json) ?? out.FunctionError };
    return json === undefined ? { kind: "ok", result: text } : { kind: "ok", result: json };
  }

  close(): void {
    for (const c of this.clients.values()) c.destroy();
    this.clients.clear();
  }
}
