/**
 * The end user's context of a request, as threat protection reads it: an admin sign-in's
 * ContextData (the end user's IP address and HTTP headers, passed on by the server that calls
 * Cognito) or a public operation's UserContextData (its IpAddress counts only for an app client that
 * propagates additional user context data, as in Cognito), else the request's own peer address and
 * User-Agent header.
 */
import type { UserContext } from "../caller.ts";
import type { RequestContext } from "../../context.ts";
import type { ContextDataType, UserContextDataType } from "../../generated/types.ts";
import type { ClientRecord } from "../../storage/records.ts";

/** The UserContext of an operation's ContextData (admin) or UserContextData (public). */
export function userContextOf(
  input: { ContextData?: ContextDataType; UserContextData?: UserContextDataType },
  client?: ClientRecord,
): UserContext | undefined {
  const admin = input.ContextData;
  if (admin) {
    const agent = admin.HttpHeaders.find((h) => h.headerName?.toLowerCase() === "user-agent")?.headerValue;
    return { ipAddress: admin.IpAddress, ...(agent === undefined ? {} : { userAgent: agent }) };
  }
  const ip = input.UserContextData?.IpAddress;
  if (ip !== undefined && client?.settings.EnablePropagateAdditionalUserContextData === true)
    return { ipAddress: ip };
  return undefined;
}

/** The IP address and user agent a sign-in is judged on. */
export function signalsOf(
  ctx: RequestContext,
  userContext: UserContext | undefined,
): { ipAddress?: string; userAgent?: string } {
  const ipAddress = userContext?.ipAddress ?? ctx.clientIp;
  const userAgent = userContext?.userAgent ?? ctx.userAgent;
  return {
    ...(ipAddress === undefined ? {} : { ipAddress: unmapped(ipAddress) }),
    ...(userAgent === undefined ? {} : { userAgent: userAgent.slice(0, 512) }),
  };
}

/** An IPv4 address as IPv4 (`::ffff:127.0.0.1` from a dual-stack socket as `127.0.0.1`). */
function unmapped(ip: string): string {
  return ip.startsWith("::ffff:") && ip.includes(".") ? ip.slice(7) : ip;
}
