#!/usr/bin/env node
// Runs Lanyard's TypeScript sources directly (Node.js 24 strips the types). The compile cache
// (in the system's temporary directory; NODE_DISABLE_COMPILE_CACHE=1 turns it off) keeps the
// stripped and compiled modules between starts: start-up takes a fraction of the time.
import module from "node:module";

module.enableCompileCache?.();
await import("../src/main.ts");
