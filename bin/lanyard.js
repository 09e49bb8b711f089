#!/usr/bin/env node
// Runs Lanyard's TypeScript sources directly (Node.js 24 strips the types).
import "../src/main.ts";
