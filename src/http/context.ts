/**
 * The request context of an HTTP route that runs domain code: made by the one builder
 * (`createRequestContext` in src/context.ts, shared with the AWS JSON endpoint), with the request's
 * id and the peer's address taken from the Fastify request.
 */
import type { FastifyRequest } from "fastify";
import { createRequestContext, type RequestContext, type Services } from "../context.ts";

export function requestContext(
  services: Services,
  req: FastifyRequest,
  options: { region: string; requestRegion?: string; hostedPoolId?: string },
): RequestContext {
  const userAgent = req.headers["user-agent"];
  return createRequestContext(services, {
    ...options,
    requestId: req.id,
    clientIp: req.ip,
    ...(userAgent === undefined ? {} : { userAgent }),
  });
}
