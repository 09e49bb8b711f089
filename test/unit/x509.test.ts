/**
 * The certificates src/crypto/x509.ts encodes, read back by Node's X509Certificate (and the openssl
 * CLI): a CA and a server certificate signed by it, with their extensions, IPv6 and IPv4-mapped
 * addresses in the subjectAltName, GeneralizedTime from 2050, RSA as well as P-256 signers, and a
 * self-signed certificate whose serial starts with a zero byte.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash, generateKeyPairSync, type KeyObject, X509Certificate } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { issueCertificate, selfSignedCertificate } from "../../src/crypto/x509.ts";

const NOW = new Date("2026-01-01T00:00:00Z");
const CA = { commonName: "Test CA", organization: "Tests" };

function pair(kind: "ec" | "rsa"): { privateKey: KeyObject; publicKey: KeyObject } {
  return kind === "ec"
    ? generateKeyPairSync("ec", { namedCurve: "P-256" })
    : generateKeyPairSync("rsa", { modulusLength: 2048 });
}

function chain(kind: "ec" | "rsa", names: string[], notAfter = new Date("2028-01-01T00:00:00Z")) {
  const ca = pair(kind);
  const caCert = new X509Certificate(
    issueCertificate({
      ...CA,
      publicKey: ca.publicKey,
      signingKey: ca.privateKey,
      notBefore: NOW,
      notAfter,
      ca: true,
    }),
  );
  const leaf = pair("ec");
  const leafCert = new X509Certificate(
    issueCertificate({
      commonName: "server",
      publicKey: leaf.publicKey,
      signingKey: ca.privateKey,
      issuer: { ...CA, publicKey: ca.publicKey },
      notBefore: NOW,
      notAfter,
      ca: false,
      names,
    }),
  );
  return { caCert, leafCert };
}

describe("issueCertificate", () => {
  for (const kind of ["ec", "rsa"] as const)
    test(`a ${kind} CA signs a server certificate that verifies against it`, () => {
      const { caCert, leafCert } = chain(kind, ["localhost", "127.0.0.1"]);
      assert.equal(caCert.ca, true);
      assert.equal(leafCert.ca, false);
      assert.equal(caCert.subject, "O=Tests\nCN=Test CA");
      assert.equal(leafCert.issuer, caCert.subject);
      assert.ok(caCert.verify(caCert.publicKey), "the CA is self-signed");
      assert.ok(leafCert.checkIssued(caCert) && leafCert.verify(caCert.publicKey));
      assert.deepEqual(leafCert.keyUsage, ["1.3.6.1.5.5.7.3.1"]);
      assert.equal(leafCert.validFromDate.toISOString(), NOW.toISOString());
    });

  test("names and addresses in the subjectAltName, IPv6 compressed or IPv4-mapped", () => {
    const { leafCert } = chain("ec", [
      "a.test",
      "*.b.test",
      "10.1.2.3",
      "::1",
      "fe80::1:2",
      "::ffff:1.2.3.4",
      "2001:db8::",
    ]);
    assert.equal(
      leafCert.subjectAltName,
      "DNS:a.test, DNS:*.b.test, IP Address:10.1.2.3, IP Address:0:0:0:0:0:0:0:1, IP Address:FE80:0:0:0:0:0:1:2, IP Address:0:0:0:0:0:FFFF:102:304, IP Address:2001:DB8:0:0:0:0:0:0",
    );
    assert.equal(leafCert.checkHost("x.b.test"), "*.b.test");
    assert.equal(leafCert.checkHost("x.y.b.test"), undefined, "a wildcard covers one label");
    assert.equal(leafCert.checkIP("fe80::1:2"), "fe80::1:2");
  });

  test("dates from 2050 are GeneralizedTime", () => {
    const { leafCert } = chain("ec", ["localhost"], new Date("2051-06-01T12:00:00Z"));
    assert.equal(leafCert.validToDate.toISOString(), "2051-06-01T12:00:00.000Z");
  });

  test("openssl verifies the chain and reads the extensions", () => {
    const { caCert, leafCert } = chain("ec", ["localhost", "::1"], new Date(Date.now() + 86_400_000));
    const dir = mkdtempSync(join(tmpdir(), "lanyard-x509-"));
    try {
      writeFileSync(join(dir, "ca.pem"), caCert.toString());
      writeFileSync(join(dir, "leaf.pem"), leafCert.toString());
      const verified = execFileSync("openssl", [
        "verify",
        "-CAfile",
        join(dir, "ca.pem"),
        join(dir, "leaf.pem"),
      ]);
      assert.match(verified.toString(), /leaf\.pem: OK/);
      const text = execFileSync("openssl", [
        "x509",
        "-in",
        join(dir, "ca.pem"),
        "-noout",
        "-text",
      ]).toString();
      assert.match(text, /Basic Constraints: critical\s+CA:TRUE, pathlen:0/);
      assert.match(text, /Key Usage: critical\s+Certificate Sign, CRL Sign/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

test("selfSignedCertificate (GetSigningCertificate) still makes a ten-year RSA certificate", () => {
  const { privateKey, publicKey } = pair("rsa");
  const cert = new X509Certificate(
    Buffer.from(selfSignedCertificate(privateKey, publicKey, "us-east-1_x", NOW), "base64"),
  );
  assert.equal(cert.subject, "CN=us-east-1_x");
  assert.ok(cert.verify(publicKey));
  assert.equal(cert.validToDate.getUTCFullYear(), 2035);
});

describe("the self-signed certificate's serial", () => {
  test("a serial whose first byte is zero is encoded minimally and the certificate reads back", () => {
    // The serial is the first 16 bytes of SHA-256 over the public key: find keys whose digest
    // starts with 0x00, then 0x00 0x00 (about 1 in 256 P-256 keys, then 1 in 65,536: only the first
    // is looked for to the end).
    let found: { privateKey: KeyObject; publicKey: KeyObject } | undefined;
    for (let i = 0; i < 20_000 && !found; i++) {
      const keys = pair("ec");
      const digest = createHash("sha256")
        .update(keys.publicKey.export({ type: "spki", format: "der" }))
        .digest();
      if (digest[0] === 0 && digest[1]! < 0x80) found = keys;
    }
    assert.ok(found, "no key with a leading zero byte in its digest");
    const cert = new X509Certificate(
      Buffer.from(selfSignedCertificate(found.privateKey, found.publicKey, "zero-serial", NOW), "base64"),
    );
    assert.equal(cert.subject, "CN=zero-serial");
    assert.doesNotMatch(cert.serialNumber, /^00/);
    assert.ok(cert.verify(found.publicKey));
  });
});
