/**
 * verifyTokenSignature remembers the tokens it verified, and nothing else: another token (even one
 * carrying a remembered token's signature) and another key are verified afresh.
 */
import assert from "node:assert/strict";
import { generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { test } from "node:test";
import { decodeJwt, verifyTokenSignature } from "../../src/crypto/jwt.ts";

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");

function token(claims: Record<string, unknown>, privateKey: KeyObject): string {
  const input = `${b64({ alg: "RS256", kid: "k" })}.${b64(claims)}`;
  return `${input}.${sign("sha256", Buffer.from(input), privateKey).toString("base64url")}`;
}

test("a verified token is remembered; a forged or differently keyed one is not", () => {
  const a = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const b = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const good = token({ sub: "ann" }, a.privateKey);
  assert.equal(verifyTokenSignature(good, decodeJwt(good)!, a.publicKey), true);
  assert.equal(verifyTokenSignature(good, decodeJwt(good)!, a.publicKey), true, "remembered");
  // The remembered token's signature on other claims.
  const [, , signature] = good.split(".");
  const forged = `${b64({ alg: "RS256", kid: "k" })}.${b64({ sub: "bob" })}.${signature}`;
  assert.equal(verifyTokenSignature(forged, decodeJwt(forged)!, a.publicKey), false);
  // The same token against another key is checked against that key.
  assert.equal(verifyTokenSignature(good, decodeJwt(good)!, b.publicKey), false);
  // A refused token is not remembered.
  assert.equal(verifyTokenSignature(forged, decodeJwt(forged)!, a.publicKey), false);
});
