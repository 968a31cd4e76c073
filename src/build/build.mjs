// Compiles the bot ahead of time, so `npm start` runs plain JavaScript instead of transforming every
// TypeScript file through tsx at each start. One ESM bundle of our own code (dependencies stay in
// node_modules), split where the code imports lazily, so what loads late still loads late.
//
//   node src/build/build.mjs            build when a source file is newer than the last build
//   node src/build/build.mjs --force    build regardless
//
// Plain JavaScript on purpose: it runs at install time and before every start, before anything is compiled.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const outdir = path.join(root, "dist");
const stamp = path.join(outdir, ".built");
// What the bundle is made of; package.json because its dependencies decide what stays external.
const sources = ["src", "adapters"];
const inputs = ["package.json", "package-lock.json", "src/build/build.mjs"];

function newestSource() {
  let newest = 0;
  for (const dir of sources) {
    for (const entry of readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  for (const file of inputs) if (existsSync(path.join(root, file))) newest = Math.max(newest, statSync(path.join(root, file)).mtimeMs);
  return newest;
}

const force = process.argv.includes("--force");
if (!force && existsSync(stamp) && Number(readFileSync(stamp, "utf8")) >= newestSource()) process.exit(0);

// esbuild comes with tsx (a dependency): resolved through it, so it needs no entry of its own in package.json.
const tsx = createRequire(import.meta.url).resolve("tsx/package.json");
const { build } = await import(createRequire(tsx).resolve("esbuild"));

const started = performance.now();
const builtFrom = newestSource();
// dist/ is not emptied first: a bot still running from it imports its lazy chunks (content-hashed names) later.
await build({
  absWorkingDir: root,
  // make-template: run by npm install after the build (src/db/pglite-template.ts); pglite-worker: the
  // embedded database's thread, started by its own file (src/db/pglite-thread.ts).
  entryPoints: { main: "src/main.ts", "make-template": "src/db/make-template.ts", "pglite-worker": "src/db/pglite-worker.ts" },
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  sourcemap: "linked",
  logLevel: "warning",
});
// The newest source's time, taken before building: an edit made while building triggers the next build.
writeFileSync(stamp, String(builtFrom));
console.error(`Built dist/ in ${Math.round(performance.now() - started)} ms`);
