/**
 * `GET /metrics`: the Prometheus text format (src/metrics.ts). `--metrics loopback` (the default)
 * answers only peers on a loopback address (others get 404, as if there were no such route); `on`
 * answers everyone; `off` registers nothing and measures nothing. Every request answered is counted
 * by operation and status, with its latency.
 */
import { isLoopback } from "../config/config.ts";
import type { Metrics } from "../context.ts";
import { PromMetrics } from "../metrics.ts";
import type { RequestFacts } from "../protocol/aws-json.ts";
import { everywhere } from "./plugin.ts";
import { requestFacts } from "./request-log.ts";

/** Counts one request answered, with its latency (nothing where metrics are off). */
export function countRequest(m: Metrics, facts: RequestFacts, status: number, seconds: number): void {
  if (m instanceof PromMetrics)
    m.request(facts.operation, status, seconds, facts.flow, facts.error ?? facts.result);
}

export const metrics = everywhere(async (app, { services }) => {
  const m = services.metrics;
  if (!(m instanceof PromMetrics)) return;
  const loopbackOnly = services.config.metrics === "loopback";
  // A callback hook: no promise and no extra microtask turn on every request.
  app.addHook("onResponse", (req, reply, done) => {
    countRequest(m, requestFacts(req), reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
  app.get("/metrics", async (req, reply) => {
    const peer = (req.socket.remoteAddress ?? "").replace(/^::ffff:/, "");
    if (loopbackOnly && !isLoopback(peer)) return reply.code(404).send({ message: "Not Found" });
    const { contentType, body } = await m.text();
    return reply.type(contentType).send(body);
  });
});
