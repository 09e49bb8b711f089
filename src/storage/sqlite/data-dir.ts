/**
 * The data directory of the embedded database holds the pools' private signing keys, the server
 * secret, password hashes and SRP verifiers: it is the owner's alone. It is created 0700 and the
 * database file 0600 (SQLite gives the -wal and -shm files the database file's mode), whatever the
 * umask; a directory or file that the group or others may read or write is refused at start.
 */
import { closeSync, existsSync, fchmodSync, mkdirSync, openSync, statSync } from "node:fs";
import { join } from "node:path";

export const DATABASE_FILE = "lanyard.db";
const COMPANIONS = ["-wal", "-shm", "-journal"];

/** A data directory or file whose permissions let others in; the message says how to fix it. */
export class DataDirError extends Error {}

const CHECKED = process.platform !== "win32";

function refuseOpen(path: string, kind: "directory" | "file", wanted: string): void {
  if (!CHECKED) return;
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o066) === 0) return;
  throw new DataDirError(
    `the data ${kind} ${path} has mode ${mode.toString(8).padStart(4, "0")}: the group or others can ` +
      `${mode & 0o044 ? "read" : "write"} it, and it holds private signing keys and password hashes. ` +
      `Run: chmod ${wanted} ${path}`,
  );
}

/**
 * Creates the data directory (0700) and the database file (0600) when missing, refuses them when
 * others may read or write them, and returns the database file's path.
 */
export function prepareDataDir(dir: string): string {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new DataDirError(`the data directory ${dir} is not a directory`);
  } else {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }
  refuseOpen(dir, "directory", "700");
  const path = join(dir, DATABASE_FILE);
  if (!existsSync(path)) {
    // Created here, before SQLite opens it, so that its mode (and so the -wal and -shm files') does
    // not depend on the umask.
    const fd = openSync(path, "a", 0o600);
    try {
      if (CHECKED) fchmodSync(fd, 0o600);
    } finally {
      closeSync(fd);
    }
  }
  for (const file of [path, ...COMPANIONS.map((suffix) => path + suffix)])
    if (existsSync(file)) refuseOpen(file, "file", "600");
  return path;
}
