#!/usr/bin/env node
// Runs Lanyard's TypeScript sources directly (Node.js 24 strips the types).
import module from "node:module";
import { homedir } from "node:os";
import { join } from "node:path";
import process from "node:process";

// The compile cache keeps the type-stripped, compiled sources between starts: later starts are
// faster and never load the TypeScript stripper (about 18 MB of memory). It lives in the user's
// cache directory (NODE_COMPILE_CACHE chooses another; NODE_DISABLE_COMPILE_CACHE=1 turns it off).
if (!process.env.NODE_DISABLE_COMPILE_CACHE)
  module.enableCompileCache?.(
    process.env.NODE_COMPILE_CACHE ??
      join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "lanyard", "compile-cache"),
  );
await import("../src/main.ts");
