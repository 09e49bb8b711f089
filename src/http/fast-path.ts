/**
 * The API's fast path. A `POST /` call of the shape every AWS SDK and Cognito client sends (an
 * AWS JSON content type, a Content-Length within the body limit, no Transfer-Encoding) is answered
 * straight from Node's request and response, before Fastify makes its request and reply objects,
 * routes, runs its hook chain and its content-type parser: for a read such as AdminGetUser that
 * machinery is about a fifth of the server's CPU per call (bench/README.md).
 *
 * It answers exactly as the `POST /` route does (http/aws-json.ts): the same endpoint, the same
 * Host check (http/guards.ts), the same CORS headers (http/cors.ts), request id, request log line
 * and metrics. Every other request, and every request once the server has begun to close (Fastify
 * then answers 503), goes to Fastify, whose route answers the same API for the rest: bodies too
 * large, chunked or of another content type get Fastify's refusals as before.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Services } from "../context.ts";
import { InternalErrorException } from "../generated/exceptions.ts";
import {
  type AwsJsonEndpoint,
  type AwsJsonResponse,
  errorResponse,
  type RequestFacts,
} from "../protocol/aws-json.ts";
import { CROSS_ORIGIN_HEADERS } from "./cors.ts";
import { hostGuard } from "./guards.ts";
import { countRequest } from "./metrics.ts";
import { newRequestId } from "./request-id.ts";
import { logRequest, logsRequests } from "./request-log.ts";

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** The content types the fast path takes as they are (others go through Fastify's parser). */
const AWS_JSON_TYPES = new Set(["application/x-amz-json-1.1", "application/x-amz-json-1.0"]);
const DECIMAL = /^\d{1,10}$/;

export class ApiFastPath {
  private answer:
    ((req: IncomingMessage, res: ServerResponse, path: string, query: string) => void) | undefined;
  private bodyLimit = 0;

  /** Takes `POST /` from here on, answered by `endpoint` (the one the Fastify route answers with). */
  open(endpoint: AwsJsonEndpoint, services: Services): void {
    const { config, logger, metrics } = services;
    this.bodyLimit = config.maxBodyBytes;
    const guard = hostGuard(services);
    const checkHost = guard !== undefined && guard.applies("/") ? guard : undefined;
    const logLine = logsRequests(config);

    // A refused Host gets no CORS headers: the Host check comes before CORS, as in Fastify's hooks.
    const send = (
      res: ServerResponse,
      out: AwsJsonResponse,
      requestId: string,
      started: number,
      cors = true,
    ) => {
      const headers: Record<string, string | number> = cors
        ? { ...out.headers, ...CROSS_ORIGIN_HEADERS }
        : { ...out.headers };
      headers["content-length"] = Buffer.byteLength(out.body);
      res.writeHead(out.status, headers);
      res.end(out.body);
      const facts: RequestFacts = out.facts ?? { operation: "POST /" };
      const seconds = (performance.now() - started) / 1000;
      countRequest(metrics, facts, out.status, seconds);
      if (logLine) {
        const ip = res.req.socket.remoteAddress;
        logRequest(logger, {
          requestId,
          facts,
          status: out.status,
          ms: seconds * 1000,
          ...(ip ? { ip } : {}),
        });
      }
    };

    const failed = (res: ServerResponse, requestId: string, started: number) => (e: unknown) => {
      logger.error("internal error", { requestId, error: (e as Error)?.stack ?? String(e) });
      if (res.headersSent) return;
      send(
        res,
        errorResponse(new InternalErrorException("An internal error occurred."), requestId),
        requestId,
        started,
      );
    };

    this.answer = (req, res, path, query) => {
      const started = performance.now();
      const requestId = newRequestId();
      const chunks: Buffer[] = [];
      let length = 0;
      req.on("data", (chunk: Buffer) => {
        chunks.push(chunk);
        length += chunk.length;
      });
      // A client gone before its body arrived: its socket is closed, there is no one to answer.
      req.on("error", () => {});
      req.on("end", () => {
        const body = Buffer.concat(chunks, length);
        const call = () =>
          endpoint
            .handle({
              method: "POST",
              path,
              query,
              headers: req.headers,
              body,
              ...(req.socket.remoteAddress ? { clientIp: req.socket.remoteAddress } : {}),
              requestId,
            })
            .then((out) => send(res, out, requestId, started));
        const refusal = checkHost?.check(req.headers.host);
        const answered =
          refusal === undefined
            ? call()
            : Promise.resolve(refusal).then((e) =>
                e === undefined ? call() : send(res, errorResponse(e, requestId), requestId, started, false),
              );
        answered.catch(failed(res, requestId, started));
      });
    };
  }

  /** From now on every request goes to Fastify (which answers 503 while the server closes). */
  close(): void {
    this.answer = undefined;
  }

  /** Fastify's request handler, with the fast path in front of it. */
  wrap(fastify: Handler): Handler {
    return (req, res) => {
      const answer = this.answer;
      if (answer === undefined || req.method !== "POST") return fastify(req, res);
      const url = req.url ?? "";
      const q = url.indexOf("?");
      const path = q >= 0 ? url.slice(0, q) : url;
      const headers = req.headers;
      const type = headers["content-type"];
      const length = headers["content-length"];
      if (
        path !== "/" ||
        type === undefined ||
        !AWS_JSON_TYPES.has(type) ||
        length === undefined ||
        headers["transfer-encoding"] !== undefined ||
        !DECIMAL.test(length) ||
        Number(length) > this.bodyLimit
      )
        return fastify(req, res);
      answer(req, res, path, q >= 0 ? url.slice(q + 1) : "");
    };
  }
}
