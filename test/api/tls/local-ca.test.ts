/**
 * `--tls`: a local CA and a server certificate signed by it under `<dataDir>/tls/`, files 0600 in a
 * 0700 directory, reused on later starts, renewed when expired or when the names change; the AWS
 * SDK v3 talks to the server over HTTPS trusting the CA, and the printed trust instructions work.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createPrivateKey, createPublicKey, X509Certificate } from "node:crypto";
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { Agent } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  CognitoIdentityProviderClient,
  CreateUserPoolCommand,
  ListUserPoolsCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { issueCertificate } from "../../../src/crypto/x509.ts";
import { root } from "../../support/process.ts";
import { handshake, refusedStart, startTlsServer, type TlsServer } from "../../support/tls.ts";

// The modes below must not depend on the umask the tests run under.
process.umask(0o022);
const work = mkdtempSync(join(tmpdir(), "lanyard-tls-"));
after(() => rmSync(work, { recursive: true, force: true }));
const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

describe("--tls: the local CA", () => {
  const data = join(work, "data");
  const tls = join(data, "tls");
  let server: TlsServer;

  before(async () => {
    server = await startTlsServer(["--tls", "--data", data]);
  });
  after(() => server.stop());

  test("listens with HTTPS; the AWS SDK v3 trusting the CA through an https agent works", async () => {
    assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const client = server.client();
    const { UserPool } = await client.send(new CreateUserPoolCommand({ PoolName: "over-tls" }));
    const { UserPools } = await client.send(new ListUserPoolsCommand({ MaxResults: 10 }));
    assert.ok(UserPools!.some((p) => p.Id === UserPool!.Id));
  });

  test("a client that does not trust the CA is refused by its own TLS check", async () => {
    const client = new CognitoIdentityProviderClient({
      endpoint: server.url,
      region: "us-east-1",
      credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "test-secret" },
      maxAttempts: 1,
      requestHandler: { httpsAgent: new Agent() },
    });
    await assert.rejects(client.send(new ListUserPoolsCommand({ MaxResults: 1 })), (e: Error) => {
      assert.match(`${e.message} ${String((e as { code?: string }).code)}`, /certificate|CERT/i);
      return true;
    });
    client.destroy();
  });

  test("the chain verifies for localhost, 127.0.0.1 and a managed login domain of the region", async () => {
    for (const name of [undefined, "localhost", "mydomain.auth.us-east-1.localhost"]) {
      const result = await handshake(server.port, server.ca, name);
      assert.equal(result.authorized, true, `${name ?? "127.0.0.1"}: ${result.error}`);
    }
    const refused = await handshake(server.port, server.ca, "example.com");
    assert.equal(refused.error, "ERR_TLS_CERT_ALTNAME_INVALID");
    const other = await handshake(server.port, server.ca, "mydomain.auth.eu-west-1.localhost");
    assert.equal(other.error, "ERR_TLS_CERT_ALTNAME_INVALID", "another region is not covered");
  });

  test("the certificate names localhost, *.localhost, *.auth.<region>.localhost, 127.0.0.1 and ::1", () => {
    const cert = new X509Certificate(readFileSync(join(tls, "server.pem")));
    const ca = new X509Certificate(readFileSync(join(tls, "ca.pem")));
    assert.equal(
      cert.subjectAltName,
      "DNS:localhost, DNS:*.localhost, DNS:*.auth.us-east-1.localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1",
    );
    assert.equal(cert.checkIP("::1"), "::1");
    assert.equal(ca.ca, true);
    assert.equal(cert.ca, false);
    assert.ok(cert.checkIssued(ca) && cert.verify(ca.publicKey));
    assert.equal(cert.keyUsage?.includes("1.3.6.1.5.5.7.3.1"), true, "extendedKeyUsage serverAuth");
  });

  test("the directory is 0700 and every file 0600 (umask 022)", () => {
    assert.equal(mode(tls), "700");
    for (const file of ["ca.pem", "ca-key.pem", "server.pem", "server-key.pem"])
      assert.equal(mode(join(tls, file)), "600", file);
  });

  test("the start-up message says how to trust the CA", () => {
    const logs = server.stderr();
    const ca = join(tls, "ca.pem");
    assert.equal(server.caPath, ca);
    assert.match(
      logs,
      /HTTPS certificate for localhost, \*\.localhost, \*\.auth\.us-east-1\.localhost, 127\.0\.0\.1, ::1/,
    );
    assert.ok(logs.includes(`NODE_EXTRA_CA_CERTS=${ca}`));
    assert.ok(
      logs.includes(
        `sudo cp ${ca} /usr/local/share/ca-certificates/lanyard-local-ca.crt && sudo update-ca-certificates`,
      ),
    );
    assert.ok(
      logs.includes(
        `sudo security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain ${ca}`,
      ),
    );
  });

  test("NODE_EXTRA_CA_CERTS as printed lets a Node process's AWS SDK connect; without it, it fails", async () => {
    const script = `
      import { CognitoIdentityProviderClient, ListUserPoolsCommand } from "@aws-sdk/client-cognito-identity-provider";
      const client = new CognitoIdentityProviderClient({
        endpoint: process.env.URL, region: "us-east-1", maxAttempts: 1,
        credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "test-secret" },
      });
      const { UserPools } = await client.send(new ListUserPoolsCommand({ MaxResults: 10 }));
      console.log(UserPools.map((p) => p.Name).join(","));`;
    const run = (env: Record<string, string>) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        const { NODE_EXTRA_CA_CERTS: _, ...rest } = process.env;
        execFile(
          process.execPath,
          ["--input-type=module", "-e", script],
          { cwd: root, env: { ...rest, URL: server.url, ...env } },
          (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
        );
      });
    const trusted = await run({ NODE_EXTRA_CA_CERTS: server.caPath! });
    assert.equal(trusted.code, 0);
    assert.match(trusted.stdout, /over-tls/);
    const untrusted = await run({});
    assert.notEqual(untrusted.code, 0);
    assert.match(untrusted.stderr, /certificate/i);
  });
});

describe("--tls: later starts", () => {
  const data = join(work, "again");
  const tls = join(data, "tls");
  const read = (file: string) => readFileSync(join(tls, file), "utf8");

  test("a second start reuses the CA and the server certificate", async () => {
    const first = await startTlsServer(["--tls", "--data", data]);
    await first.stop();
    const files = ["ca.pem", "ca-key.pem", "server.pem", "server-key.pem"].map(read);
    const second = await startTlsServer(["--tls", "--data", data]);
    try {
      assert.deepEqual(["ca.pem", "ca-key.pem", "server.pem", "server-key.pem"].map(read), files);
      assert.match(second.stderr(), /signed by the local CA \S+ \(reused\)/);
      assert.equal((await handshake(second.port, first.ca, "localhost")).authorized, true);
    } finally {
      await second.stop();
    }
  });

  test("other names (another region) get a new server certificate from the same CA", async () => {
    const ca = read("ca.pem");
    const server = await startTlsServer(["--tls", "--data", data], { env: { LANYARD_REGION: "eu-west-1" } });
    try {
      assert.equal(read("ca.pem"), ca);
      assert.match(server.stderr(), /\*\.auth\.eu-west-1\.localhost/);
      assert.match(server.stderr(), /made a server certificate/);
      assert.equal((await handshake(server.port, ca, "mine.auth.eu-west-1.localhost")).authorized, true);
    } finally {
      await server.stop();
    }
  });

  test("an expired server certificate is replaced; the CA is kept", async () => {
    const ca = new X509Certificate(read("ca.pem"));
    const caKey = createPrivateKey(read("ca-key.pem"));
    const serverKey = createPrivateKey(read("server-key.pem"));
    const expired = issueCertificate({
      commonName: "localhost",
      publicKey: createPublicKey(serverKey),
      signingKey: caKey,
      issuer: {
        commonName: "Lanyard local CA",
        organization: "Lanyard (development only)",
        publicKey: ca.publicKey,
      },
      notBefore: new Date(Date.now() - 900 * 86_400_000),
      notAfter: new Date(Date.now() - 86_400_000),
      ca: false,
      names: ["localhost", "*.localhost", "*.auth.us-east-1.localhost", "127.0.0.1", "::1"],
    });
    writeFileSync(join(tls, "server.pem"), new X509Certificate(expired).toString(), { mode: 0o600 });
    const server = await startTlsServer(["--tls", "--data", data]);
    try {
      const renewed = new X509Certificate(read("server.pem"));
      assert.ok(renewed.validToDate.getTime() > Date.now() + 800 * 86_400_000);
      assert.equal(read("ca.pem"), ca.toString());
      assert.equal((await handshake(server.port, ca.toString(), "localhost")).authorized, true);
    } finally {
      await server.stop();
    }
  });

  test("an expired CA is replaced, with a new server certificate, and the message says to trust it again", async () => {
    const caKey = createPrivateKey(read("ca-key.pem"));
    const expired = issueCertificate({
      commonName: "Lanyard local CA",
      publicKey: createPublicKey(caKey),
      signingKey: caKey,
      notBefore: new Date(Date.now() - 3 * 86_400_000),
      notAfter: new Date(Date.now() - 86_400_000),
      ca: true,
    });
    writeFileSync(join(tls, "ca.pem"), new X509Certificate(expired).toString(), { mode: 0o600 });
    const server = await startTlsServer(["--tls", "--data", data]);
    try {
      assert.match(server.stderr(), /made a new one, trust it again/);
      const ca = new X509Certificate(read("ca.pem"));
      assert.ok(ca.validToDate.getTime() > Date.now());
      assert.ok(new X509Certificate(read("server.pem")).checkIssued(ca));
      assert.equal((await handshake(server.port, ca.toString())).authorized, true);
    } finally {
      await server.stop();
    }
  });

  test("a tls directory or key file others can read is refused at start, exit code 2", async () => {
    chmodSync(tls, 0o755);
    try {
      const { code, stderr } = await refusedStart(["--tls", "--data", data]);
      assert.equal(code, 2);
      assert.match(stderr, new RegExp(`the TLS directory ${tls} has mode 0755: .*Run: chmod 700 ${tls}`));
    } finally {
      chmodSync(tls, 0o700);
    }
    const key = join(tls, "ca-key.pem");
    chmodSync(key, 0o644);
    try {
      const { code, stderr } = await refusedStart(["--tls", "--data", data]);
      assert.equal(code, 2);
      assert.match(
        stderr,
        new RegExp(`the TLS key file ${key} has mode 0644: the group or others can read it`),
      );
    } finally {
      chmodSync(key, 0o600);
    }
  });
});

describe("--tls --memory", () => {
  test("keeps the keys in memory: only the CA certificate, in a temporary directory removed at exit", async () => {
    const data = join(work, "unused");
    const first = await startTlsServer(["--tls", "--memory", "--data", data]);
    const caPath = first.caPath!;
    try {
      assert.match(first.stderr(), /--memory: its keys stay in memory, a new CA at every start/);
      assert.ok(caPath.startsWith(tmpdir()));
      assert.equal(mode(caPath), "600");
      assert.throws(() => statSync(data), /ENOENT/, "nothing in the data directory");
      const { UserPools } = await first.client().send(new ListUserPoolsCommand({ MaxResults: 1 }));
      assert.deepEqual(UserPools, []);
    } finally {
      await first.stop();
    }
    assert.throws(() => statSync(caPath), /ENOENT/, "the CA certificate is removed when the server stops");
    const second = await startTlsServer(["--tls", "--memory"]);
    try {
      assert.notEqual(second.ca, first.ca, "a new CA at every start");
    } finally {
      await second.stop();
    }
  });
});
