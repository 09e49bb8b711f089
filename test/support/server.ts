/**
 * Starts a real Lanyard process for black-box tests and hands out real clients for it.
 * Every server binds 127.0.0.1 on a free port and keeps its data in memory unless told otherwise.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

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

export async function startServer(options: StartOptions = {}): Promise<TestServer> {
  const args = options.args ?? ["--memory"];
  const child = spawn(
    process.execPath,
    [join(root, "src", "main.ts"), "--host", "127.0.0.1", "--port", "0", ...args],
    {
      cwd: root,
      env: { ...process.env, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const port = await new Promise<number>((resolve, reject) => {
    let stdout = "";
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), 15_000);
    child.stdout!.on("data", (d: Buffer) => {
      stdout += d.toString();
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${stderr}`));
    });
  });
  const url = `http://127.0.0.1:${port}`;
  const clients: CognitoIdentityProviderClient[] = [];
  return {
    url,
    port,
    process: child,
    logs: () => stderr,
    client(credentials = { accessKeyId: "AKIDTEST", secretAccessKey: "test-secret" }, region = "us-east-1") {
      const c = new CognitoIdentityProviderClient({ endpoint: url, region, credentials, maxAttempts: 1 });
      clients.push(c);
      return c;
    },
    async stop() {
      for (const c of clients) c.destroy();
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** Sends a raw request to the server, for protocol tests that no SDK would send. */
export async function rawRequest(
  url: string,
  target: string | undefined,
  body: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; json: Record<string, unknown> }> {
  const h: Record<string, string> = { "content-type": "application/x-amz-json-1.1", ...headers };
  if (target !== undefined) h["x-amz-target"] = `AWSCognitoIdentityProviderService.${target}`;
  const res = await fetch(url, { method: "POST", headers: h, body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : {} };
}
