/**
 * The user pool a request's Host names. On a pool's domain (a prefix domain,
 * `<prefix>.auth.<region>.amazoncognito.com` or `<prefix>.auth.<region>.localhost`, or a custom
 * domain) the OAuth endpoints, the managed login pages and the discovery document serve that pool
 * only; on the server's own origin (localhost, 127.0.0.1, [::1], the listening host, the public
 * URL's host) nothing is looked up and the pool comes from the request's client_id.
 */
import type { FastifyRequest } from "fastify";
import type { Services } from "../context.ts";
import { type HostedPool, poolOfHost } from "../domain/hosting/domains.ts";
import { hostName, ownHostNames } from "./guards.ts";

const resolved = new WeakMap<FastifyRequest, HostedPool | null>();

/** Looks the request's Host up once (later calls answer from the first). */
export async function resolveHostedPool(
  services: Services,
  req: FastifyRequest,
): Promise<HostedPool | undefined> {
  const known = resolved.get(req);
  if (known !== undefined) return known ?? undefined;
  const name = hostName(req.headers.host);
  const found =
    name === undefined || ownHostNames(services.config).has(name)
      ? undefined
      : await poolOfHost(services.storage, name);
  resolved.set(req, found ?? null);
  return found;
}

/** The pool of the request's Host, once resolveHostedPool has looked it up; else undefined. */
export function hostedPoolOf(req: FastifyRequest): HostedPool | undefined {
  return resolved.get(req) ?? undefined;
}

/**
 * The origin the request was addressed to (`https` when it came over TLS or the public URL is
 * https, else `http`; the Host as sent), for the URLs a pool's domain names for itself.
 */
export function requestOrigin(services: Services, req: FastifyRequest): string {
  const secure = req.protocol === "https" || services.publicUrl().startsWith("https:");
  return `${secure ? "https" : "http"}://${String(req.headers.host ?? "")
    .trim()
    .toLowerCase()}`;
}
