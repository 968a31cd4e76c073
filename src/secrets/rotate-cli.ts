// `npm run keys:rotate`: re-seals every stored Slack token with TI_ENCRYPTION_KEY. See "Encryption key" in the README.
import { existsSync } from "node:fs";
import path from "node:path";
import { ConfigError, loadConfig } from "../config.js";
import { openDatabase } from "../db/database.js";
import { parseEncryptionKey } from "./encryption-key.js";
import { resealInstallations } from "./reseal-installations.js";
import { createSealer } from "./seal.js";

if (existsSync(".env")) process.loadEnvFile(".env");
try {
  const config = loadConfig();
  if (!config.TI_ENCRYPTION_KEY) throw new ConfigError("Set TI_ENCRYPTION_KEY to the new key, and TI_ENCRYPTION_KEY_PREVIOUS to the key (or keys) it replaces.");
  const sealer = createSealer({ current: parseEncryptionKey(config.TI_ENCRYPTION_KEY), previous: config.TI_ENCRYPTION_KEY_PREVIOUS.map(parseEncryptionKey) });
  const db = await openDatabase(config.DATABASE_URL ? { kind: "postgres", url: config.DATABASE_URL } : { kind: "pglite", dataDir: path.resolve(config.DATA_DIR) });
  try {
    const { resealed, current } = await resealInstallations(db.prisma, sealer);
    console.log(`Re-sealed ${resealed} Slack installation${resealed === 1 ? "" : "s"} with TI_ENCRYPTION_KEY (key id ${sealer.currentKeyId}); ${current} already were.`);
    console.log("Once every replica runs with this TI_ENCRYPTION_KEY, you can remove TI_ENCRYPTION_KEY_PREVIOUS.");
  } finally {
    await db.close();
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
