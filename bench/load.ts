/**
 * The load generator: a fixed number of requests in flight over keep-alive connections
 * (node:http), every request SigV4-signed, for a fixed time or a fixed count. Latency is measured
 * per request with performance.now(), from sending the (already signed) request to the last byte
 * of the response.
 */
import type http from "node:http";
import { Pool } from "undici";
import type { Signer } from "./sign.ts";

/** One request to make, and what its 200 response must look like. */
export interface Call {
  operation: string;
  body: string;
  check?: (body: string) => boolean;
  /** Sent as this plain request (unsigned) instead of a signed API call to POST /. */
  http?: PlainRequest;
}

/** A plain HTTP request; `operation` then only names it. */
export interface PlainRequest {
  method: "GET" | "POST";
  path: string;
  headers?: Record<string, string>;
}

export interface Response {
  status: number;
  body: string;
  errorType: string | undefined;
  headers: http.IncomingHttpHeaders;
}

/**
 * A keep-alive connection pool to one server (undici's Pool: a cheaper HTTP/1.1 client than
 * node:http, so that the load generator, which shares the machine with the server, leaves it more
 * of the CPU), signing every request.
 */
export class Client {
  readonly host: string;
  readonly port: number;
  private readonly hostHeader: string;
  private readonly pool: Pool;
  private readonly signer: Signer;

  constructor(port: number, signer: Signer, connections = 64, timeoutMs = 60_000) {
    this.host = "127.0.0.1";
    this.port = port;
    this.hostHeader = `${this.host}:${port}`;
    this.signer = signer;
    this.pool = new Pool(`http://${this.hostHeader}`, {
      connections,
      pipelining: 1,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
  }

  /** Signs the call now; the returned function sends it. Signing stays out of the latency. */
  prepare(call: Call): () => Promise<Response> {
    const plain = call.http;
    const headers = plain
      ? { ...plain.headers, host: this.hostHeader }
      : this.signer.sign(this.hostHeader, call.operation, call.body);
    const method = plain?.method ?? "POST";
    const path = plain?.path ?? "/";
    const body = method === "POST" ? call.body : null;
    return async () => {
      const res = await this.pool.request({ method, path, headers, body });
      const text = await res.body.text();
      const type = res.headers["x-amzn-errortype"];
      return {
        status: res.statusCode,
        body: text,
        errorType: typeof type === "string" ? type : undefined,
        headers: res.headers as http.IncomingHttpHeaders,
      };
    };
  }

  send(call: Call): Promise<Response> {
    return this.prepare(call)();
  }

  /** Sends one call and returns its parsed body, throwing unless the answer is 200. */
  async json<T>(operation: string, input: unknown): Promise<T> {
    const res = await this.send({ operation, body: JSON.stringify(input) });
    if (res.status !== 200)
      throw new Error(`${operation}: HTTP ${res.status} ${res.errorType ?? ""} ${res.body}`);
    return JSON.parse(res.body) as T;
  }

  close(): void {
    void this.pool.destroy();
  }
}

export interface LoadOptions {
  concurrency: number;
  /** Stop issuing requests after this long (in-flight ones are awaited). */
  durationMs?: number;
  /** Stop after this many requests. */
  count?: number;
}

export interface LoadResult {
  requests: number;
  ok: number;
  /** Non-200 answers, network failures and 200s with an unexpected body, by kind. */
  errors: Record<string, number>;
  /** A few of the failing answers, for the report. */
  examples: string[];
  elapsedMs: number;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  /** CPU used meanwhile by this process (the load generator), in % of one core. */
  loadCpu: number;
}

/** Hard cap on requests per run, whatever the duration. */
const MAX_REQUESTS = 2_000_000;

export async function runLoad(
  client: Client,
  next: (i: number) => Call,
  options: LoadOptions,
): Promise<LoadResult> {
  const limit = Math.min(options.count ?? MAX_REQUESTS, MAX_REQUESTS);
  const latencies: number[] = [];
  const errors: Record<string, number> = {};
  const examples: string[] = [];
  let issued = 0;
  let ok = 0;
  const fail = (kind: string, detail: string) => {
    errors[kind] = (errors[kind] ?? 0) + 1;
    if (examples.length < 5) examples.push(`${kind}: ${detail.slice(0, 300)}`);
  };

  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const deadline = options.durationMs === undefined ? Number.POSITIVE_INFINITY : started + options.durationMs;
  const worker = async () => {
    while (issued < limit && performance.now() < deadline) {
      const call = next(issued++);
      const send = client.prepare(call);
      const t0 = performance.now();
      let res: Response;
      try {
        res = await send();
      } catch (e) {
        latencies.push(performance.now() - t0);
        fail("network", (e as Error).message);
        continue;
      }
      latencies.push(performance.now() - t0);
      if (res.status !== 200) fail(`HTTP ${res.status} ${res.errorType ?? ""}`.trim(), res.body);
      else if (call.check && !call.check(res.body)) fail("unexpected 200 body", res.body);
      else ok++;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);

  const sorted = Float64Array.from(latencies).sort();
  const at = (q: number) =>
    sorted.length === 0 ? Number.NaN : sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)];
  return {
    requests: latencies.length,
    ok,
    errors,
    examples,
    elapsedMs,
    rps: (latencies.length * 1000) / elapsedMs,
    p50: at(0.5),
    p99: at(0.99),
    max: at(1),
    loadCpu: ((cpu.user + cpu.system) / 1000 / elapsedMs) * 100,
  };
}
