/**
 * What each request was, for the request log and the metrics: `req.facts` is set by the endpoint
 * that knows it (the AWS JSON endpoint: the operation, pool and app client); other routes are named
 * by their method and route. With the log level at `info` or below, one line is logged per request
 * when it is answered: request id, operation, pool, client, status and latency. Identifiers only:
 * never a body, a header's value, a password, a code or a token.
 */
import type { FastifyRequest } from "fastify";
import type { Config } from "../config/config.ts";
import type { Logger } from "../context.ts";
import type { RequestFacts } from "../protocol/aws-json.ts";
import { everywhere } from "./plugin.ts";

declare module "fastify" {
  interface FastifyRequest {
    /** Set by the endpoint that knows the operation; null for the other routes. */
    facts: RequestFacts | null;
  }
}

/** The request's facts: the endpoint's, or its method and route (and a `client_id` in its query). */
export function requestFacts(req: FastifyRequest): RequestFacts {
  if (req.facts) return req.facts;
  const route = req.routeOptions.url;
  const facts: RequestFacts = {
    operation: route === undefined ? `${req.method} -` : `${req.method} ${route}`,
  };
  const clientId = (req.query as { client_id?: unknown } | undefined)?.client_id;
  if (typeof clientId === "string" && clientId.length <= 128) facts.client = clientId;
  return facts;
}

/** Whether one line is logged per request: at the log level `info` or below. */
export function logsRequests(config: Pick<Config, "logLevel">): boolean {
  return config.logLevel === "debug" || config.logLevel === "info";
}

/** The request log's line of one request answered. */
export function logRequest(
  logger: Logger,
  line: { requestId: string; facts: RequestFacts; status: number; ms: number; ip?: string },
): void {
  const { facts } = line;
  logger.info("request", {
    requestId: line.requestId,
    operation: facts.operation,
    pool: facts.pool,
    client: facts.client,
    status: line.status,
    error: facts.error,
    ms: Math.round(line.ms * 100) / 100,
    ip: line.ip,
  });
}

export const requestLog = everywhere(async (app, { services }) => {
  app.decorateRequest("facts", null);
  if (!logsRequests(services.config)) return;
  const logger = services.logger;
  app.addHook("onResponse", async (req, reply) => {
    logRequest(logger, {
      requestId: req.id,
      facts: requestFacts(req),
      status: reply.statusCode,
      ms: reply.elapsedTime,
      ip: req.ip,
    });
  });
});
