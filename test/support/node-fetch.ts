/**
 * fetch-shaped requests made with node:http / node:https, for what the global fetch cannot do in a
 * test: connect to 127.0.0.1 while sending another name as Host (a pool's domain), or trust a
 * given CA (the `--tls` local CA) without NODE_EXTRA_CA_CERTS. Redirects are not followed.
 */
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP } from "node:net";

export interface NodeInit {
  method?: string;
  headers?: Record<string, string>;
  /** A string, form or bytes (a stream or blob is refused). */
  body?: NonNullable<RequestInit["body"]> | null;
  signal?: AbortSignal | null;
}

export interface NodeTarget {
  /** Connect here instead of the URL's host (the Host header stays the URL's). */
  connectTo?: string;
  /** The CA to trust for https (only it). */
  ca?: string;
}

function bodyOf(body: NodeInit["body"]): string | Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === "string") return body;
  if (body instanceof URLSearchParams) return body.toString();
  if (body instanceof ArrayBuffer) return Buffer.from(new Uint8Array(body));
  if (body instanceof Uint8Array) return Buffer.from(body);
  throw new Error("nodeFetch sends strings, forms and bytes only");
}

function responseOf(res: IncomingMessage, chunks: Buffer[]): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const status = res.statusCode!;
  const body = status === 204 || status === 304 ? null : Buffer.concat(chunks);
  return new Response(body, { status, headers });
}

export function nodeFetch(
  url: string | URL,
  init: NodeInit = {},
  target: NodeTarget = {},
): Promise<Response> {
  const u = new URL(url);
  const https = u.protocol === "https:";
  const request = https ? httpsRequest : httpRequest;
  const payload = bodyOf(init.body);
  const headers: Record<string, string> = { ...init.headers, host: u.host };
  if (payload !== undefined && init.body instanceof URLSearchParams && !headers["content-type"])
    headers["content-type"] = "application/x-www-form-urlencoded;charset=UTF-8";
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.connectTo ?? u.hostname.replace(/^\[|\]$/g, ""),
        port: u.port || (https ? 443 : 80),
        path: u.pathname + u.search,
        method: init.method ?? "GET",
        headers,
        ...(https
          ? {
              ca: target.ca,
              servername: isIP(u.hostname.replace(/^\[|\]$/g, "")) ? "" : u.hostname,
              rejectUnauthorized: true,
            }
          : {}),
        ...(init.signal ? { signal: init.signal } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () => resolve(responseOf(res, chunks)));
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

/** A fetch that trusts `ca` only (openid-client's customFetch, the login form over https). */
export function trustingFetch(ca: string) {
  return (url: string | URL, init: NodeInit = {}): Promise<Response> => nodeFetch(url, init, { ca });
}
