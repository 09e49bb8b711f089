/**
 * The build of the published package: JavaScript in dist/ (git-ignored), made with esbuild from
 * bin/lanyard.js and src/. The npm dependencies stay external (npm installs them beside the
 * package); the two worker scripts are entry points of their own, and their `new URL("./x.ts",
 * import.meta.url)` references point at the built `./x.js`. Every output file sits in dist/ itself,
 * one directory below package.json (which `lanyard --version` reads).
 *
 *   node scripts/build.ts
 */
import { readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Plugin } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outdir = join(root, "dist");

/** `new URL("./name.ts", import.meta.url)` becomes `new URL("./name.js", import.meta.url)`. */
const workerUrls: Plugin = {
  name: "worker-urls",
  setup(b) {
    b.onLoad({ filter: /[/\\]src[/\\].*\.ts$/ }, (args) => {
      const source = readFileSync(args.path, "utf8");
      const contents = source.replace(
        /new URL\("\.\/([\w-]+)\.ts", import\.meta\.url\)/g,
        'new URL("./$1.js", import.meta.url)',
      );
      return { contents, loader: "ts" };
    });
  },
};

rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: {
    lanyard: "bin/lanyard.js",
    "modexp-worker": "src/crypto/modexp-worker.ts",
    "module-worker": "src/triggers/module-worker.ts",
  },
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node22",
  packages: "external",
  chunkNames: "chunk-[hash]",
  banner: { js: "" },
  legalComments: "none",
  logLevel: "warning",
  plugins: [workerUrls],
});
process.stdout.write(`built ${outdir}\n`);
