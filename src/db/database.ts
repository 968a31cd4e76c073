import type { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "./generated/client.js";
import { applyMigrations, applyPgliteMigrations, readMigrations } from "./migrations.js";
import { preparedStatements } from "./pglite-statements.js";
import { startPgliteThread } from "./pglite-thread.js";
import type { PgliteSource } from "./pglite-worker.js";
import { createSql, type Sql } from "./sql.js";

export type Prisma = PrismaClient;

export interface Database {
  readonly prisma: PrismaClient;
  /** The same database through its driver, for the statements on the interactive path (see sql.ts). */
  readonly sql: Sql;
  readonly kind: "pglite" | "postgres";
  /** The migrations this start applied (empty when the database was up to date). */
  readonly applied: string[];
  /** An embedded database created by this start from the template `npm install` made (see pglite-template.ts). */
  readonly fromTemplate?: boolean;
  /** Resolves when the database answers a query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export type DatabaseOptions =
  | { kind: "pglite"; dataDir: string }
  /** An in-memory database loaded from a dump (tests: a migrated template). */
  | { kind: "pglite"; dump: ArrayBuffer }
  /** A PGlite this thread already holds, for tests that look at it directly (the schema's drift check). */
  | { kind: "pglite"; pglite: PGlite }
  | { kind: "postgres"; url: string };

// Any constant works: it only has to be the same in every replica of this app.
const migrationLockKey = 7_243_001;

/**
 * Opens the database, applies pending migrations, and returns a Prisma client on it.
 * PGlite (embedded, in a thread of this process: pglite-thread.ts) when there is no `DATABASE_URL`,
 * PostgreSQL when there is.
 */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.kind === "postgres") return openPostgres(options.url);
  return "pglite" in options ? openPgliteHere(options.pglite) : openPgliteThread(options);
}

async function openPgliteThread(source: PgliteSource): Promise<Database> {
  const thread = await startPgliteThread(source);
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(thread.client) });
  return {
    prisma,
    sql: createSql(thread.runStatement),
    kind: "pglite",
    applied: thread.applied,
    fromTemplate: thread.fromTemplate,
    ping: async () => {
      await thread.client.query("SELECT 1");
    },
    close: async () => {
      await prisma.$disconnect();
      await thread.close();
    },
  };
}

async function openPgliteHere(pglite: PGlite): Promise<Database> {
  const applied = await applyPgliteMigrations(pglite);
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  return {
    prisma,
    sql: createSql(preparedStatements(pglite)),
    kind: "pglite",
    applied,
    ping: async () => {
      await pglite.query("SELECT 1");
    },
    close: async () => {
      await prisma.$disconnect();
      await pglite.close();
    },
  };
}

async function openPostgres(url: string): Promise<Database> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let applied: string[];
  try {
    // A session lock: replicas starting together wait here, and each migration is applied once.
    await client.query("SELECT pg_advisory_lock($1)", [migrationLockKey]);
    applied = await applyMigrations(
      {
        exec: async (script) => {
          await client.query(script);
        },
        query: async <Row>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as Row[],
      },
      await readMigrations(),
    );
    await client.query("SELECT pg_advisory_unlock($1)", [migrationLockKey]);
  } finally {
    await client.end();
  }
  // One pool for Prisma and for `sql`: Prisma's adapter sets its type parsers per query, so ours see pg's own.
  const pool = new pg.Pool({ connectionString: url });
  // A connection that drops while idle is replaced at the next query; unheard, pg's 'error' would end the process.
  pool.on("error", () => {});
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    prisma,
    sql: createSql(async (statement) => (await pool.query(statement)).rows),
    kind: "postgres",
    applied,
    ping: async () => {
      await prisma.$queryRaw`SELECT 1`;
    },
    close: async () => {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}
