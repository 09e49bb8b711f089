/** The Argon2id fallback (hash-wasm, for Node 22) derives the same bytes as node:crypto's. */
import assert from "node:assert/strict";
import { argon2Sync } from "node:crypto";
import { test } from "node:test";
import { deriveWasm } from "../../src/crypto/password-hash.ts";

test("hash-wasm's Argon2id matches node:crypto's for the same inputs", async () => {
  const salt = Buffer.from("0123456789abcdef");
  for (const p of [
    { memory: 8, passes: 1, parallelism: 1 },
    { memory: 64, passes: 2, parallelism: 2 },
  ]) {
    const expected = argon2Sync("argon2id", {
      message: Buffer.from("pässword".normalize("NFC"), "utf8"),
      nonce: salt,
      parallelism: p.parallelism,
      tagLength: 32,
      memory: p.memory,
      passes: p.passes,
    });
    assert.deepEqual(await deriveWasm("pässword", salt, p), expected);
  }
});
