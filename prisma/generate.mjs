// `prisma generate` offline. The Prisma 7 CLI wants a native schema engine and tries to download one,
// but generate never runs it: pointing PRISMA_SCHEMA_ENGINE_BINARY at any existing file skips the download.
// Never set it for `prisma migrate`: migrate then exits 0 having applied nothing.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const prismaCli = require.resolve("prisma/build/index.js");
const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: "1" };
const result = spawnSync(process.execPath, [prismaCli, "generate"], {
  cwd: fileURLToPath(new URL("..", import.meta.url)),
  env,
  stdio: "inherit",
});
process.exit(result.status ?? 1);
