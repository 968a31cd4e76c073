import cluster from "node:cluster";
import { existsSync } from "node:fs";
import path from "node:path";
import type { App } from "./app.js";
import { ConfigError, loadConfig, type Config } from "./config.js";
import { createLogger, type Logger } from "./log.js";
import { guardProcess } from "./process-guard.js";
import { pgliteRefusal, superviseWorkers, workerCount, workerRole } from "./workers.js";

const startedAt = performance.now();
// Settings in .env are read if the file exists; variables already in the environment win.
if (existsSync(".env")) process.loadEnvFile(".env");
let config: Config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
const log = createLogger(config.LOG_LEVEL);
const database = config.DATABASE_URL ? "postgres" : "pglite";
const refusal = pgliteRefusal(config.TI_WORKERS, database);
if (refusal) {
  console.error(refusal);
  process.exit(1);
}
const workers = workerCount(config.TI_WORKERS, database);

// The primary of several workers only forks and watches them: it loads none of the bot.
if (workers > 1 && cluster.isPrimary) superviseWorkers({ count: workers, log });
else await serve(config, log);

async function serve(config: Config, log: Logger): Promise<void> {
  // The database opens while the bot's code loads: the embedded one starts its own thread, which loads
  // PGlite and migrates on the second core meanwhile. Each worker of TI_WORKERS opens its own; migrations
  // take an advisory lock, so workers starting together apply each once.
  const opening = import("./db/database.js").then(({ openDatabase }) =>
    openDatabase(config.DATABASE_URL ? { kind: "postgres", url: config.DATABASE_URL } : { kind: "pglite", dataDir: path.resolve(config.DATA_DIR) }),
  );
  const [{ createApp }, db] = await Promise.all([import("./app.js"), opening]);
  log.info(
    { database: db.kind, ...(db.kind === "pglite" ? { dataDir: path.resolve(config.DATA_DIR), fromTemplate: db.fromTemplate } : {}), migrationsApplied: db.applied },
    db.kind === "pglite" ? "Database: embedded PGlite" : "Database: PostgreSQL",
  );

  const role = workerRole();
  let app: App;
  try {
    app = await createApp({ config, db, log, background: role.background, ...(role.wakeDispatcher ? { wakeDispatcher: role.wakeDispatcher } : {}) });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // A setting that only the database can check (a key that doesn't open the stored installations).
    console.error(error.message);
    await db.close();
    process.exit(1);
  }
  role.onDeliveriesQueued(app.dispatcher.wake);
  const address = await app.start();
  // Installed once started: a failure while opening the database or migrating it still stops the process.
  guardProcess(log);
  log.info(
    { url: `http://${address.address}:${address.port}`, readyMs: Math.round(performance.now() - startedAt), ...(cluster.isWorker ? { pid: process.pid } : {}) },
    `ti-champions is ready on http://${address.address}:${address.port}`,
  );

  let stopping = false;
  async function shutdown(signal: string) {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "Stopping: finishing requests in flight");
    const force = setTimeout(() => {
      log.error("Requests still in flight after 10 s; exiting anyway.");
      process.exit(1);
    }, 10_000);
    force.unref();
    await app.stop();
    await db.close();
    log.info("Stopped");
    process.exit(0);
  }
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}
