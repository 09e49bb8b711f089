/**
 * Starts a real Lanyard process for black-box tests and hands out real clients for it.
 * Every server binds 127.0.0.1 on a free port, keeps its data in memory and hashes passwords with
 * the test profile unless told otherwise.
 * When the tests run on PostgreSQL (LANYARD_TEST_POSTGRES_URL), each server gets a fresh schema
 * there instead of `--memory`, and one kept for the test file's life instead of `--data DIR`.
 */
import type { ChildProcess } from "node:child_process";
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { Sha256 } from "@smithy/core/checksum";
import { SignatureV4 } from "@smithy/signature-v4";
import { createTestDatabase, type TestDatabase, testPostgresUrl } from "./postgres.ts";
import { spawnLanyard } from "./process.ts";

export interface TestServer {
  url: string;
  port: number;
  process: ChildProcess;
  /** Everything the server wrote to stderr so far. */
  logs(): string;
  /** An AWS SDK v3 client for this server (dummy credentials unless given). */
  client(
    credentials?: { accessKeyId: string; secretAccessKey: string },
    region?: string,
  ): CognitoIdentityProviderClient;
  stop(): Promise<void>;
}

export interface StartOptions {
  args?: string[];
  env?: Record<string, string>;
}

/** Schemas standing in for `--data DIR`, one per directory, so a restarted server finds its data. */
const dataDirSchemas = new Map<string, Promise<TestDatabase>>();
process.once("beforeExit", () => {
  for (const db of dataDirSchemas.values()) void db.then((d) => d.drop()).catch(() => {});
});

/** On PostgreSQL: the arguments with `--memory` / `--data DIR` replaced by `--storage URL`. */
async function storageArgs(args: string[]): Promise<{ args: string[]; db?: TestDatabase }> {
  if (!testPostgresUrl() || args.some((a) => a === "--storage" || a.startsWith("--storage=")))
    return { args };
  const out: string[] = [];
  let dataDir: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--memory") continue;
    if (a === "--data") dataDir = args[++i];
    else if (a.startsWith("--data=")) dataDir = a.slice("--data=".length);
    else out.push(a);
  }
  if (dataDir !== undefined) {
    let db = dataDirSchemas.get(dataDir);
    if (!db) {
      db = createTestDatabase();
      dataDirSchemas.set(dataDir, db);
    }
    return { args: [...out, "--storage", (await db).url] };
  }
  const db = await createTestDatabase();
  return { args: [...out, "--storage", db.url], db };
}

/**
 * The test password-hashing profile (cheap Argon2id: tests wait for no hash), unless the test
 * chooses a profile itself (`--password-hashing` or LANYARD_PASSWORD_HASHING).
 */
function hashingArgs(options: StartOptions): string[] {
  const chosen =
    options.args?.some((a) => a === "--password-hashing" || a.startsWith("--password-hashing=")) ||
    options.env?.LANYARD_PASSWORD_HASHING !== undefined;
  return chosen ? [] : ["--password-hashing", "test"];
}

export async function startServer(options: StartOptions = {}): Promise<TestServer> {
  const { args, db } = await storageArgs(options.args ?? ["--memory"]);
  const started = await spawnLanyard({
    args: [...hashingArgs(options), ...args],
    env: { ...process.env, ...options.env },
  }).catch(async (e) => {
    await db?.drop().catch(() => {});
    throw e;
  });
  const { child, port } = started;
  const stderr = started.stderr;
  const url = `http://127.0.0.1:${port}`;
  const clients: CognitoIdentityProviderClient[] = [];
  return {
    url,
    port,
    process: child,
    logs: stderr,
    client(credentials = { accessKeyId: "AKIDTEST", secretAccessKey: "test-secret" }, region = "us-east-1") {
      const c = new CognitoIdentityProviderClient({ endpoint: url, region, credentials, maxAttempts: 1 });
      clients.push(c);
      return c;
    },
    async stop() {
      for (const c of clients) c.destroy();
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
      await db?.drop();
    },
  };
}

const signer = new SignatureV4({
  service: "cognito-idp",
  region: "us-east-1",
  credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "test-secret" },
  sha256: Sha256,
});

/**
 * Sends a raw request to the server, for protocol tests that no SDK would send. It is SigV4-signed
 * (with dummy credentials) unless `sign` is false; its body is sent chunked when `chunked` is true.
 */
export async function rawRequest(
  url: string,
  target: string | undefined,
  body: string,
  headers: Record<string, string> = {},
  sign = true,
  chunked = false,
): Promise<{ status: number; headers: Headers; json: Record<string, unknown> }> {
  const u = new URL(url);
  let h: Record<string, string> = { "content-type": "application/x-amz-json-1.1", host: u.host, ...headers };
  if (target !== undefined) h["x-amz-target"] = `AWSCognitoIdentityProviderService.${target}`;
  if (sign) {
    const signed = await signer.sign({
      method: "POST",
      protocol: "http:",
      hostname: u.hostname,
      port: Number(u.port),
      path: "/",
      headers: h,
      body,
    });
    h = signed.headers as Record<string, string>;
  }
  // A chunked body is sent as a stream, without a Content-Length.
  const res = chunked
    ? await fetch(url, {
        method: "POST",
        headers: h,
        body: new Blob([body]).stream(),
        duplex: "half",
      } as RequestInit)
    : await fetch(url, { method: "POST", headers: h, body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : {} };
}
