/** Starts and stops the servers under test: Lanyard (its own process, file-backed) and moto_server. */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { closeSync, openSync, readdirSync, readFileSync, readSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { spawnLanyard } from "../test/support/process.ts";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..");

export interface RunningServer {
  name: string;
  port: number;
  pid: number;
  /** Milliseconds from spawning the process to its "listening" line (Lanyard). */
  startupMs?: number;
  /** CPU seconds (user + system) the process has used so far. */
  cpuSeconds(): number;
  /** Resident memory now and at its peak, from /proc/<pid>/status. */
  memory(): ProcessMemory;
  /** Lanyard only: the server's own process.memoryUsage(), which it prints on SIGUSR2. */
  heap?(): Promise<NodeJS.MemoryUsage | undefined>;
  stop(): Promise<void>;
}

export interface ProcessMemory {
  /** VmRSS, bytes. */
  rss: number;
  /** VmHWM (the highest RSS so far), bytes. */
  peak: number;
}

/** Resident memory of a process, from /proc/<pid>/status (VmRSS, VmHWM). */
export function processMemory(pid: number): ProcessMemory {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (key: string) =>
    Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN) * 1024;
  return { rss: kib("VmRSS"), peak: kib("VmHWM") };
}

export const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

const CLOCK_TICKS = 100;

function cpuSecondsOf(pid: number): number {
  // Fields after the command name: state is field 3, utime 14, stime 15 (man 5 proc).
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** CPU seconds (all cores, user + system) the whole machine has been busy so far. */
export function machineBusySeconds(): number {
  const fields = readFileSync("/proc/stat", "utf8")
    .split("\n")[0]
    .trim()
    .split(/\s+/)
    .slice(1, 9)
    .map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  // user nice system idle iowait irq softirq steal (guest time is already counted in user).
  return (total - fields[3] - fields[4]) / CLOCK_TICKS;
}

/** Bytes the whole machine has read from its disks so far (/proc/vmstat's pgpgin, in KiB). */
export function machineDiskReadBytes(): number {
  const m = /^pgpgin (\d+)$/m.exec(readFileSync("/proc/vmstat", "utf8"));
  return m ? Number(m[1]) * 1024 : 0;
}

/**
 * Reads every file under `path` (or the file itself) once, so that the operating system's page
 * cache holds it again, and returns the bytes read. This machine's kernel pages out file pages that
 * were not touched for a minute (DAMON's `pageout` scheme: bench/README.md), so a large database
 * that sat idle is partly back on disk, and the first random reads of it measure the disk. A file
 * that goes away meanwhile (a database server's temporary file) is passed over.
 */
export function warmPageCache(path: string): number {
  const buffer = Buffer.allocUnsafe(1 << 20);
  let total = 0;
  const code = (e: unknown) => (e as NodeJS.ErrnoException).code;
  const visit = (p: string) => {
    let entries;
    try {
      entries = readdirSync(p, { withFileTypes: true });
    } catch (e) {
      if (code(e) === "ENOENT") return;
      if (code(e) !== "ENOTDIR") throw e;
      let fd;
      try {
        fd = openSync(p, "r");
      } catch (e2) {
        if (code(e2) === "ENOENT") return;
        throw e2;
      }
      try {
        for (let n; (n = readSync(fd, buffer, 0, buffer.length, null)) > 0;) total += n;
      } finally {
        closeSync(fd);
      }
      return;
    }
    for (const e of entries) if (e.isDirectory() || e.isFile()) visit(join(p, e.name));
  };
  visit(path);
  return total;
}

/**
 * Waits (at most maxWaitMs) until the machine is quiet: less than `threshold` % of one core busy
 * over half a second while our servers idle. Returns the last busy figure and whether it was quiet.
 */
export async function waitForQuiet(
  maxWaitMs: number,
  threshold = 30,
): Promise<{ quiet: boolean; busy: number }> {
  const deadline = Date.now() + maxWaitMs;
  for (;;) {
    const before = machineBusySeconds();
    await new Promise((r) => setTimeout(r, 500));
    const busy = (machineBusySeconds() - before) * 200;
    if (busy < threshold) return { quiet: true, busy };
    if (Date.now() >= deadline) return { quiet: false, busy };
  }
}

function wrap(name: string, child: ChildProcess, port: number, output: () => string): RunningServer {
  const pid = child.pid!;
  return {
    name,
    port,
    pid,
    cpuSeconds: () => cpuSecondsOf(pid),
    memory: () => processMemory(pid),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((r) => child.once("exit", () => r()));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(timer);
      if (child.exitCode !== 0 && child.signalCode !== "SIGTERM") {
        const tail = output().slice(-2000);
        if (tail.trim()) process.stderr.write(`${name} output:\n${tail}\n`);
      }
    },
  };
}

/** Environment without any LANYARD_* setting, so the server runs on its defaults. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("LANYARD_")) env[k] = v;
  return { ...env, ...extra };
}

/** CPU seconds of a process and all its children (a PostgreSQL postmaster and its backends). */
export function treeCpuSeconds(rootPid: number): number {
  let total = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // Field 4 (ppid) is fields[1] here.
      if (Number(entry) === rootPid || Number(fields[1]) === rootPid)
        total += (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

/** Lanyard on PostgreSQL instead of its data dir; the database server's CPU counts as the server's. */
export interface LanyardOnPostgres {
  url: string;
  /** The postmaster's pid. */
  pid: number;
}

/** How to start Lanyard for a benchmark. */
export interface LanyardOptions {
  /** Write V8 CPU profiles of the server here. */
  cpuProfDir?: string;
  /** Run on this PostgreSQL database instead of the data dir. */
  postgres?: LanyardOnPostgres;
  /** The password-hashing profile (`--password-hashing`); Lanyard's default unless given. */
  hashing?: string | undefined;
  /** More command-line arguments (such as `--delivery inbox`). */
  args?: string[];
  /** More LANYARD_* settings in the environment. */
  env?: Record<string, string>;
  /** The script to run instead of bin/lanyard.js (the built package's dist/lanyard.js). */
  script?: string;
}

/**
 * Lanyard on a data dir (SQLite), or with `postgres` on that database: then it is named
 * "lanyard-pg" and its CPU includes the PostgreSQL processes'.
 */
export async function startLanyard(dataDir: string, options: LanyardOptions = {}): Promise<RunningServer> {
  const { cpuProfDir, postgres, hashing, args = [], env = {}, script } = options;
  const nodeArgs = cpuProfDir ? ["--cpu-prof", "--cpu-prof-dir", cpuProfDir] : [];
  const storageArgs = postgres ? ["--storage", postgres.url] : ["--data", dataDir];
  const hashingArgs = hashing ? ["--password-hashing", hashing] : [];
  const heapWaiters: ((m: NodeJS.MemoryUsage | undefined) => void)[] = [];
  const started = await spawnLanyard({
    args: [...storageArgs, ...hashingArgs, ...args],
    ...(script ? { script } : {}),
    nodeArgs,
    env: cleanEnv({ LANYARD_LOG_LEVEL: "warn", ...env }),
    timeoutMs: 30_000,
    onStderr: (chunk) => {
      for (const m of chunk.matchAll(/^lanyard: memory (\{.*\})$/gm)) {
        const usage = JSON.parse(m[1]!) as NodeJS.MemoryUsage;
        for (const w of heapWaiters.splice(0)) w(usage);
      }
    },
  });
  const { child, port, startupMs } = started;
  const out = started.stderr;
  const heap = () =>
    new Promise<NodeJS.MemoryUsage | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), 2_000);
      heapWaiters.push((m) => {
        clearTimeout(timer);
        resolve(m);
      });
      child.kill("SIGUSR2");
    });
  if (!postgres) return { ...wrap("lanyard", child, port, out), heap, startupMs };
  const server = { ...wrap("lanyard-pg", child, port, out), startupMs };
  const lanyardCpu = server.cpuSeconds;
  return { ...server, heap, cpuSeconds: () => lanyardCpu() + treeCpuSeconds(postgres.pid) };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function probe(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ host: "127.0.0.1", port, path: "/moto-api/", timeout: 1000 }, (res) => {
      res.resume();
      res.on("end", () => resolve(true));
    });
    req.on("error", () => resolve(false));
    req.on("timeout", () => req.destroy());
  });
}

export function motoVersion(): string | undefined {
  try {
    return execFileSync("python3", ["-c", "import moto; print(moto.__version__)"], {
      encoding: "utf8",
    }).trim();
  } catch {
    return undefined;
  }
}

export async function startMoto(): Promise<RunningServer> {
  const port = await freePort();
  const child = spawn("python3", ["-m", "moto.server", "-H", "127.0.0.1", "-p", String(port)], {
    cwd: root,
    env: cleanEnv({ PYTHONUNBUFFERED: "1" }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const collect = (d: Buffer) => {
    out = (out + d.toString()).slice(-20_000);
  };
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);
  const deadline = Date.now() + 30_000;
  while (!(await probe(port))) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode}:\n${out}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`moto_server did not start:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return wrap("moto", child, port, () => out);
}
