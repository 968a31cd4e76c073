// `npm run db:backup [file]` and `npm run db:restore <file>`: see "Backups" in the README.
import { existsSync } from "node:fs";
import path from "node:path";
import { loadConfig } from "../config.js";
import { backupDatabase, restoreDatabase, type DatabaseLocation } from "./backup.js";

if (existsSync(".env")) process.loadEnvFile(".env");
const config = loadConfig();
const location: DatabaseLocation = config.DATABASE_URL ? { kind: "postgres", url: config.DATABASE_URL } : { kind: "pglite", dataDir: path.resolve(config.DATA_DIR) };
const [action, given] = process.argv.slice(2);

try {
  if (action === "backup") {
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    const file = given ?? path.join("backups", `ti-champions-${stamp}.${location.kind === "postgres" ? "dump" : "tar.gz"}`);
    await backupDatabase(location, file);
    console.log(`Backed up the ${location.kind === "postgres" ? "PostgreSQL" : "embedded"} database to ${file}`);
  } else if (action === "restore" && given) {
    await restoreDatabase(given, location);
    console.log(`Restored ${given} into ${location.kind === "postgres" ? "the PostgreSQL database in DATABASE_URL" : location.dataDir}. Start the bot as usual.`);
  } else {
    console.error("Usage: npm run db:backup [file]  |  npm run db:restore <file>");
    process.exitCode = 2;
  }
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
}
