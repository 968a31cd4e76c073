// A real, migrated, empty database for each test file: PGlite cloned from a migrated template by
// default, or a fresh database on the PostgreSQL server in DATABASE_URL (as CI runs it).
import { randomUUID } from "node:crypto";
import pg from "pg";
import { openDatabase, type Database } from "../../src/db/database.js";
import { migratedDataDir } from "../../src/db/pglite-template.js";

let template: Promise<ArrayBuffer> | undefined;

// Creating a PGlite and migrating it costs seconds; loading a dump of one already migrated is fast.
function migratedTemplate(): Promise<ArrayBuffer> {
  template ??= migratedDataDir().then((dump) => dump.arrayBuffer());
  return template;
}

export const usingPostgres = Boolean(process.env.DATABASE_URL);

export interface TestDatabase extends Database {
  /** Drops what this test file created. */
  destroy(): Promise<void>;
  /** The connection string of this test's own PostgreSQL database (PostgreSQL runs only). */
  url?: string;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  if (!usingPostgres) {
    // In its own thread, as the bot runs it (src/db/pglite-thread.ts).
    const db = await openDatabase({ kind: "pglite", dump: await migratedTemplate() });
    return { ...db, destroy: () => db.close() };
  }
  const serverUrl = new URL(process.env.DATABASE_URL!);
  const name = `ti_test_${randomUUID().replace(/-/g, "").slice(0, 16)}`;
  await withAdmin(serverUrl, (admin) => admin.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = await openDatabase({ kind: "postgres", url: url.toString() });
  return {
    ...db,
    url: url.toString(),
    destroy: async () => {
      await db.close();
      await withAdmin(serverUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

async function withAdmin<T>(url: URL, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}
