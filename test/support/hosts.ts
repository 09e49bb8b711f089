/**
 * Requests addressed to a name that does not resolve here (a pool's domain: a prefix domain under
 * `.localhost`, or a custom domain) but sent to the test server on 127.0.0.1: the connection goes
 * to 127.0.0.1 at the URL's port and the Host header is the URL's host, as a hosts entry or a proxy
 * in front of Lanyard would have it. The answer is a fetch Response, redirects not followed.
 */
import { request } from "node:http";
import type { Jar } from "./oauth.ts";

export interface HostInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

export function fetchAt(url: string | URL, init: HostInit = {}): Promise<Response> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port: target.port,
        path: target.pathname + target.search,
        method: init.method ?? "GET",
        headers: { ...init.headers, host: target.host },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () => {
          const headers = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            if (value === undefined) continue;
            for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
          }
          const status = res.statusCode!;
          const body = status === 204 || status === 304 ? null : Buffer.concat(chunks);
          resolve(new Response(body, { status, headers }));
        });
      },
    );
    req.on("error", reject);
    req.end(init.body);
  });
}

/** fetchAt as a browser with a cookie jar (cookies sent and kept). */
export async function browseAt(url: string | URL, jar: Jar, init: HostInit = {}): Promise<Response> {
  const cookie = jar.header();
  const res = await fetchAt(url, {
    ...init,
    headers: { ...init.headers, ...(cookie === "" ? {} : { cookie }) },
  });
  jar.take(res);
  return res;
}
