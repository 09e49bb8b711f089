/**
 * The certificate and key of the HTTPS listener: a given pair (`tls.cert`, `tls.key`), or, with
 * `--tls`, a server certificate signed by a local certificate authority that Lanyard makes under
 * `<dataDir>/tls/` and reuses on later starts (a new server certificate when the old one expires
 * or the names it must cover change; a new CA only when it expires). Private keys are written
 * 0600 in a 0700 directory, whatever the umask; a key file, or a directory of the local CA, that
 * the group or others may read or write is refused at start, as the data directory is.
 * With `--memory` nothing is written but the CA's certificate (to a temporary directory, for
 * NODE_EXTRA_CA_CERTS): the keys stay in memory and a new CA is made at every start.
 */
import { createPrivateKey, generateKeyPairSync, type KeyObject, X509Certificate } from "node:crypto";
import {
  closeSync,
  existsSync,
  fchmodSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Config, isLoopback } from "../config/config.ts";
import { issueCertificate } from "../crypto/x509.ts";

/** A TLS setting or file that cannot be used; the message says why, and how to fix it. */
export class TlsError extends Error {}

export interface TlsMaterial {
  /** PEM: the certificate (and chain) and its private key. */
  cert: string;
  key: string;
  /** What to say at start: the names covered, the CA, how to trust it. */
  notices: string[];
  /** Removes the temporary files (`--memory`); a no-op otherwise. */
  dispose(): void;
}

const CHECKED = process.platform !== "win32";
const DAY_MS = 86_400_000;
/** The local CA lives ten years; a server certificate 825 days, the most Apple's platforms accept. */
const CA_DAYS = 3650;
const SERVER_DAYS = 825;
/** A certificate that expires within this is renewed at start. */
const RENEW_MS = 30 * DAY_MS;
const CA_NAME = { commonName: "Lanyard local CA", organization: "Lanyard (development only)" };

export const TLS_DIR = "tls";
const FILES = { caCert: "ca.pem", caKey: "ca-key.pem", cert: "server.pem", key: "server-key.pem" } as const;

/** The HTTPS material the configuration asks for, or undefined for plain HTTP. */
export function prepareTls(config: Config, now: Date): TlsMaterial | undefined {
  const { cert, key, generate } = config.tls;
  if ((cert === undefined) !== (key === undefined))
    throw new TlsError("tls.cert and tls.key (--tls-cert, --tls-key) must be given together");
  if (generate && cert !== undefined)
    throw new TlsError(
      "--tls makes its own certificate: it cannot be combined with --tls-cert and --tls-key",
    );
  if (cert !== undefined && key !== undefined) return givenPair(cert, key, now);
  if (generate) return localCa(config, now);
  return undefined;
}

// ---- A given certificate and key ----

function readGiven(path: string, what: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    throw new TlsError(`cannot read the TLS ${what} ${path}: ${(e as Error).message}`);
  }
}

function givenPair(certPath: string, keyPath: string, now: Date): TlsMaterial {
  const key = readGiven(keyPath, "key file");
  refuseOpen(keyPath, "key file", "600");
  const cert = readGiven(certPath, "certificate file");
  let certificate: X509Certificate;
  let privateKey: KeyObject;
  try {
    certificate = new X509Certificate(cert);
  } catch (e) {
    throw new TlsError(
      `the TLS certificate file ${certPath} holds no PEM certificate: ${(e as Error).message}`,
    );
  }
  try {
    privateKey = createPrivateKey(key);
  } catch (e) {
    throw new TlsError(`the TLS key file ${keyPath} holds no PEM private key: ${(e as Error).message}`);
  }
  if (!certificate.checkPrivateKey(privateKey))
    throw new TlsError(`the TLS key file ${keyPath} is not the private key of the certificate ${certPath}`);
  const notices = [
    `HTTPS with the certificate ${certPath} (${certificate.subjectAltName ?? certificate.subject})`,
  ];
  if (certificate.validToDate.getTime() <= now.getTime())
    notices.push(
      `WARNING: the TLS certificate ${certPath} expired on ${certificate.validToDate.toISOString()}`,
    );
  return { cert, key, notices, dispose() {} };
}

/** Refuses a file or directory that the group or others may read or write (as the data directory). */
function refuseOpen(path: string, kind: string, wanted: string): void {
  if (!CHECKED) return;
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o066) === 0) return;
  throw new TlsError(
    `the TLS ${kind} ${path} has mode ${mode.toString(8).padStart(4, "0")}: the group or others can ` +
      `${mode & 0o044 ? "read" : "write"} it, and it holds a private key. Run: chmod ${wanted} ${path}`,
  );
}

// ---- The local certificate authority of --tls ----

/**
 * The names the server certificate covers: localhost and its one-label subdomains, the managed
 * login domains of the default region (`<prefix>.auth.<region>.localhost`: a wildcard covers one
 * label only), the loopback addresses, and the public URL's host and the listen address when they
 * are others; with the `aws` issuer also Cognito's own endpoint of the region, for a hosts entry.
 */
export function serverNames(config: Config): string[] {
  const names = ["localhost", "*.localhost", `*.auth.${config.defaultRegion}.localhost`];
  if (config.issuer === "aws") names.push(`cognito-idp.${config.defaultRegion}.amazonaws.com`);
  names.push("127.0.0.1", "::1");
  const add = (name: string) => {
    const n = name.toLowerCase().replace(/^\[|\]$/g, "");
    if (n !== "" && !names.includes(n)) names.push(n);
  };
  if (config.publicUrl && URL.canParse(config.publicUrl)) add(new URL(config.publicUrl).hostname);
  if (!["0.0.0.0", "::", "[::]"].includes(config.host) && !isLoopback(config.host)) add(config.host);
  return names;
}

interface Pair {
  certificate: X509Certificate;
  privateKey: KeyObject;
}

function newKey(): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync("ec", { namedCurve: "P-256" });
}

function makeCa(now: Date): Pair {
  const { privateKey, publicKey } = newKey();
  const der = issueCertificate({
    ...CA_NAME,
    publicKey,
    signingKey: privateKey,
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: new Date(now.getTime() + CA_DAYS * DAY_MS),
    ca: true,
  });
  return { certificate: new X509Certificate(der), privateKey };
}

function makeServer(ca: Pair, names: readonly string[], now: Date): Pair {
  const { privateKey, publicKey } = newKey();
  const der = issueCertificate({
    commonName: names[0]!,
    organization: CA_NAME.organization,
    publicKey,
    signingKey: ca.privateKey,
    issuer: { ...CA_NAME, publicKey: ca.certificate.publicKey },
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: new Date(now.getTime() + SERVER_DAYS * DAY_MS),
    ca: false,
    names,
  });
  return { certificate: new X509Certificate(der), privateKey };
}

/** "IP Address:0:0:0:0:0:0:0:1" (as Node shows subjectAltName) and "::1" alike. */
function sameName(shown: string, wanted: string): boolean {
  if (!wanted.includes(":")) return shown.toLowerCase() === wanted;
  const words = (ip: string) => {
    const [head = "", tail] = ip.split("::");
    const left = head ? head.split(":") : [];
    const right = tail ? tail.split(":") : [];
    const middle = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill("0");
    return [...left, ...middle, ...right].map((w) => parseInt(w, 16)).join(":");
  };
  return words(shown) === words(wanted);
}

/** The certificate's subjectAltName is exactly `names`. */
function coversExactly(certificate: X509Certificate, names: readonly string[]): boolean {
  const shown = (certificate.subjectAltName ?? "").split(", ").filter((s) => s !== "");
  if (shown.length !== names.length) return false;
  return shown.every((entry, i) => {
    const value = entry.replace(/^(DNS|IP Address):/, "");
    return sameName(value, names[i]!);
  });
}

function usable(pair: Pair | undefined, now: Date): pair is Pair {
  return (
    pair !== undefined &&
    pair.certificate.validFromDate.getTime() <= now.getTime() &&
    pair.certificate.validToDate.getTime() - RENEW_MS > now.getTime() &&
    pair.certificate.checkPrivateKey(pair.privateKey)
  );
}

/** The pair in two files, when both are there and parse; undefined otherwise. */
function readPair(dir: string, certFile: string, keyFile: string): Pair | undefined {
  const certPath = join(dir, certFile);
  const keyPath = join(dir, keyFile);
  if (!existsSync(certPath) || !existsSync(keyPath)) return undefined;
  refuseOpen(keyPath, "key file", "600");
  try {
    return {
      certificate: new X509Certificate(readFileSync(certPath)),
      privateKey: createPrivateKey(readFileSync(keyPath)),
    };
  } catch {
    return undefined;
  }
}

/** Writes a file 0600 whatever the umask, through a temporary name (a crash leaves the old one). */
function writePrivate(path: string, content: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  const fd = openSync(temporary, "w", 0o600);
  try {
    if (CHECKED) fchmodSync(fd, 0o600);
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
}

function keyPem(key: KeyObject): string {
  return key.export({ type: "pkcs8", format: "pem" }).toString();
}

function trustNotices(caPath: string): string[] {
  return [
    "trust the local CA to connect without certificate errors:",
    `  Node.js clients: NODE_EXTRA_CA_CERTS=${caPath}`,
    `  Debian, Ubuntu:  sudo cp ${caPath} /usr/local/share/ca-certificates/lanyard-local-ca.crt && sudo update-ca-certificates`,
    `  macOS:           sudo security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain ${caPath}`,
  ];
}

function localCa(config: Config, now: Date): TlsMaterial {
  const names = serverNames(config);
  const covered = `HTTPS certificate for ${names.join(", ")}`;
  if (config.memory) {
    const ca = makeCa(now);
    const server = makeServer(ca, names, now);
    const dir = mkdtempSync(join(tmpdir(), "lanyard-tls-"));
    const caPath = join(dir, FILES.caCert);
    writePrivate(caPath, ca.certificate.toString());
    return {
      cert: server.certificate.toString(),
      key: keyPem(server.privateKey),
      notices: [
        `${covered}, signed by a local CA made for this run (--memory: its keys stay in memory, a new CA at every start; its certificate is ${caPath} until the server stops)`,
        ...trustNotices(caPath),
      ],
      dispose: () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const dir = join(config.dataDir, TLS_DIR);
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new TlsError(`${dir} is not a directory`);
  } else mkdirSync(dir, { recursive: true, mode: 0o700 });
  refuseOpen(dir, "directory", "700");
  const said: string[] = [];
  let ca = readPair(dir, FILES.caCert, FILES.caKey);
  if (!usable(ca, now) || !ca.certificate.ca) {
    said.push(
      ca ? "the local CA expired or expires soon: made a new one, trust it again" : "made a local CA",
    );
    ca = makeCa(now);
    writePrivate(join(dir, FILES.caKey), keyPem(ca.privateKey));
    writePrivate(join(dir, FILES.caCert), ca.certificate.toString());
  }
  let server = readPair(dir, FILES.cert, FILES.key);
  if (
    !usable(server, now) ||
    !server.certificate.checkIssued(ca.certificate) ||
    !server.certificate.verify(ca.certificate.publicKey) ||
    !coversExactly(server.certificate, names)
  ) {
    server = makeServer(ca, names, now);
    writePrivate(join(dir, FILES.key), keyPem(server.privateKey));
    writePrivate(join(dir, FILES.cert), server.certificate.toString());
    said.push("made a server certificate");
  }
  const caPath = join(dir, FILES.caCert);
  return {
    cert: server.certificate.toString(),
    key: keyPem(server.privateKey),
    notices: [
      `${covered} (valid to ${server.certificate.validToDate.toISOString().slice(0, 10)}), signed by the local CA ${caPath}` +
        (said.length > 0 ? ` (${said.join(", ")})` : " (reused)"),
      ...trustNotices(caPath),
    ],
    dispose() {},
  };
}
