/**
 * Starts a Lanyard process the way its users do (`bin/lanyard.js`) on 127.0.0.1 and a free port,
 * and waits for its "listening" line. The one process-start helper of the tests
 * (test/support/server.ts) and the benchmarks (bench/servers.ts).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

export interface LanyardProcessOptions {
  /** Lanyard's arguments after `--host 127.0.0.1 --port 0`. */
  args: string[];
  /** The whole environment of the process. */
  env: NodeJS.ProcessEnv;
  /** The script to run: bin/lanyard.js unless given (the built package's dist/lanyard.js). */
  script?: string;
  /** Node's own flags (before the script), e.g. `--cpu-prof`. */
  nodeArgs?: string[];
  /** How long to wait for "listening"; the default is 15 s. */
  timeoutMs?: number;
  /** Called with each chunk the process writes to stderr. */
  onStderr?: (chunk: string) => void;
}

export interface LanyardProcess {
  child: ChildProcess;
  port: number;
  /** `http://127.0.0.1:PORT`, or `https://` when the server listens with TLS. */
  url: string;
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  /** Milliseconds from spawning the process to its "listening" line. */
  startupMs: number;
}

export async function spawnLanyard(options: LanyardProcessOptions): Promise<LanyardProcess> {
  const spawned = performance.now();
  const child = spawn(
    process.execPath,
    [
      ...(options.nodeArgs ?? []),
      options.script ?? join(root, "bin", "lanyard.js"),
      "--host",
      "127.0.0.1",
      "--port",
      "0",
      ...options.args,
    ],
    { cwd: root, env: options.env, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => {
    const chunk = d.toString();
    stderr += chunk;
    options.onStderr?.(chunk);
  });
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = "";
    const timer = setTimeout(
      () => reject(new Error(`server did not start: ${stderr}`)),
      options.timeoutMs ?? 15_000,
    );
    child.stdout!.on("data", (d: Buffer) => {
      stdout += d.toString();
      const m = /listening on (https?:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${stderr}`));
    });
  });
  const port = Number(new URL(url).port);
  return { child, port, url, stderr: () => stderr, startupMs: performance.now() - spawned };
}
