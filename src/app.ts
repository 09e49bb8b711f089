import Fastify, { type FastifyInstance } from "fastify";
import { OffsetClock, type Services } from "./context.ts";
import { InboxDelivery, inboxFilter } from "./delivery/inbox.ts";
import { registerCors } from "./http/cors.ts";
import { installGuards, keepOpenForAnswer, serverOptions } from "./http/guards.ts";
import { loadOperations } from "./operations/registry.ts";
import { AwsError } from "./errors.ts";
import { AwsJsonEndpoint, errorResponse } from "./protocol/aws-json.ts";
import { staticCredentialStore } from "./protocol/sigv4.ts";
import { registerTestFederation } from "./test-federation.ts";
import { registerWellKnown } from "./well-known.ts";

/** Wires the routes. No Cognito logic lives here. */
export async function buildApp(services: Services): Promise<FastifyInstance> {
  const { config } = services;
  const operations = await loadOperations();
  const endpoint = new AwsJsonEndpoint(services, operations, staticCredentialStore(config.accessKeys));
  const app = Fastify(serverOptions(config));
  installGuards(app, config);

  // Every body arrives raw: SigV4 signs the exact bytes.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "buffer" }, (_req, body, done) => done(null, body));

  app.setErrorHandler((err: Error & { statusCode?: number }, _req, reply) => {
    const status = err.statusCode ?? 500;
    const error =
      status === 413
        ? new AwsError(
            "RequestEntityTooLargeException",
            413,
            `Request body larger than ${config.maxBodyBytes} bytes.`,
          )
        : status < 500
          ? new AwsError("SerializationException", status, err.message)
          : new AwsError("InternalErrorException", 500, "An internal error occurred.");
    if (status >= 500) services.logger.error("internal error", { error: err.stack ?? String(err) });
    if (status === 413) keepOpenForAnswer(reply);
    const res = errorResponse(error, crypto.randomUUID());
    reply.code(res.status).headers(res.headers).send(res.body);
  });

  registerCors(app);

  app.post("/", async (req, reply) => {
    const raw = req.raw;
    const q = raw.url?.indexOf("?") ?? -1;
    const res = await endpoint.handle({
      method: "POST",
      path: q >= 0 ? raw.url!.slice(0, q) : (raw.url ?? "/"),
      query: q >= 0 ? raw.url!.slice(q + 1) : "",
      headers: req.headers,
      body: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
      clientIp: req.ip,
    });
    reply.code(res.status).headers(res.headers).send(res.body);
  });

  app.get("/health", async () => ({ status: "ok" }));
  registerWellKnown(app, services);

  if (config.enableReset) {
    app.post("/_lanyard/reset", async () => {
      await services.storage.wipe();
      services.logger.warn("all state wiped through /_lanyard/reset");
      return { reset: true };
    });
  }

  const { delivery, clock } = services;
  if (delivery instanceof InboxDelivery) {
    // The in-memory inbox of the "inbox" delivery, newest first (see README).
    app.get("/_lanyard/inbox", async (req) => ({ messages: delivery.list(inboxFilter(queryOf(req.url))) }));
    app.delete("/_lanyard/inbox", async (req) => ({
      deleted: delivery.clear(inboxFilter(queryOf(req.url))),
    }));
  }

  if (config.enableTestClock && clock instanceof OffsetClock) {
    // Test only: moves the server's clock by an offset (code expiry and the like).
    app.get("/_lanyard/clock", async () => ({ offsetMs: clock.offsetMs, now: clock.now() }));
    app.post("/_lanyard/clock", async (req, reply) => {
      const offset = parseOffset(req.body);
      if (offset === undefined)
        return reply.code(400).send({ message: 'Body must be {"offsetMs": <integer>}.' });
      clock.offsetMs = offset;
      return { offsetMs: clock.offsetMs, now: clock.now() };
    });
  }

  if (config.enableTestFederation) {
    // Test only: federated sign-in from claims given in the request (see src/test-federation.ts).
    registerTestFederation(app, services);
  }

  return app;
}

function queryOf(url: string): URLSearchParams {
  const q = url.indexOf("?");
  return new URLSearchParams(q >= 0 ? url.slice(q + 1) : "");
}

function parseOffset(body: unknown): number | undefined {
  if (!Buffer.isBuffer(body)) return undefined;
  try {
    const parsed = JSON.parse(body.toString("utf8")) as { offsetMs?: unknown };
    return Number.isSafeInteger(parsed?.offsetMs) ? (parsed.offsetMs as number) : undefined;
  } catch {
    return undefined;
  }
}
