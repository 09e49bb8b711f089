import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { type Config, ConfigError, listenUrl } from "./config/config.ts";
import { decodeKeyEncryptionKey, KeySealer } from "./crypto/key-wrap.ts";
import type { Clock, Logger, LogSink, Services } from "./context.ts";
import { configurePasswordHashing, hashingParams } from "./crypto/password-hash.ts";
import { ConsoleDelivery } from "./delivery/console.ts";
import type { Delivery } from "./delivery/delivery.ts";
import { InboxDelivery } from "./delivery/inbox.ts";
import { FileLogSink, StdoutLogSink } from "./delivery/log-sink.ts";
import { createLimiter } from "./domain/limits/create.ts";
import { KeyRing } from "./domain/tokens/keys.ts";
import type { Storage } from "./storage/storage.ts";
import { ConfiguredTriggerInvokers } from "./triggers/invokers.ts";
import { SenderCodeEncryption } from "./triggers/code-encryption.ts";

export interface ServiceParts {
  config: Config;
  storage: Storage;
  clock: Clock;
  logger: Logger;
  delivery?: Delivery;
}

/** Assembles the long-lived services from configuration and an opened, migrated storage. */
export async function createServices(parts: ServiceParts): Promise<Services> {
  const secret = await parts.storage.setting("server_secret", () => randomBytes(32).toString("base64"));
  const { config } = parts;
  const sealer = await keySealer(config, parts.storage);
  const hashing = config.passwordHashing;
  configurePasswordHashing({
    profile: hashing.profile,
    params: hashingParams(hashing.profile, hashing),
    concurrency: hashing.concurrency,
    queue: hashing.queue,
  });
  return {
    config,
    storage: parts.storage,
    clock: parts.clock,
    logger: parts.logger,
    keys: new KeyRing(parts.storage, sealer),
    delivery: parts.delivery ?? (await createDelivery(config)),
    logSink: createLogSink(config),
    triggers: new ConfiguredTriggerInvokers(config.triggers),
    codeEncryption: new SenderCodeEncryption(config.customSender),
    serverSecret: Buffer.from(secret, "base64"),
    publicUrl: () => config.publicUrl ?? listenUrl(config),
    ...(await createLimiter(config, parts.storage, parts.logger)),
  };
}

/**
 * The sink of the pools' exported logs: a file per pool and event source under `logDeliveryDir`
 * (by default `<dataDir>/log-delivery`), or stdout. Without a data directory (`--memory`,
 * PostgreSQL) and without `logDeliveryDir`, the default is stdout.
 */
export function createLogSink(config: Config): LogSink {
  const hasDataDir = !config.memory && config.storage === "sqlite";
  const dir = config.logDeliveryDir ?? (hasDataDir ? join(config.dataDir, "log-delivery") : undefined);
  const sink = config.logDelivery ?? (dir !== undefined ? "file" : "stdout");
  if (sink === "stdout") return new StdoutLogSink();
  if (dir === undefined)
    throw new ConfigError(
      "the file log delivery needs logDeliveryDir (LANYARD_LOG_DELIVERY_DIR) with --memory or PostgreSQL",
    );
  return new FileLogSink(dir);
}

const KEY_CHECK = "lanyard key encryption check";

/**
 * The sealer of private signing keys when `LANYARD_KEY_ENCRYPTION_KEY` is set. The first start with
 * a key stores a value sealed with it; a later start with another key is refused (ConfigError).
 */
async function keySealer(config: Config, storage: Storage): Promise<KeySealer | undefined> {
  if (!config.keyEncryptionKey) return undefined;
  const sealer = new KeySealer(decodeKeyEncryptionKey(config.keyEncryptionKey)!);
  const check = await storage.setting("key_encryption_check", () => sealer.seal(KEY_CHECK, "check"));
  let opened: string | undefined;
  try {
    opened = sealer.open(check, "check");
  } catch {
    opened = undefined;
  }
  if (opened !== KEY_CHECK)
    throw new ConfigError(
      "LANYARD_KEY_ENCRYPTION_KEY is not the key this database's signing keys were encrypted with",
    );
  return sealer;
}

/**
 * The delivery the configuration asks for (see Config.delivery). The SMTP client (nodemailer) is
 * loaded only when the SMTP delivery is configured: it costs several megabytes of memory.
 */
export async function createDelivery(config: Config): Promise<Delivery> {
  switch (config.delivery) {
    case "smtp": {
      const { SmtpDelivery } = await import("./delivery/smtp.ts");
      return new SmtpDelivery(config.smtp, new ConsoleDelivery());
    }
    case "inbox":
      return new InboxDelivery();
    default:
      return new ConsoleDelivery();
  }
}
