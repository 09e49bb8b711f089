/** Which page origins may use a relying party's passkeys (src/domain/passkeys/config.ts). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { originAllowed } from "../../src/domain/passkeys/config.ts";

test("https on the RP ID or its subdomains, any port; http only on localhost", () => {
  const allowed: [string, string][] = [
    ["https://example.com", "example.com"],
    ["https://login.example.com", "example.com"],
    ["https://a.b.example.com:8443", "example.com"],
    ["https://Example.com", "example.com"],
    ["http://localhost:3000", "localhost"],
    ["http://app.localhost:3000", "localhost"],
    ["http://passkeys.localhost:4711", "passkeys.localhost"],
  ];
  for (const [origin, rpId] of allowed) assert.equal(originAllowed(origin.toLowerCase(), rpId), true, origin);
  const refused: [string, string][] = [
    ["http://example.com", "example.com"],
    ["https://example.com.evil.test", "example.com"],
    ["https://notexample.com", "example.com"],
    ["https://example.com", "login.example.com"],
    ["http://127.0.0.1:3000", "localhost"],
    ["https://example.com/path", "example.com"],
    ["null", "example.com"],
    ["android:apk-key-hash:abc", "example.com"],
  ];
  for (const [origin, rpId] of refused) assert.equal(originAllowed(origin, rpId), false, origin);
});
