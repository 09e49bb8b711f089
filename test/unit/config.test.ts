/**
 * The option table and what it drives: every option's environment variable and flag, the config
 * file (unknown keys, wrong types, the old `data` and `region` keys), and `lanyard --help`.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { type Config, ConfigError, loadConfig } from "../../src/config/config.ts";
import { OPTION_LIST, OPTIONS, optionValue } from "../../src/config/options.ts";
import type { OptionKey } from "../../src/config/types.ts";
import { startServer } from "../support/server.ts";

const work = mkdtempSync(join(tmpdir(), "lanyard-config-"));
after(() => rmSync(work, { recursive: true, force: true }));

let files = 0;
function configFile(content: unknown): string {
  const file = join(work, `config-${files++}.json`);
  writeFileSync(file, JSON.stringify(content));
  return file;
}

/**
 * For every option: a value as text (environment, flag) and the value it reads as, different from
 * the default; and a JSON value of the wrong type for the config file. A new option without a
 * sample does not compile.
 */
const SAMPLES: Record<OptionKey, { text: string; value: unknown; wrongType: unknown }> = {
  host: { text: "127.0.0.2", value: "127.0.0.2", wrongType: 1 },
  port: { text: "9330", value: 9330, wrongType: "9330" },
  dataDir: { text: "/tmp/somewhere", value: "/tmp/somewhere", wrongType: true },
  memory: { text: "1", value: true, wrongType: "yes" },
  storage: { text: "postgres://h/db", value: "postgres://h/db", wrongType: 5 },
  accessKeys: { text: "", value: undefined, wrongType: "AKIA" },
  insecure: { text: "true", value: true, wrongType: 1 },
  accountId: { text: "123456789012", value: "123456789012", wrongType: 123456789012 },
  defaultRegion: { text: "eu-west-1", value: "eu-west-1", wrongType: ["eu-west-1"] },
  publicUrl: { text: "https://id.example", value: "https://id.example", wrongType: {} },
  seed: { text: "/tmp/seed.yaml", value: "/tmp/seed.yaml", wrongType: 1 },
  seedKey: { text: "b".repeat(64), value: "b".repeat(64), wrongType: 1 },
  issuer: { text: "aws", value: "aws", wrongType: 1 },
  "tls.cert": { text: "/tmp/cert.pem", value: "/tmp/cert.pem", wrongType: 1 },
  "tls.key": { text: "/tmp/key.pem", value: "/tmp/key.pem", wrongType: false },
  "tls.generate": { text: "1", value: true, wrongType: "1" },
  enableReset: { text: "on", value: true, wrongType: "on" },
  maxBodyBytes: { text: "2048", value: 2048, wrongType: "2048" },
  importMaxBytes: { text: "4096", value: 4096, wrongType: "4096" },
  requestTimeoutMs: { text: "60000", value: 60000, wrongType: "60000" },
  headersTimeoutMs: { text: "5000", value: 5000, wrongType: false },
  maxConnections: { text: "10", value: 10, wrongType: "10" },
  allowPrivateMetadataUrls: { text: "yes", value: true, wrongType: null },
  keyEncryptionKey: { text: "a".repeat(64), value: "a".repeat(64), wrongType: undefined },
  logLevel: { text: "debug", value: "debug", wrongType: 3 },
  logFormat: { text: "pretty", value: "pretty", wrongType: 3 },
  metrics: { text: "on", value: "on", wrongType: true },
  delivery: { text: "inbox", value: "inbox", wrongType: ["inbox"] },
  logDelivery: { text: "stdout", value: "stdout", wrongType: ["stdout"] },
  logDeliveryDir: { text: "/tmp/logs", value: "/tmp/logs", wrongType: 7 },
  "oauth.mode": { text: "strict", value: "strict", wrongType: ["strict"] },
  "smtp.host": { text: "mail.example", value: "mail.example", wrongType: 25 },
  "smtp.port": { text: "2525", value: 2525, wrongType: "2525" },
  "smtp.secure": { text: "1", value: true, wrongType: "1" },
  "smtp.user": { text: "mailer", value: "mailer", wrongType: 0 },
  "smtp.pass": { text: "hunter2", value: "hunter2", wrongType: 0 },
  "smtp.from": { text: "id@example.com", value: "id@example.com", wrongType: false },
  "codeLimits.sends": { text: "7", value: 7, wrongType: "7" },
  "codeLimits.wrongGuesses": { text: "3", value: 3, wrongType: "3" },
  "codeLimits.windowSeconds": { text: "60", value: 60, wrongType: true },
  enableTestClock: { text: "1", value: true, wrongType: "true" },
  enableTestFederation: { text: "1", value: true, wrongType: 1 },
  enableMockIdp: { text: "1", value: true, wrongType: 1 },
  socialStandIn: { text: "/_lanyard/mock-idp", value: "/_lanyard/mock-idp", wrongType: 1 },
  "passwordHashing.profile": { text: "test", value: "test", wrongType: 1 },
  "passwordHashing.memory": { text: "32768", value: 32768, wrongType: "32768" },
  "passwordHashing.passes": { text: "3", value: 3, wrongType: "3" },
  "passwordHashing.parallelism": { text: "1", value: 1, wrongType: "1" },
  // The default is at most 4.
  "passwordHashing.concurrency": { text: "5", value: 5, wrongType: "5" },
  "passwordHashing.queue": { text: "9", value: 9, wrongType: "9" },
  // The file takes an object of ARN patterns (test/unit/config-triggers.test.ts).
  triggers: {
    text: '{"arn:*":{"url":"http://127.0.0.1:9/invoke"}}',
    value: [{ pattern: "arn:*", target: { url: "http://127.0.0.1:9/invoke" } }],
    wrongType: [],
  },
  "customSender.kmsEndpoint": { text: "http://127.0.0.1:4566", value: "http://127.0.0.1:4566", wrongType: 1 },
  "customSender.kmsRegion": { text: "eu-west-1", value: "eu-west-1", wrongType: 1 },
  "customSender.rawAesKey": {
    text: "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
    value: "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
    wrongType: 1,
  },
  "customSender.keyNamespace": { text: "app", value: "app", wrongType: 1 },
  "customSender.keyName": { text: "codes", value: "codes", wrongType: 1 },
  rateLimits: { text: "UserRead=5", value: "UserRead=5", wrongType: 5 },
};

/** A config file body with `value` at the option's key (nested for "group.field"). */
function atKey(key: string, value: unknown): Record<string, unknown> {
  const [group, field] = key.split(".");
  return field === undefined ? { [group!]: value } : { [group!]: { [field]: value } };
}

const quiet = (): void => {};

describe("the option table", () => {
  test("every option's environment variable sets it", () => {
    for (const [key, option] of OPTION_LIST) {
      if (option.env === undefined) continue;
      const sample = SAMPLES[key];
      assert.notDeepEqual(sample.value, option.default, `${key}: the sample is the default`);
      // A PostgreSQL storage cannot be combined with --memory; neither is given here.
      const config = loadConfig([], { [option.env]: sample.text, LANYARD_SMTP_HOST: "mail.example" });
      assert.deepEqual(optionValue(config, key), sample.value, `${option.env} sets ${key}`);
    }
  });

  test("every option's flag sets it, and wins over the environment", () => {
    for (const [key, option] of OPTION_LIST) {
      if (option.flag === undefined) continue;
      const sample = SAMPLES[key];
      const args = option.switch ? [option.flag] : [option.flag, sample.text];
      const env = { LANYARD_SMTP_HOST: "mail.example", ...(option.env ? { [option.env]: "" } : {}) };
      assert.deepEqual(optionValue(loadConfig(args, env), key), sample.value, `${option.flag} sets ${key}`);
      if (!option.switch) {
        const inline = loadConfig([`${option.flag}=${sample.text}`], env);
        assert.deepEqual(optionValue(inline, key), sample.value, `${option.flag}=... sets ${key}`);
      }
    }
    const overridden = loadConfig(["--port", "9331"], { LANYARD_PORT: "9330" });
    assert.equal(overridden.port, 9331);
  });

  test("every option's file key sets it, the environment wins over the file", () => {
    for (const [key, option] of OPTION_LIST) {
      if (option.file === false || key === "accessKeys" || key === "triggers") continue;
      const sample = SAMPLES[key];
      const file = configFile({
        ...atKey(key, sample.value),
        smtp: atKey(key, sample.value).smtp ?? { host: "m" },
      });
      assert.deepEqual(optionValue(loadConfig(["--config", file], {}), key), sample.value, `file key ${key}`);
    }
    const file = configFile({
      host: "127.0.0.3",
      accessKeys: [{ accessKeyId: "AKIAFILE", secretAccessKey: "s".repeat(40) }],
    });
    const config = loadConfig([], {
      LANYARD_CONFIG: file,
      LANYARD_HOST: "127.0.0.4",
      LANYARD_ACCESS_KEY_ID: "AKIAENV",
      LANYARD_SECRET_ACCESS_KEY: "e".repeat(40),
    });
    assert.equal(config.host, "127.0.0.4");
    assert.deepEqual(
      config.accessKeys.map((k) => k.accessKeyId),
      ["AKIAFILE", "AKIAENV"],
      "the environment's key is added to the file's",
    );
  });

  test("defaults come from the table", () => {
    const config: Config = loadConfig([], {});
    for (const [key, option] of OPTION_LIST) assert.deepEqual(optionValue(config, key), option.default, key);
    assert.equal(OPTIONS.dataDir.default, ".lanyard");
  });

  test("an unknown key stops with a message naming it, at the top and in a group", () => {
    const top = configFile({ hots: "127.0.0.1" });
    assert.throws(() => loadConfig(["--config", top], {}), new ConfigError(`${top}: unknown setting hots`));
    const nested = configFile({ codeLimits: { sendz: 3 } });
    assert.throws(
      () => loadConfig(["--config", nested], {}),
      new ConfigError(`${nested}: unknown setting codeLimits.sendz`),
    );
    const dotted = configFile({ "smtp.host": "mail.example" });
    assert.throws(
      () => loadConfig(["--config", dotted], {}),
      new ConfigError(`${dotted}: unknown setting smtp.host`),
    );
    const group = configFile({ passwordHashing: "test" });
    assert.throws(() => loadConfig(["--config", group], {}), /passwordHashing must be an object/);
    const envOnly = configFile({ keyEncryptionKey: "a".repeat(64) });
    assert.throws(
      () => loadConfig(["--config", envOnly], {}),
      /keyEncryptionKey cannot be set in the config file, only by LANYARD_KEY_ENCRYPTION_KEY/,
    );
    assert.throws(() => loadConfig(["--hots", "x"], {}), /unknown option --hots\nusage: lanyard/);
  });

  test("a value of the wrong type stops with a message naming the key", () => {
    for (const [key, option] of OPTION_LIST) {
      if (option.file === false) continue;
      const file = configFile(atKey(key, SAMPLES[key].wrongType));
      assert.throws(
        () => loadConfig(["--config", file], {}),
        (e: unknown) => e instanceof ConfigError && e.message.startsWith(`${file}: ${key}`),
        `${key}: ${JSON.stringify(SAMPLES[key].wrongType)}`,
      );
    }
  });

  test("the old file keys data and region still work, with a deprecation warning", () => {
    const file = configFile({ data: "/tmp/old-data", region: "eu-central-1" });
    const warnings: string[] = [];
    const config = loadConfig(["--config", file], {}, (w) => warnings.push(w));
    assert.equal(config.dataDir, "/tmp/old-data");
    assert.equal(config.defaultRegion, "eu-central-1");
    assert.deepEqual(warnings, [
      `${file}: the setting data is deprecated, call it dataDir`,
      `${file}: the setting region is deprecated, call it defaultRegion`,
    ]);
    const current = configFile({ dataDir: "/tmp/new-data", defaultRegion: "eu-north-1" });
    const none: string[] = [];
    const fresh = loadConfig(["--config", current], {}, (w) => none.push(w));
    assert.equal(fresh.dataDir, "/tmp/new-data");
    assert.equal(fresh.defaultRegion, "eu-north-1");
    assert.deepEqual(none, []);
    const both = configFile({ data: "/a", dataDir: "/b" });
    assert.throws(() => loadConfig(["--config", both], {}, quiet), /data and dataDir are the same setting/);
    const wrong = configFile({ region: 5 });
    assert.throws(() => loadConfig(["--config", wrong], {}, quiet), /defaultRegion must be a string/);
  });
});

describe("the server's command line", () => {
  const lanyard = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, ["src/main.ts", ...args], {
      encoding: "utf8",
      timeout: 15_000,
      env: { ...process.env, ...env },
    });

  test("lanyard --help prints every option and exits 0", () => {
    const r = lanyard(["--help"]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^usage: lanyard /);
    assert.match(r.stdout, /\[--help\] \[--version\]/);
    for (const [key, option] of OPTION_LIST) {
      if (option.flag) assert.ok(r.stdout.includes(option.flag), `--help shows ${option.flag}`);
      if (option.env) assert.ok(r.stdout.includes(option.env), `--help shows ${option.env}`);
      if (option.file !== false) assert.ok(r.stdout.includes(key), `--help shows ${key}`);
    }
    assert.ok(r.stdout.includes("LANYARD_ACCESS_KEY_ID + LANYARD_SECRET_ACCESS_KEY"));
  });

  test("a config file mistake stops the server at start, naming the key", () => {
    const unknown = configFile({ enableRest: true });
    const r = lanyard(["--memory", "--port", "0", "--config", unknown]);
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stderr, `lanyard: ${unknown}: unknown setting enableRest\n`);
    const wrongType = configFile({ smtp: { port: "25" } });
    const w = lanyard(["--memory", "--port", "0", "--config", wrongType]);
    assert.equal(w.status, 2, w.stderr);
    assert.equal(w.stderr, `lanyard: ${wrongType}: smtp.port must be a number\n`);
  });

  test("a server started with the old data key uses it and warns on stderr", async () => {
    const dir = join(work, "old-key-data");
    const file = configFile({ data: dir });
    const server = await startServer({ args: ["--storage", "sqlite", "--config", file] });
    try {
      assert.match(server.logs(), /lanyard: .*: the setting data is deprecated, call it dataDir/);
      assert.ok(existsSync(join(dir, "lanyard.db")), "the database is in the old key's directory");
    } finally {
      await server.stop();
    }
  });
});
