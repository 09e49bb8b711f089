/**
 * Requests addressed to a name that does not resolve here (a pool's domain: a prefix domain under
 * `.localhost`, or a custom domain) but sent to the test server on 127.0.0.1: the connection goes
 * to 127.0.0.1 at the URL's port and the Host header is the URL's host, as a hosts entry or a proxy
 * in front of Lanyard would have it. The answer is a fetch Response, redirects not followed.
 */
import { type NodeInit, nodeFetch } from "./node-fetch.ts";
import type { Jar } from "./oauth.ts";

export type HostInit = NodeInit;

export function fetchAt(url: string | URL, init: HostInit = {}): Promise<Response> {
  return nodeFetch(url, init, { connectTo: "127.0.0.1" });
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
