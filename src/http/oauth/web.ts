/**
 * What the OAuth endpoints and the login pages share over HTTP: parameters (query and form, each
 * given at most once), cookies (HttpOnly, SameSite=Lax, Secure under https), the headers every page
 * carries (no framing, no caching, no referrer), and the CSRF token of the forms.
 */
import { createHmac } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { RequestContext, Services } from "../../context.ts";
import { safeEqual } from "../../crypto/secret-hash.ts";
import type { Params } from "../../domain/oauth/authorize.ts";
import { rawBody } from "../body.ts";
import { requestContext } from "../context.ts";
import { hostedPoolOf } from "../hosted.ts";

/** Parameters given once each; undefined when one is repeated (RFC 6749 §3.1, §3.2). */
export function parseParams(encoded: string): Params | undefined {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(encoded)) {
    if (Object.hasOwn(out, k)) return undefined;
    out[k] = v;
  }
  return out;
}

export function queryOf(req: FastifyRequest): string {
  const url = req.raw.url ?? "";
  const q = url.indexOf("?");
  return q >= 0 ? url.slice(q + 1) : "";
}

/** The form body of a POST (application/x-www-form-urlencoded); undefined when it is not one. */
export function formOf(req: FastifyRequest): Params | undefined {
  const type = String(req.headers["content-type"] ?? "")
    .split(";")[0]!
    .trim()
    .toLowerCase();
  if (type !== "application/x-www-form-urlencoded") return undefined;
  return parseParams(rawBody(req.body).toString("utf8"));
}

/** The request context of an OAuth route; on a pool's domain, it finds only that pool's app clients. */
export function contextOf(services: Services, req: FastifyRequest, region?: string): RequestContext {
  const hosted = hostedPoolOf(req);
  return requestContext(services, req, {
    region: region ?? services.config.defaultRegion,
    ...(hosted ? { hostedPoolId: hosted.poolId } : {}),
  });
}

export function cookies(req: FastifyRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of String(req.headers.cookie ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (name !== "" && !Object.hasOwn(out, name)) out[name] = part.slice(eq + 1).trim();
  }
  return out;
}

function secure(services: Services, req: FastifyRequest): boolean {
  return req.protocol === "https" || services.publicUrl().startsWith("https:");
}

export function setCookie(
  services: Services,
  req: FastifyRequest,
  reply: FastifyReply,
  name: string,
  value: string,
  maxAgeSeconds?: number,
): void {
  const parts = [`${name}=${value}`, "Path=/", "HttpOnly", "SameSite=Lax"];
  if (maxAgeSeconds !== undefined) parts.push(`Max-Age=${maxAgeSeconds}`);
  if (secure(services, req)) parts.push("Secure");
  const previous = reply.getHeader("set-cookie");
  const list = previous === undefined ? [] : Array.isArray(previous) ? previous : [String(previous)];
  reply.header("set-cookie", [...list, parts.join("; ")]);
}

export function clearCookie(
  services: Services,
  req: FastifyRequest,
  reply: FastifyReply,
  name: string,
): void {
  setCookie(services, req, reply, name, "", 0);
}

/**
 * The headers of every page and redirect of the managed login; `scripts` lets the page run the
 * server's own scripts (the passkey pages), never inline ones.
 */
export function pageHeaders(reply: FastifyReply, scripts = false): FastifyReply {
  return reply
    .header("cache-control", "no-store")
    .header("pragma", "no-cache")
    .header("referrer-policy", "no-referrer")
    .header("x-content-type-options", "nosniff")
    .header("x-frame-options", "DENY")
    .header(
      "content-security-policy",
      `default-src 'none';${scripts ? " script-src 'self';" : ""} style-src 'unsafe-inline'; img-src https: data:; frame-ancestors 'none'; base-uri 'none'`,
    );
}

export function sendPage(reply: FastifyReply, status: number, body: string, scripts = false): FastifyReply {
  return pageHeaders(reply, scripts).code(status).type("text/html; charset=utf-8").send(body);
}

export function redirect(reply: FastifyReply, location: string): FastifyReply {
  return pageHeaders(reply).code(302).header("location", location).send();
}

/** JSON answers of the token, revocation and userInfo endpoints (never cached). */
export function sendJson(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply
    .code(status)
    .header("cache-control", "no-store")
    .header("pragma", "no-cache")
    .type("application/json;charset=UTF-8")
    .send(JSON.stringify(body));
}

export const CSRF_COOKIE = "lanyard_csrf";

/**
 * The form's CSRF token (double submit, signed): an HMAC under the server secret of the browser's
 * random CSRF cookie and the sign-in attempt (client, redirect URI, state), so a token is good
 * only in the browser it was given to, for the attempt it was given for.
 */
export function csrfToken(services: Services, cookie: string, params: Params): string {
  const binding = [params.client_id ?? "", params.redirect_uri ?? "", params.state ?? ""].join("\n");
  return createHmac("sha256", services.serverSecret)
    .update(`csrf\n${cookie}\n${binding}`)
    .digest("base64url");
}

export function csrfValid(
  services: Services,
  req: FastifyRequest,
  params: Params,
  given: string | undefined,
): boolean {
  const cookie = cookies(req)[CSRF_COOKIE];
  if (!cookie || given === undefined) return false;
  return safeEqual(csrfToken(services, cookie, params), given);
}
