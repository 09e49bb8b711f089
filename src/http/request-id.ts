/**
 * Request ids: each request's id is made once, here, when Fastify receives it (`req.id`), and is
 * carried down from there: into the AWS JSON endpoint, the request context and every
 * `x-amzn-RequestId` answered. A client cannot choose it (Fastify's `requestIdHeader` is off).
 */
import { randomUUID } from "node:crypto";

/** A fresh request id, shaped like Cognito's (a UUID). */
export function newRequestId(): string {
  return randomUUID();
}
