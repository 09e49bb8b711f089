/**
 * Errors over HTTP. Every AwsError any route answers is rendered by the AWS JSON protocol's one
 * renderer (`errorResponse` in protocol/aws-json.ts) and sent by `sendError` with the request's
 * id; the error handler turns what Fastify itself refuses (bodies too large or malformed) and
 * unexpected failures into AwsErrors the same way.
 */
import type { FastifyReply } from "fastify";
import { AwsError } from "../errors.ts";
import { type AwsJsonResponse, errorResponse } from "../protocol/aws-json.ts";
import { everywhere } from "./plugin.ts";

/** Sends a response of the AWS JSON endpoint as it is. */
export function sendResponse(reply: FastifyReply, res: AwsJsonResponse): FastifyReply {
  return reply.code(res.status).headers(res.headers).send(res.body);
}

/** Answers `error` as the API does, with this request's id. */
export function sendError(reply: FastifyReply, error: AwsError): FastifyReply {
  return sendResponse(reply, errorResponse(error, reply.request.id));
}

/**
 * A body over the limit is answered 413 without closing the connection, even when the client
 * asked for `Connection: close`: the rest of the body is read and dropped (within the request
 * timeout), so a client still sending it reads the answer instead of a reset connection or a
 * broken pipe, which SDKs would retry.
 */
function keepOpenForAnswer(reply: FastifyReply): void {
  reply.removeHeader("connection");
  reply.raw.shouldKeepAlive = true;
}

export const errorHandler = everywhere(async (app, { services }) => {
  const { config, logger } = services;
  app.setErrorHandler((err: Error & { statusCode?: number }, _req, reply) => {
    const status = err.statusCode ?? 500;
    const error =
      status === 413
        ? new AwsError(
            "RequestEntityTooLargeException",
            413,
            `Request body larger than ${config.maxBodyBytes} bytes.`,
          )
        : status < 500
          ? new AwsError("SerializationException", status, err.message)
          : new AwsError("InternalErrorException", 500, "An internal error occurred.");
    if (status >= 500) logger.error("internal error", { error: err.stack ?? String(err) });
    if (status === 413) keepOpenForAnswer(reply);
    return sendError(reply, error);
  });
});
