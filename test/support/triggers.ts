/**
 * Servers with Lambda triggers: a Lanyard server whose `triggers` option maps function ARNs to the
 * fixture handlers (test/fixtures/triggers/) or to endpoints, and the events the recording fixture
 * saw. Also a stand-in for the Lambda Invoke API (POST /2015-03-31/functions/<name>/invocations),
 * bound to 127.0.0.1, running handlers in the test process.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, type TestServer } from "./server.ts";

export const FIXTURES = join(import.meta.dirname, "..", "fixtures", "triggers");

/** A Lambda ARN for a function name. */
export const arn = (name: string): string => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

export interface TriggerServer {
  server: TestServer;
  /** The events the recording fixture (record.ts) received, oldest first. */
  events<T = Record<string, unknown>>(triggerSource?: string): T[];
  clearEvents(): void;
  stop(): Promise<void>;
}

/** A server whose `triggers` option is `mapping` (ARN pattern to target), with an event log. */
export async function startTriggerServer(
  mapping: Record<string, unknown>,
  args: string[] = ["--memory"],
  env: Record<string, string> = {},
): Promise<TriggerServer> {
  const dir = mkdtempSync(join(tmpdir(), "lanyard-triggers-"));
  const config = join(dir, "config.json");
  const log = join(dir, "events.jsonl");
  writeFileSync(config, JSON.stringify({ triggers: mapping }));
  writeFileSync(log, "");
  const server = await startServer({
    args: [...args, "--config", config],
    env: { ...env, LANYARD_TEST_TRIGGER_LOG: log },
  });
  return {
    server,
    events<T>(triggerSource?: string): T[] {
      const all = readFileSync(log, "utf8")
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => JSON.parse(l) as T & { triggerSource: string });
      return triggerSource ? all.filter((e) => e.triggerSource === triggerSource) : all;
    },
    clearEvents: () => writeFileSync(log, ""),
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export interface LocalEndpoint {
  url: string;
  /** The requests received: path, headers and the parsed body. */
  requests: { path: string; headers: IncomingMessage["headers"]; event: Record<string, unknown> }[];
  close(): Promise<void>;
}

/**
 * An HTTP server on 127.0.0.1 answering each POST with `answer(event, path)`: a status and a body
 * (JSON-encoded unless a string), or a promise of one.
 */
export async function localEndpoint(
  answer: (
    event: Record<string, unknown>,
    path: string,
  ) =>
    | { status: number; body: unknown; headers?: Record<string, string> }
    | Promise<{ status: number; body: unknown; headers?: Record<string, string> }>,
): Promise<LocalEndpoint> {
  const requests: LocalEndpoint["requests"] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const text = await body(req);
      const event = JSON.parse(text) as Record<string, unknown>;
      requests.push({ path: req.url ?? "", headers: req.headers, event });
      const out = await answer(event, req.url ?? "");
      res.writeHead(out.status, { "content-type": "application/json", ...out.headers });
      res.end(typeof out.body === "string" ? out.body : JSON.stringify(out.body));
    })().catch(() => {
      res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Asserts that p rejects with the AWS error `name`, HTTP 400 and exactly `message`. */
export async function failsWith(p: Promise<unknown>, name: string, message: string): Promise<void> {
  await assert.rejects(p, (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(e.name, name, `expected ${name}, got ${e.name}: ${e.message}`);
    assert.equal(e.$metadata?.httpStatusCode, 400);
    assert.equal(e.message, message);
    return true;
  });
}
