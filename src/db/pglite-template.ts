import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { applyPgliteMigrations, migrationsDir } from "./migrations.js";

/**
 * A migrated, empty embedded database that `npm install` leaves beside the build (dist/, not in git).
 * A first start copies it into an empty DATA_DIR instead of creating a database from nothing, which
 * (PostgreSQL's initdb, in WebAssembly) takes seconds.
 */
export const templateFile = path.join(path.dirname(path.dirname(migrationsDir)), "dist", "pglite-template.tar.gz");

/**
 * An in-memory PGlite with every migration applied, dumped as a data directory.
 *
 * @example
 * const pglite = await PGlite.create({ loadDataDir: await migratedDataDir() });
 */
export async function migratedDataDir(compression: "none" | "gzip" = "none"): Promise<Blob> {
  const pglite = await PGlite.create();
  try {
    await applyPgliteMigrations(pglite);
    return await pglite.dumpDataDir(compression);
  } finally {
    await pglite.close();
  }
}

/** Writes the template {@link templateFile}: run at install time, after the build. */
export async function writeTemplate(): Promise<void> {
  await mkdir(path.dirname(templateFile), { recursive: true });
  await writeFile(templateFile, Buffer.from(await (await migratedDataDir("gzip")).arrayBuffer()));
}

/** The template, when `npm install` made one; a data directory made from an older one is migrated the rest of the way. */
export async function readTemplate(): Promise<Blob | undefined> {
  return existsSync(templateFile) ? new Blob([await readFile(templateFile)]) : undefined;
}
