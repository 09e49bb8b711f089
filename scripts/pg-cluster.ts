/**
 * A throwaway PostgreSQL cluster for the test runner and the benchmarks: initdb into a temp dir,
 * a postgres server on 127.0.0.1 on a free port (no Unix socket), trust authentication, durability
 * off unless asked for (fsync, synchronous_commit, full_page_writes: nothing here must survive a
 * crash). Run as
 * root, the server runs as the `postgres` user (PostgreSQL refuses to run as root).
 * `stop()` shuts it down and removes the directory; so does the exit of this process.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

export interface PgCluster {
  /** Superuser URL of the cluster's `postgres` database. */
  url: string;
  /** PostgreSQL server version, e.g. "15.18". */
  version: string;
  /** The postmaster's process id (its children are the backends). */
  pid: number;
  /** The cluster's data directory. */
  dataDir: string;
  stop(): Promise<void>;
}

/** The directory holding initdb and postgres, or undefined when PostgreSQL is not installed. */
export function findPostgresBin(): string | undefined {
  const has = (dir: string) => existsSync(join(dir, "initdb")) && existsSync(join(dir, "postgres"));
  if (process.env.LANYARD_PG_BIN)
    return has(process.env.LANYARD_PG_BIN) ? process.env.LANYARD_PG_BIN : undefined;
  // Debian and Ubuntu: /usr/lib/postgresql/<major>/bin, newest first.
  const debian = "/usr/lib/postgresql";
  if (existsSync(debian)) {
    const majors = readdirSync(debian)
      .filter((d) => /^\d+(\.\d+)?$/.test(d))
      .sort((a, b) => Number(b) - Number(a));
    for (const m of majors) if (has(join(debian, m, "bin"))) return join(debian, m, "bin");
  }
  for (const probe of [
    () => execFileSync("pg_config", ["--bindir"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }),
    () =>
      execFileSync("sh", ["-c", 'dirname "$(command -v initdb)"'], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      }),
  ]) {
    try {
      const dir = probe().trim();
      if (dir && has(dir)) return dir;
    } catch {
      // not there
    }
  }
  return undefined;
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

/** uid and gid to run PostgreSQL as: the `postgres` user when we are root, else ourselves. */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    return { uid, gid };
  } catch {
    throw new Error(
      "running as root, and there is no `postgres` user to run PostgreSQL as (PostgreSQL refuses to run as root)",
    );
  }
}

async function waitReady(url: string, child: ChildProcess, output: () => string): Promise<string> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`postgres exited (${child.exitCode ?? child.signalCode}):\n${output()}`);
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    try {
      await client.connect();
      const { rows } = await client.query<{ v: string }>("SELECT current_setting('server_version') AS v");
      await client.end();
      return rows[0]!.v.split(" ")[0]!;
    } catch (e) {
      await client.end().catch(() => {});
      if (Date.now() > deadline)
        throw new Error(`postgres did not accept connections (${(e as Error).message}):\n${output()}`, {
          cause: e,
        });
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export interface ClusterOptions {
  /** Keep fsync and synchronous commit on (benchmarks of writes); off by default (tests). */
  durable?: boolean;
}

export async function startCluster(
  bin = findPostgresBin(),
  options: ClusterOptions = {},
): Promise<PgCluster> {
  if (!bin) throw new Error("PostgreSQL server binaries (initdb, postgres) not found");
  const user = runAs();
  // Run as another user, the server must reach its directory: /tmp is open to every user, a
  // TMPDIR of root's own may not be.
  const dir = mkdtempSync(join(user ? "/tmp" : tmpdir(), "lanyard-pg-"));
  const data = join(dir, "data");
  let child: ChildProcess | undefined;
  let out = "";
  const cleanup = () => {
    // Immediate shutdown: the server ends at once, without waiting for anything.
    if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGQUIT");
    rmSync(dir, { recursive: true, force: true });
  };
  // If this process ends without stop() (a crash, process.exit), the cluster goes with it.
  process.once("exit", cleanup);
  try {
    if (user) chownSync(dir, user.uid, user.gid);
    execFileSync(
      join(bin, "initdb"),
      ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"],
      { stdio: ["ignore", "pipe", "pipe"], ...user, cwd: dir },
    );
    const port = await freePort();
    child = spawn(
      join(bin, "postgres"),
      [
        "-D",
        data,
        "-p",
        String(port),
        "-c",
        "listen_addresses=127.0.0.1",
        "-c",
        "unix_socket_directories=",
        ...(options.durable
          ? []
          : ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]),
        "-c",
        "max_connections=400",
        "-c",
        "shared_buffers=256MB",
        "-c",
        "log_min_messages=warning",
      ],
      { stdio: ["ignore", "pipe", "pipe"], ...user, cwd: dir },
    );
    const collect = (d: Buffer) => {
      out = (out + d.toString()).slice(-20_000);
    };
    child.stdout!.on("data", collect);
    child.stderr!.on("data", collect);
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    const version = await waitReady(url, child, () => out);
    const running = child;
    return {
      url,
      version,
      pid: running.pid!,
      dataDir: data,
      async stop() {
        process.removeListener("exit", cleanup);
        if (running.exitCode === null && running.signalCode === null) {
          const exited = new Promise<void>((r) => running.once("exit", () => r()));
          running.kill("SIGINT"); // fast shutdown: ends the sessions still connected
          const timer = setTimeout(() => running.kill("SIGKILL"), 15_000);
          await exited;
          clearTimeout(timer);
        }
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    process.removeListener("exit", cleanup);
    cleanup();
    throw e;
  }
}
