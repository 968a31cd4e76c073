import { createHash, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { PGlite } from "@electric-sql/pglite";

export const migrationsDir = findMigrations(path.dirname(fileURLToPath(import.meta.url)));

/** Up from this module to the project's `prisma/migrations`: src/db/ when run as TypeScript, dist/ when built. */
function findMigrations(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "prisma", "migrations");
    if (existsSync(candidate) || dir === path.dirname(dir)) return candidate;
  }
}

export interface MigrationFile {
  name: string;
  sql: string;
  /** What Prisma records in `_prisma_migrations.checksum`: SHA-256 of the file, hex. */
  checksum: string;
}

/** The migrations under `prisma/migrations`, oldest first, as Prisma orders them (by folder name). */
export async function readMigrations(dir = migrationsDir): Promise<MigrationFile[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    }),
  );
}

/** The smallest surface the runner needs from a database: a multi-statement script and a query. */
export interface MigrationConnection {
  exec(script: string): Promise<void>;
  query<Row>(sql: string, params?: unknown[]): Promise<Row[]>;
}

// Prisma's own DDL, so `prisma migrate deploy` and `prisma migrate status` agree with this runner.
const createHistoryTable = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum"            VARCHAR(64) NOT NULL,
  "finished_at"         TIMESTAMPTZ,
  "migration_name"      VARCHAR(255) NOT NULL,
  "logs"                TEXT,
  "rolled_back_at"      TIMESTAMPTZ,
  "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export class MigrationError extends Error {
  override name = "MigrationError";
}

/**
 * Applies every migration not yet recorded, each in its own transaction, and records it in
 * `_prisma_migrations`. The caller holds whatever lock keeps replicas from running this at once.
 * Returns the names applied.
 */
export async function applyMigrations(db: MigrationConnection, migrations: MigrationFile[]): Promise<string[]> {
  await db.exec(createHistoryTable);
  const applied = await db.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
    `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`,
  );
  const byName = new Map(applied.map((row) => [row.migration_name, row]));
  const done: string[] = [];
  for (const migration of migrations) {
    const previous = byName.get(migration.name);
    if (previous?.finished_at) {
      if (previous.checksum !== migration.checksum) {
        throw new MigrationError(
          `Migration ${migration.name} was changed after it was applied. Add a new migration instead of editing an applied one.`,
        );
      }
      continue;
    }
    if (previous) {
      throw new MigrationError(
        `Migration ${migration.name} started earlier and did not finish. Fix the database by hand, then mark it rolled back.`,
      );
    }
    const id = randomUUID();
    await db.exec("BEGIN");
    try {
      await db.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)`,
        [id, migration.checksum, migration.name],
      );
      await db.exec(migration.sql);
      await db.query(`UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`, [id]);
      await db.exec("COMMIT");
    } catch (error) {
      await db.exec("ROLLBACK");
      throw new MigrationError(`Migration ${migration.name} failed: ${(error as Error).message}`);
    }
    done.push(migration.name);
  }
  return done;
}

/**
 * {@link applyMigrations} on an embedded database this thread holds, which only this process can open, so
 * it needs no lock.
 */
export async function applyPgliteMigrations(pglite: PGlite): Promise<string[]> {
  return applyMigrations(
    {
      exec: async (script) => {
        await pglite.exec(script);
      },
      query: async <Row>(sql: string, params?: unknown[]) => (await pglite.query<Row>(sql, params)).rows,
    },
    await readMigrations(),
  );
}
