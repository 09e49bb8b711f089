/**
 * Cross-origin access to the endpoints a browser app calls straight from the page:
 * `POST /` (amazon-cognito-identity-js, Amplify and the SDK in a browser call cognito-idp directly),
 * the pool's JWKS and its OpenID Connect discovery document. Like Cognito's, the answers allow every
 * origin without credentials, allow the request headers the AWS SDKs send and expose the response
 * headers they read. Preflights (`OPTIONS`) are answered 200 with an empty body.
 */
import type { FastifyReply } from "fastify";
import { everywhere } from "./plugin.ts";

/** Request headers a page may send: the ones the AWS SDKs and Cognito client libraries send. */
const ALLOWED_HEADERS = [
  "authorization",
  "cache-control",
  "content-type",
  "x-amz-content-sha256",
  "x-amz-date",
  "x-amz-security-token",
  "x-amz-target",
  "x-amz-user-agent",
  "amz-sdk-invocation-id",
  "amz-sdk-request",
];
/** Any other `amz-sdk-*` header the SDK adds is allowed too. */
const SDK_HEADER = /^amz-sdk-[a-z0-9-]+$/;

/** Response headers a page may read (the SDKs read the request id and error type). */
const EXPOSED_HEADERS = "x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date";

/**
 * How long a browser may cache a preflight answer: two days, the value browsers report from
 * Cognito's endpoints (Edge capping cognito-identity's `Access-Control-Max-Age` of 172800,
 * aws-amplify/amplify-js#4346).
 */
const MAX_AGE_SECONDS = "172800";

const WELL_KNOWN = /^\/[^/]+\/\.well-known\/(?:jwks\.json|openid-configuration)$/;

const API_METHODS = "POST";
const WELL_KNOWN_METHODS = "GET,HEAD";

/** The OAuth endpoints that web apps call from their own origin (not the browser-facing pages). */
const OAUTH_API = new Set(["/oauth2/token", "/oauth2/userInfo", "/oauth2/revoke"]);

/** The headers of every answer on a path open to other origins (preflights add theirs). */
export const CROSS_ORIGIN_HEADERS: Readonly<Record<string, string>> = {
  "access-control-allow-origin": "*",
  "access-control-expose-headers": EXPOSED_HEADERS,
};

/** Whether `path` is open to other origins. */
function crossOrigin(path: string): boolean {
  return path === "/" || WELL_KNOWN.test(path) || OAUTH_API.has(path);
}

function pathOf(url: string): string {
  const q = url.indexOf("?");
  return q >= 0 ? url.slice(0, q) : url;
}

/** The requested headers that are allowed, in the order asked; every allowed header when none are named. */
function allowedHeaders(requested: string | string[] | undefined): string {
  const names = (Array.isArray(requested) ? requested.join(",") : (requested ?? ""))
    .split(",")
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== "");
  if (names.length === 0) return ALLOWED_HEADERS.join(",");
  return names.filter((h) => ALLOWED_HEADERS.includes(h) || SDK_HEADER.test(h)).join(",");
}

function simpleHeaders(reply: FastifyReply): void {
  reply.headers(CROSS_ORIGIN_HEADERS);
}

export const cors = everywhere(async (app) => {
  // A callback hook, not an async one: no promise and no extra microtask turn on every request.
  app.addHook("onRequest", (req, reply, done) => {
    if (req.method !== "OPTIONS" && crossOrigin(pathOf(req.url))) simpleHeaders(reply);
    done();
  });

  const preflight =
    (methods: string) =>
    async (req: { headers: Record<string, string | string[] | undefined> }, reply: FastifyReply) => {
      simpleHeaders(reply);
      reply.header("access-control-allow-methods", methods);
      const headers = allowedHeaders(req.headers["access-control-request-headers"]);
      if (headers !== "") reply.header("access-control-allow-headers", headers);
      reply.header("access-control-max-age", MAX_AGE_SECONDS);
      return reply.code(200).send();
    };
  app.options("/", preflight(API_METHODS));
  app.options("/:poolId/.well-known/jwks.json", preflight(WELL_KNOWN_METHODS));
  app.options("/:poolId/.well-known/openid-configuration", preflight(WELL_KNOWN_METHODS));
  app.options("/oauth2/token", preflight("POST"));
  app.options("/oauth2/revoke", preflight("POST"));
  app.options("/oauth2/userInfo", preflight("GET,POST"));
});
