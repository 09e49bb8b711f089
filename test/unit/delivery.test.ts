import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { ConfigError, loadConfig } from "../../src/config/config.ts";
import { generateCode, hashCode } from "../../src/domain/messaging/codes.ts";
import { maskEmail, maskPhone } from "../../src/domain/messaging/destinations.ts";

describe("delivery settings", () => {
  test("console by default; inbox and SMTP from flags, environment or the config file", () => {
    assert.equal(loadConfig([], {}).delivery, "console");
    assert.equal(loadConfig(["--delivery", "inbox"], {}).delivery, "inbox");
    const fromEnv = loadConfig([], {
      LANYARD_DELIVERY: "smtp",
      LANYARD_SMTP_HOST: "mail.internal",
      LANYARD_SMTP_PORT: "2525",
      LANYARD_SMTP_SECURE: "1",
      LANYARD_SMTP_USER: "u",
      LANYARD_SMTP_PASS: "p",
      LANYARD_SMTP_FROM: "auth@example.com",
    });
    assert.equal(fromEnv.delivery, "smtp");
    assert.deepEqual(fromEnv.smtp, {
      host: "mail.internal",
      port: 2525,
      secure: true,
      user: "u",
      pass: "p",
      from: "auth@example.com",
    });

    const file = join(mkdtempSync(join(tmpdir(), "lanyard-config-")), "config.json");
    writeFileSync(
      file,
      JSON.stringify({ delivery: "smtp", smtp: { host: "smtp.example.com", port: 465, secure: true } }),
    );
    const fromFile = loadConfig(["--config", file], { LANYARD_SMTP_FROM: "x@example.com" });
    assert.equal(fromFile.smtp.host, "smtp.example.com");
    assert.equal(fromFile.smtp.port, 465);
    assert.equal(fromFile.smtp.from, "x@example.com");
    // The defaults are not shared between loads.
    assert.equal(loadConfig([], {}).smtp.host, undefined);
  });

  test("bad delivery settings are refused", () => {
    assert.throws(() => loadConfig(["--delivery", "pigeon"], {}), ConfigError);
    assert.throws(() => loadConfig(["--delivery", "smtp"], {}), /needs an SMTP host/);
    assert.throws(() => loadConfig([], { LANYARD_SMTP_PORT: "70000" }), ConfigError);
    const file = join(mkdtempSync(join(tmpdir(), "lanyard-config-")), "config.json");
    writeFileSync(file, JSON.stringify({ smtp: { hots: "typo" } }));
    assert.throws(() => loadConfig(["--config", file], {}), /unknown setting smtp\.hots/);
  });

  test("the test clock is off unless enabled", () => {
    assert.equal(loadConfig([], {}).enableTestClock, false);
    assert.equal(loadConfig(["--enable-test-clock"], {}).enableTestClock, true);
    assert.equal(loadConfig([], { LANYARD_ENABLE_TEST_CLOCK: "1" }).enableTestClock, true);
  });
});

describe("codes and destinations", () => {
  test("codes are six digits, stored as a keyed hash bound to pool, user and purpose", () => {
    for (let i = 0; i < 50; i++) assert.match(generateCode(), /^\d{6}$/);
    const secret = Buffer.alloc(32, 7);
    const h = hashCode(secret, "us-east-1_a", "sub-1", "signup", "123456");
    assert.ok(!h.includes("123456"));
    assert.equal(h, hashCode(secret, "us-east-1_a", "sub-1", "signup", "123456"));
    assert.notEqual(h, hashCode(secret, "us-east-1_a", "sub-1", "forgot_password", "123456"));
    assert.notEqual(h, hashCode(secret, "us-east-1_a", "sub-2", "signup", "123456"));
    assert.notEqual(h, hashCode(Buffer.alloc(32, 8), "us-east-1_a", "sub-1", "signup", "123456"));
  });

  test("destinations are masked as Cognito masks them", () => {
    assert.equal(maskEmail("alice@example.com"), "a***@e***");
    assert.equal(maskEmail("Zoë@ünicode.example"), "Z***@ü***");
    assert.equal(maskPhone("+12065551234"), "+*******1234");
    assert.equal(maskPhone("+447700900123"), "+********0123");
  });
});
