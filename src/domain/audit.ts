/**
 * The security trail: failed sign-ins, lockouts and codes sent or refused, logged at info level
 * with the request id, the client's address, the pool and the name used, so that an attack leaves
 * a trace. Never a password, a code, a token or a secret.
 */
import type { RequestContext } from "../context.ts";

export function audit(ctx: RequestContext, event: string, fields: Record<string, unknown>): void {
  ctx.services.metrics.event(event, fields);
  ctx.services.logger.info(event, { requestId: ctx.requestId, clientIp: ctx.clientIp, ...fields });
}
