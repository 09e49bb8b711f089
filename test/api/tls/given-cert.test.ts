/**
 * A given certificate and key (`--tls-cert`, `--tls-key`, or LANYARD_TLS_CERT / LANYARD_TLS_KEY):
 * the server listens with HTTPS with exactly that certificate, the public URL (and so the issuer)
 * defaults to https://, and a key file others may read, a missing half or a key of another
 * certificate is refused at start (exit code 2). The certificates are made with the openssl CLI.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { chmodSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { CreateUserPoolCommand } from "@aws-sdk/client-cognito-identity-provider";
import { getJson, handshake, refusedStart, startTlsServer, type TlsServer } from "../../support/tls.ts";

const work = mkdtempSync(join(tmpdir(), "lanyard-given-tls-"));
after(() => rmSync(work, { recursive: true, force: true }));

/** A self-signed EC certificate for 127.0.0.1 and localhost, key 0600. */
function opensslPair(name: string): { cert: string; key: string } {
  const cert = join(work, `${name}.pem`);
  const key = join(work, `${name}-key.pem`);
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-keyout",
      key,
      "-out",
      cert,
      "-days",
      "2",
      "-subj",
      `/CN=${name}`,
      "-addext",
      "subjectAltName=IP:127.0.0.1,DNS:localhost",
    ],
    { stdio: "ignore" },
  );
  chmodSync(key, 0o600);
  return { cert, key };
}

describe("a given certificate and key", () => {
  let pair: { cert: string; key: string };
  let other: { cert: string; key: string };
  let server: TlsServer;

  before(async () => {
    pair = opensslPair("given");
    other = opensslPair("other");
    server = await startTlsServer(["--memory", "--tls-cert", pair.cert, "--tls-key", pair.key], {
      ca: readFileSync(pair.cert, "utf8"),
    });
  });
  after(() => server.stop());

  test("the server presents exactly the given certificate, and the SDK works over HTTPS", async () => {
    assert.match(server.url, /^https:/);
    const result = await handshake(server.port, server.ca);
    assert.equal(result.authorized, true, result.error);
    assert.equal(result.certificate!.fingerprint256, new X509Certificate(server.ca).fingerprint256);
    await server.client().send(new CreateUserPoolCommand({ PoolName: "given-cert" }));
    assert.match(server.stderr(), new RegExp(`HTTPS with the certificate ${pair.cert}`));
  });

  test("the public URL defaults to https://HOST:PORT, so the issuer is https", async () => {
    const { UserPool } = await server.client().send(new CreateUserPoolCommand({ PoolName: "issuer" }));
    const doc = (await getJson(
      `${server.url}/${UserPool!.Id}/.well-known/openid-configuration`,
      server.ca,
    )) as {
      issuer: string;
      jwks_uri: string;
    };
    assert.equal(doc.issuer, `${server.url}/${UserPool!.Id}`);
    assert.equal(doc.jwks_uri, `${server.url}/${UserPool!.Id}/.well-known/jwks.json`);
  });

  test("LANYARD_TLS_CERT and LANYARD_TLS_KEY do the same", async () => {
    const byEnv = await startTlsServer(["--memory"], {
      env: { LANYARD_TLS_CERT: other.cert, LANYARD_TLS_KEY: other.key },
      ca: readFileSync(other.cert, "utf8"),
    });
    try {
      const result = await handshake(byEnv.port, byEnv.ca, "localhost");
      assert.equal(result.authorized, true, result.error);
      assert.equal(result.certificate!.subject.CN, "other");
    } finally {
      await byEnv.stop();
    }
  });

  test("a key file the group or others can read is refused, exit code 2, with the chmod that fixes it", async () => {
    chmodSync(other.key, 0o640);
    try {
      const { code, stderr } = await refusedStart([
        "--memory",
        "--tls-cert",
        other.cert,
        "--tls-key",
        other.key,
      ]);
      assert.equal(code, 2);
      assert.ok(
        stderr.includes(`the TLS key file ${other.key} has mode 0640: the group or others can read it`),
        stderr,
      );
      assert.ok(stderr.includes(`Run: chmod 600 ${other.key}`));
    } finally {
      chmodSync(other.key, 0o600);
    }
  });

  test("refused at start: one half only, a key of another certificate, --tls with a given pair, a missing file", async () => {
    const cases: Array<[string[], RegExp]> = [
      [["--tls-cert", pair.cert], /tls\.cert and tls\.key \(--tls-cert, --tls-key\) must be given together/],
      [["--tls-key", pair.key], /must be given together/],
      [["--tls-cert", pair.cert, "--tls-key", other.key], /is not the private key of the certificate/],
      [["--tls", "--tls-cert", pair.cert, "--tls-key", pair.key], /cannot be combined with --tls-cert/],
      [["--tls-cert", join(work, "none.pem"), "--tls-key", pair.key], /cannot read the TLS certificate file/],
      [["--tls-cert", pair.key, "--tls-key", pair.key], /holds no PEM certificate/],
    ];
    for (const [args, message] of cases) {
      const { code, stderr } = await refusedStart(["--memory", ...args]);
      assert.equal(code, 2, args.join(" "));
      assert.match(stderr, message);
    }
  });
});
