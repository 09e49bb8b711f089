/**
 * Guards of the HTTP layer, set up before any route: timeouts and a connection cap (so slow or
 * abandoned requests cannot pile up memory), the Host check that keeps a loopback server out of
 * reach of DNS rebinding, and the start-up checks of the test aids.
 */
import type { RequestListener, Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { FastifyHttpOptions, FastifyInstance } from "fastify";
import { type Config, isLoopback } from "../config/config.ts";
import type { Services } from "../context.ts";
import { poolOfHost } from "../domain/hosting/domains.ts";
import { AwsError } from "../errors.ts";
import { sendError } from "./errors.ts";
import { everywhere } from "./plugin.ts";
import { newRequestId } from "./request-id.ts";

const KEEP_ALIVE_MS = 65_000;

// node:http taken as the CommonJS module: an ES import of it reads every export to build its
// namespace, and so loads what its lazy exports hold (WebSocket and its kin, from Node's bundled
// undici), about 2 MB for the life of the process.
const { createServer: createHttpServer } = process.getBuiltinModule("node:http");

/**
 * Fastify's server options: request ids, the body limit, the timeouts and how often they are
 * checked; with `tls` (PEM certificate and key), an HTTPS server with the same timeouts. `wrap`
 * puts a handler in front of Fastify's (http/fast-path.ts).
 */
export function serverOptions(
  config: Config,
  tls?: { cert: string; key: string },
  wrap: (handler: RequestListener) => RequestListener = (handler) => handler,
): FastifyHttpOptions<Server> {
  const http = {
    headersTimeout: config.headersTimeoutMs,
    requestTimeout: config.requestTimeoutMs,
    // Node checks the two timeouts on this interval (30 s by default): check often enough that a
    // timeout is kept to within a tenth of itself.
    connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(config.headersTimeoutMs / 10))),
  };
  return {
    logger: false,
    genReqId: newRequestId,
    requestIdHeader: false,
    bodyLimit: config.maxBodyBytes,
    // No route declares a Fastify schema: the API is validated against the generated model
    // (protocol/validate.ts), the pages and forms by their handlers. Without these factories Fastify
    // loads Ajv and fast-json-stringify at start (about 100 modules held for the process's life).
    schemaController: {
      compilersFactory: {
        buildValidator: noSchemas,
        buildSerializer: noSchemas,
      },
    },
    // The server is made here, HTTP or HTTPS, with its timeouts (Fastify applies its own
    // timeout options only to a server it makes itself). An HTTPS server serves the same requests
    // and replies as an HTTP one (https.Server's requests are http.IncomingMessage): the plugins
    // keep their http.Server types.
    serverFactory: (handler) => {
      const listener = wrap(handler as RequestListener);
      const server = tls
        ? createHttpsServer({ ...http, cert: tls.cert, key: tls.key }, listener)
        : createHttpServer(http, listener);
      server.keepAliveTimeout = KEEP_ALIVE_MS;
      return server as unknown as Server;
    },
  };
}

function noSchemas(): never {
  throw new Error("Lanyard's routes declare no Fastify schemas (see serverOptions in src/http/guards.ts)");
}

/** Caps the open connections and installs the Host check. */
export const guards = everywhere(async (app, { services }) => {
  app.server.maxConnections = services.config.maxConnections;
  installHostCheck(app, services);
});

/**
 * The server's own names (the origin the OAuth endpoints serve every pool on), and so the names a
 * loopback server answers to: a page on another site that rebinds its own name to 127.0.0.1 sends
 * its own name as Host, and is refused.
 */
export function ownHostNames(config: Config): Set<string> {
  const names = new Set(["localhost", "127.0.0.1", "::1", config.host.toLowerCase().replace(/^\[|\]$/g, "")]);
  if (config.publicUrl && URL.canParse(config.publicUrl))
    names.add(new URL(config.publicUrl).hostname.toLowerCase().replace(/^\[|\]$/g, ""));
  return names;
}

/**
 * Cognito's own endpoint names, which a local setup may point at Lanyard (a hosts file, a proxy):
 * no web page can be served from them, so a rebinding page never sends them.
 */
const COGNITO_ENDPOINT = /^cognito-idp(?:-fips)?\.[a-z]{2}(?:-[a-z]+)+-\d+\.amazonaws\.com$/;

/** A name under `localhost`, which always resolves to loopback (RFC 6761 §6.3): no other site's. */
const LOCALHOST = /^(?:[a-z0-9-]+\.)+localhost\.?$/;

/** The host part of a Host header ("[::1]:9229" -> "::1"), lower-cased; undefined when malformed. */
export function hostName(host: string | undefined): string | undefined {
  if (!host) return undefined;
  const value = host.trim().toLowerCase();
  if (value.startsWith("[")) {
    const end = value.indexOf("]");
    if (end < 0) return undefined;
    const rest = value.slice(end + 1);
    if (rest !== "" && !/^:\d*$/.test(rest)) return undefined;
    return value.slice(1, end);
  }
  const colon = value.indexOf(":");
  if (colon < 0) return value;
  if (!/^\d*$/.test(value.slice(colon + 1))) return undefined;
  return value.slice(0, colon);
}

/** The Host check of one server (see `hostGuard`). */
export interface HostGuard {
  /** Whether requests to `url` are checked. */
  applies(url: string): boolean;
  /**
   * The refusal to answer a request with this Host header, or undefined when it is accepted; a
   * promise when only the storage knows (a user pool's domain).
   */
  check(host: string | undefined): AwsError | undefined | Promise<AwsError | undefined>;
}

/**
 * On a loopback address: without access keys every request (any well-formed signature is accepted
 * there, so the Host is what keeps other sites out), and with keys the `/_lanyard/*` test aids
 * (which have no authentication), answer only when the Host names this machine. Undefined on
 * other addresses, where nothing is checked.
 */
export function hostGuard(services: Services): HostGuard | undefined {
  const { config } = services;
  if (!isLoopback(config.host)) return undefined;
  const allowed = ownHostNames(config);
  const everyRoute = config.accessKeys.length === 0;
  const refuse = (host: string | undefined) =>
    new AwsError(
      "UnrecognizedClientException",
      403,
      `The Host header ${JSON.stringify(host ?? "")} is not accepted: this server answers only requests addressed to localhost, *.localhost, 127.0.0.1, [::1], cognito-idp.<region>.amazonaws.com, a user pool's domain` +
        (config.publicUrl ? " or its public URL's host" : "") +
        " (protection against DNS rebinding).",
    );
  return {
    applies: (url) => everyRoute || isTestAidPath(url),
    check: (host) => {
      const name = hostName(host);
      if (name !== undefined && (allowed.has(name) || COGNITO_ENDPOINT.test(name) || LOCALHOST.test(name)))
        return undefined;
      if (name === undefined) return refuse(host);
      // A user pool's domain (a hosts entry or a proxy points it here): one indexed lookup.
      return poolOfHost(services.storage, name).then((pool) => (pool ? undefined : refuse(host)));
    },
  };
}

function installHostCheck(app: FastifyInstance, services: Services): void {
  const guard = hostGuard(services);
  if (guard === undefined) return;
  // A callback hook: the names are checked without a promise or a microtask turn; only a pool's
  // domain needs the storage.
  app.addHook("onRequest", (req, reply, done) => {
    if (!guard.applies(req.routeOptions.url ?? req.url)) return done();
    const refusal = guard.check(req.headers.host);
    if (refusal === undefined) return done();
    if (refusal instanceof AwsError) {
      sendError(reply, refusal);
      return;
    }
    refusal.then(
      (e) => {
        if (e === undefined) done();
        else sendError(reply, e);
      },
      (e: unknown) => done(e as Error),
    );
  });
}

function isTestAidPath(url: string): boolean {
  let path = url;
  try {
    path = decodeURIComponent(url);
  } catch {
    // keep the raw path
  }
  return path.replace(/^\/+/, "/").startsWith("/_lanyard");
}

/** The test aids that are on, each with what it exposes. */
function testAids(config: Config): Array<{ flag: string; warning: string }> {
  const aids: Array<{ flag: string; warning: string }> = [];
  if (config.enableReset)
    aids.push({
      flag: "--enable-reset",
      warning: "reset enabled: POST /_lanyard/reset deletes every pool and user",
    });
  if (config.delivery === "inbox")
    aids.push({
      flag: "--delivery inbox",
      warning: "inbox delivery: codes and temporary passwords are readable at GET /_lanyard/inbox",
    });
  if (config.enableTestClock)
    aids.push({
      flag: "--enable-test-clock",
      warning: "test clock enabled: POST /_lanyard/clock moves the server's time",
    });
  if (config.enableTestFederation)
    aids.push({
      flag: "--enable-test-federation",
      warning:
        "test federation enabled: POST /_lanyard/federated-sign-in signs federated users in without their provider",
    });
  if (config.enableMockIdp)
    aids.push({
      flag: "--enable-mock-idp",
      warning: "mock identity provider enabled: /_lanyard/mock-idp signs in as any subject typed on its page",
    });
  return aids;
}

/**
 * What to say at start about the test aids: a refusal when one is on while listening on a
 * non-loopback address without `--insecure` (they have no authentication), else one warning each.
 */
export function testAidNotices(config: Config): { refusal?: string; warnings: string[] } {
  const aids = testAids(config);
  if (aids.length > 0 && !isLoopback(config.host) && !config.insecure)
    return {
      refusal: `refusing to listen on ${config.host} with ${aids.map((a) => a.flag).join(", ")}: test aids have no authentication; listen on a loopback address, or pass --insecure`,
      warnings: [],
    };
  return {
    warnings: aids.map(
      (a) => `WARNING: ${a.warning} (a test aid without authentication: never on a server with real users)`,
    ),
  };
}
