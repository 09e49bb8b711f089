/**
 * Lanyard over HTTPS for the TLS tests: a server started with `--tls` (or a given certificate),
 * AWS SDK v3 clients that trust its CA through an https agent, TLS handshakes checked against a
 * CA, and a failing start's exit code and message. The servers keep their data where the test
 * says (`--memory` or `--data DIR`): `--tls` keeps its files in the data directory, so these
 * servers always run on SQLite.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { Agent, get } from "node:https";
import { connect, type PeerCertificate } from "node:tls";
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { root, spawnLanyard, type LanyardProcess } from "./process.ts";

export interface TlsServer extends LanyardProcess {
  /** The CA path the server printed after NODE_EXTRA_CA_CERTS= (with --tls). */
  caPath: string | undefined;
  /** The PEM the clients trust. */
  ca: string;
  client(region?: string): CognitoIdentityProviderClient;
  stop(): Promise<void>;
}

/** The CA file named by the start-up message's NODE_EXTRA_CA_CERTS line. */
export function printedCaPath(stderr: string): string | undefined {
  return /NODE_EXTRA_CA_CERTS=(\S+)/.exec(stderr)?.[1];
}

/** Starts Lanyard with `args` (e.g. `--tls --data DIR`); `ca` defaults to the CA it printed. */
export async function startTlsServer(
  args: string[],
  options: { env?: Record<string, string>; ca?: string } = {},
): Promise<TlsServer> {
  const started = await spawnLanyard({
    args: ["--password-hashing", "test", ...args],
    env: { ...process.env, ...options.env },
  });
  const caPath = printedCaPath(started.stderr());
  const ca = options.ca ?? readFileSync(caPath!, "utf8");
  const clients: CognitoIdentityProviderClient[] = [];
  return {
    ...started,
    caPath,
    ca,
    client(region = "us-east-1") {
      const client = new CognitoIdentityProviderClient({
        endpoint: started.url,
        region,
        credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "test-secret" },
        maxAttempts: 1,
        requestHandler: { httpsAgent: new Agent({ ca }) },
      });
      clients.push(client);
      return client;
    },
    async stop() {
      for (const c of clients) c.destroy();
      const { child } = started;
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

export interface Handshake {
  authorized: boolean;
  /** The verification error (ERR_TLS_CERT_ALTNAME_INVALID, SELF_SIGNED_CERT_IN_CHAIN, ...). */
  error?: string;
  certificate?: PeerCertificate;
}

/**
 * A TLS handshake with 127.0.0.1:port trusting `ca` only, as a client of `name` (SNI and the name
 * checked against the certificate); without a name, the certificate is checked for 127.0.0.1.
 */
export function handshake(port: number, ca: string, name?: string): Promise<Handshake> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port, ca, servername: name, rejectUnauthorized: true });
    socket.once("error", (e: NodeJS.ErrnoException) => resolve({ authorized: false, error: e.code }));
    socket.once("secureConnect", () => {
      const result = { authorized: socket.authorized, certificate: socket.getPeerCertificate() };
      socket.end();
      resolve(result);
    });
  });
}

/** Runs Lanyard expecting it to refuse to start: its exit code and stderr. */
export function refusedStart(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [`${root}/bin/lanyard.js`, "--host", "127.0.0.1", "--port", "0", "--password-hashing", "test", ...args],
      { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.stdout.on("data", (d: Buffer) => {
      if (d.toString().includes("listening on")) child.kill("SIGTERM");
    });
    child.once("exit", (code) => resolve({ code, stderr }));
  });
}

/** GET over HTTPS trusting `ca`: the JSON body of a 200. */
export function getJson(url: string, ca: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    get(url, { ca }, (res) => {
      let text = "";
      res.on("data", (d: Buffer) => (text += d.toString()));
      res.on("end", () =>
        res.statusCode === 200 ? resolve(JSON.parse(text)) : reject(new Error(`${res.statusCode}: ${text}`)),
      );
    }).on("error", reject);
  });
}
