/**
 * A real browser for tests: Debian's Chromium driven by playwright-core (no browser download).
 * One browser per test process, launched on first use and closed when the test file ends; each
 * test takes a fresh context (its own cookies and storage) from it.
 *
 * Pages are served from another origin than Lanyard's (a second loopback port), so every call a
 * page makes to Lanyard is a cross-origin request, as in a real web app. Scripts for a page are
 * bundled at test time with esbuild from the packages installed here.
 */
import fs from "node:fs";
import { createServer, type Server } from "node:http";
import path from "node:path";
import { after } from "node:test";
import { build } from "esbuild";
import { type Browser, type BrowserContext, chromium } from "playwright-core";

export const CHROMIUM = process.env.LANYARD_TEST_CHROMIUM ?? "/usr/bin/chromium";

/**
 * Why browser tests cannot run here, or undefined when they can. In CI (CI=true) a missing
 * browser is a failure, not a skip: .ci/run installs it.
 */
export function browserMissing(): string | undefined {
  if (fs.existsSync(CHROMIUM) || process.env.CI === "true") return undefined;
  return `no Chromium at ${CHROMIUM} (Debian: apt-get install chromium)`;
}

let launched: Promise<Browser> | undefined;

/** The process's browser, launched on first use. */
export function browser(): Promise<Browser> {
  launched ??= chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    headless: true,
  });
  return launched;
}

/** A fresh context of the shared browser; close it at the end of the test. */
export async function newContext(): Promise<BrowserContext> {
  return (await browser()).newContext();
}

export async function closeBrowser(): Promise<void> {
  const b = launched;
  launched = undefined;
  if (b) await (await b).close();
}

after(closeBrowser);

export interface StaticSite {
  /** the site's origin, e.g. http://127.0.0.1:4711 */
  origin: string;
  close(): Promise<void>;
}

/** Serves `files` (path -> content, "/" for the page) from 127.0.0.1 on a free port. */
export async function serveSite(files: Record<string, string>): Promise<StaticSite> {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const body = files[url.pathname];
    if (body === undefined) {
      res.writeHead(404).end();
      return;
    }
    const type = url.pathname.endsWith(".js") ? "text/javascript" : "text/html";
    res.writeHead(200, { "content-type": `${type}; charset=utf-8` }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return {
    origin: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Bundles `source` (an ES module that may import installed packages) for the browser into
 * `outDir` and returns the bundle's text.
 */
export async function bundle(source: string, outDir: string): Promise<string> {
  const entry = path.join(outDir, "entry.js");
  const outfile = path.join(outDir, "bundle.js");
  fs.writeFileSync(entry, source);
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: "iife",
    platform: "browser",
    target: "es2022",
    define: { global: "globalThis" },
    nodePaths: [path.resolve(import.meta.dirname, "..", "..", "node_modules")],
    logLevel: "silent",
  });
  return fs.readFileSync(outfile, "utf8");
}
