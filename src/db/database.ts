import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "./generated/client.js";
import { applyMigrations, readMigrations, type MigrationConnection } from "./migrations.js";
import { preparedStatements } from "./pglite-statements.js";
import { readTemplate } from "./pglite-template.js";
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
  | { kind: "pglite"; pglite: PGlite }
  | { kind: "postgres"; url: string };

// PGlite's default is PostgreSQL's 128MB, held inside its WebAssembly memory and never given back: ~110 MB
// of the embedded bot's RSS. Its data files still sit in the operating system's page cache, and a
// network's working set is a few megabytes.
const pgliteSharedBuffers = "16MB";

// Any constant works: it only has to be the same in every replica of this app.
const migrationLockKey = 7_243_001;

/**
 * Opens the database, applies pending migrations, and returns a Prisma client on it.
 * PGlite (embedded, in-process) when there is no `DATABASE_URL`, PostgreSQL when there is.
 */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.kind === "postgres" ? openPostgres(options.url) : openPglite(options);
}

async function openPglite(options: { dataDir: string } | { pglite: PGlite }): Promise<Database> {
  let pglite: PGlite;
  let fromTemplate = false;
  if ("pglite" in options) {
    pglite = options.pglite;
  } else {
    await mkdir(options.dataDir, { recursive: true });
    const template = existsSync(path.join(options.dataDir, "PG_VERSION")) ? undefined : await readTemplate();
    fromTemplate = template !== undefined;
    pglite = await PGlite.create({
      dataDir: options.dataDir,
      ...(template ? { loadDataDir: template } : {}),
      startParams: [...PGlite.defaultStartParams, "-c", `shared_buffers=${pgliteSharedBuffers}`],
    });
  }
  const connection: MigrationConnection = {
    exec: async (script) => {
      await pglite.exec(script);
    },
    query: async <Row>(sql: string, params?: unknown[]) => (await pglite.query<Row>(sql, params)).rows,
  };
  // PGlite holds its data directory exclusively, so no other process can be migrating it.
  const applied = await applyMigrations(connection, await readMigrations());
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  const runPrepared = preparedStatements(pglite);
  return {
    prisma,
    sql: createSql(async (statement) => {
      // PGlite runs inside this event loop and its promises settle at once, so requests awaiting it run
      // back to back as microtasks, and Node drains those after each connection it accepts and each
      // socket it reads: with 50 connections opened together, the last were accepted seconds late
      // (bench:ack). Starting each statement from the event loop's check phase lets it get to them.
      await new Promise((resolve) => setImmediate(resolve));
      return runPrepared(statement);
    }),
    kind: "pglite",
    applied,
    fromTemplate,
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
