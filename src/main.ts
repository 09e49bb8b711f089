import { readFileSync } from "node:fs";
import { getHeapSpaceStatistics } from "node:v8";
import { buildApp } from "./app.ts";
import { ConfigError, helpText, isLoopback, listenUrl, loadConfig } from "./config/config.ts";
import { OffsetClock, systemClock } from "./context.ts";
import { testAidNotices } from "./http/guards.ts";
import { prepareTls, TlsError } from "./http/tls.ts";
import { describePasswordHashing } from "./crypto/password-hash.ts";
import { createLogger } from "./logger.ts";
import { startMemoryReducer } from "./memory-reducer.ts";
import { createServices } from "./services.ts";
import { DataDirError, describeStorage, openStorage } from "./storage/open.ts";

const PURGE_INTERVAL_MS = 10 * 60_000;
/** How long SIGTERM waits for the requests in flight before it exits anyway. */
const DRAIN_TIMEOUT_MS = 30_000;

/** The version in package.json (one directory up, from src/ as from the built dist/). */
function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    version?: string;
  };
  return pkg.version ?? "unknown";
}

async function main(): Promise<void> {
  let args = process.argv.slice(2);
  // `lanyard export [--pool ID]... [--json]`: the pools as a seed file on stdout (src/seed/).
  // Seed files and export load their code (and the YAML parser) only when asked for.
  const exporting =
    args[0] === "export" ? (await import("./seed/run.ts")).exportArgs(args.slice(1)) : undefined;
  if (exporting) args = exporting.rest;
  if (args.includes("--help") || args.includes("-h")) {
    process.stdout.write(`${helpText()}\n`);
    process.exit(0);
  }
  if (args.includes("--version") || args.includes("-V")) {
    process.stdout.write(`lanyard ${packageVersion()}\n`);
    process.exit(0);
  }
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(args, process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`lanyard: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const loopback = isLoopback(config.host);
  const aids = testAidNotices(config);
  if (aids.refusal) {
    process.stderr.write(`lanyard: ${aids.refusal}\n`);
    process.exit(2);
  }
  if (config.accessKeys.length === 0) {
    if (!loopback && !config.insecure) {
      process.stderr.write(
        `lanyard: refusing to listen on ${config.host} without access keys: set LANYARD_ACCESS_KEY_ID and LANYARD_SECRET_ACCESS_KEY (or accessKeys in the config file), or pass --insecure\n`,
      );
      process.exit(2);
    }
    process.stderr.write(
      "lanyard: no access keys configured: admin requests with any well-formed SigV4 signature are accepted" +
        (loopback ? " (loopback only)\n" : " (--insecure)\n"),
    );
  }
  if (config.passwordHashing.profile === "test" && !loopback && !config.insecure) {
    process.stderr.write(
      `lanyard: refusing the test password-hashing profile on ${config.host}: its hashes are cheap to crack; use it on a loopback address, or pass --insecure\n`,
    );
    process.exit(2);
  }
  const logger = createLogger(config.logLevel, undefined, config.logFormat);
  let storage: Awaited<ReturnType<typeof openStorage>>;
  try {
    storage = await openStorage(config, (e) =>
      logger.warn("storage connection failed", { error: e.message }),
    );
  } catch (e) {
    if (!(e instanceof DataDirError)) throw e;
    process.stderr.write(`lanyard: ${e.message}\n`);
    process.exit(2);
  }
  try {
    await storage.migrate();
  } catch (e) {
    process.stderr.write(`lanyard: cannot open the storage: ${(e as Error).message}\n`);
    await storage.close().catch(() => {});
    process.exit(1);
  }
  if (config.storage !== "sqlite") process.stderr.write(`lanyard: storage: ${describeStorage(config)}\n`);
  // The test clock (opt-in, for test suites) follows the system clock plus an offset set over HTTP.
  const clock = config.enableTestClock ? new OffsetClock() : systemClock;
  for (const warning of aids.warnings) process.stderr.write(`lanyard: ${warning}\n`);
  let services: Awaited<ReturnType<typeof createServices>>;
  try {
    services = await createServices({ config, storage, clock, logger });
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(`lanyard: ${e.message}\n`);
    await storage.close().catch(() => {});
    process.exit(2);
  }
  process.stderr.write(`lanyard: ${describePasswordHashing()}\n`);
  if (exporting) {
    const { exportToStdout } = await import("./seed/run.ts");
    const ok = await exportToStdout(services, exporting, config.seedKey);
    await storage.close().catch(() => {});
    process.exit(ok ? 0 : 2);
  }
  if (
    config.seed &&
    !(await (await import("./seed/run.ts")).seedAtStart(services, config.seed, config.seedKey))
  ) {
    await storage.close().catch(() => {});
    process.exit(2);
  }
  let tls: ReturnType<typeof prepareTls>;
  try {
    tls = prepareTls(config, new Date(clock.now()));
  } catch (e) {
    if (!(e instanceof TlsError)) throw e;
    process.stderr.write(`lanyard: ${e.message}\n`);
    await storage.close().catch(() => {});
    process.exit(2);
  }
  if (tls) process.once("exit", tls.dispose);
  const app = await buildApp(services, tls);
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  config.port = port;
  for (const notice of tls?.notices ?? []) process.stderr.write(`lanyard: ${notice}\n`);
  process.stdout.write(`listening on ${listenUrl(config)}\n`);
  const memoryReducer = startMemoryReducer(app.server);

  // Expired sessions, codes and refresh tokens are removed every ten minutes (by every instance:
  // the deletes are idempotent).
  const purge = setInterval(() => {
    storage
      .transaction(async (tx) => {
        await tx.tokens.purgeExpired(clock.now());
        await tx.oauth.purgeExpiredCodes(clock.now());
      })
      .catch((e: Error) => logger.warn("purging expired records failed", { error: e.message }));
  }, PURGE_INTERVAL_MS);
  purge.unref();

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    clearInterval(purge);
    memoryReducer.stop();
    // app.close() stops accepting connections, closes the idle ones and waits for the requests in
    // flight to be answered; past the deadline the process exits all the same.
    const deadline = setTimeout(() => {
      process.stderr.write("lanyard: requests still in flight after 30 s; exiting\n");
      process.exit(1);
    }, DRAIN_TIMEOUT_MS);
    deadline.unref();
    // A keep-alive connection whose request is answered while the server closes becomes idle
    // later: close those as they come (Fastify closes the ones idle when it starts closing).
    const sweep = setInterval(() => app.server.closeIdleConnections(), 100);
    await app.close();
    clearInterval(sweep);
    await services.delivery.close?.();
    await services.triggers.close();
    await services.limiter?.close();
    await storage.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  // A diagnostic for benchmarks and operators: the heap figures on stderr, nothing over HTTP.
  process.on("SIGUSR2", () => {
    const spaces = Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name, s.space_size]));
    process.stderr.write(`lanyard: heap spaces ${JSON.stringify(spaces)}\n`);
    process.stderr.write(`lanyard: memory ${JSON.stringify(process.memoryUsage())}\n`);
  });
}

await main();
