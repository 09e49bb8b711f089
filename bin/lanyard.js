#!/usr/bin/env node
// Starts Lanyard: Node.js 24 runs the TypeScript sources directly (it strips the types).
import module from "node:module";
import { homedir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";

// Memory settings that only take effect when the process starts, so this process re-executes
// itself once with them (process.execve replaces it: same pid, no second process). Each one is
// left alone when already given (in NODE_OPTIONS, as a node flag, or in the environment).
// - --max-semi-space-size=8: V8's young generation (two semi-spaces) otherwise grows to 128 MB
//   under load and keeps it; 16 MB serves Lanyard's short-lived request garbage as well.
// - MALLOC_ARENA_MAX=2 (glibc): each libuv thread that runs an Argon2id hash would otherwise keep
//   its own malloc arena.
// - GLIBC_TUNABLES: an Argon2id hash's working area (19 MiB under the default profile) is mapped
//   for the hash and unmapped after it (mmap_threshold fixed at 4 MiB; left to itself, glibc
//   raises the threshold past 19 MiB after the first hash and keeps every freed area in its
//   arenas, 100 MB and more after a burst of sign-ins). hugetlb=1 asks for transparent huge pages
//   for those mappings, so that a fresh area costs a few page faults rather than thousands: about
//   1 ms per hash where the kernel offers them (madvise or always), about 10 ms where it does not.
const FLAGS = ["--max-semi-space-size=8"];
const ENV = {
  MALLOC_ARENA_MAX: "2",
  GLIBC_TUNABLES: "glibc.malloc.hugetlb=1:glibc.malloc.mmap_threshold=4194304",
};
const given = `${process.env.NODE_OPTIONS ?? ""} ${process.execArgv.join(" ")}`;
const flags = FLAGS.filter((f) => !given.includes(f.slice(0, f.indexOf("="))));
const env = Object.fromEntries(Object.entries(ENV).filter(([k]) => process.env[k] === undefined));
if ((flags.length > 0 || Object.keys(env).length > 0) && typeof process.execve === "function") {
  const script = fileURLToPath(import.meta.url);
  process.execve(
    process.execPath,
    [process.execPath, ...flags, ...process.execArgv, script, ...process.argv.slice(2)],
    { ...process.env, ...env },
  );
}

// The compile cache keeps the type-stripped, compiled sources between starts: later starts are
// faster and never load the TypeScript stripper (about 18 MB of memory). It lives in the user's
// cache directory (NODE_COMPILE_CACHE chooses another; NODE_DISABLE_COMPILE_CACHE=1 turns it off).
if (!process.env.NODE_DISABLE_COMPILE_CACHE)
  module.enableCompileCache?.(
    process.env.NODE_COMPILE_CACHE ??
      join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "lanyard", "compile-cache"),
  );
await import("../src/main.ts");
