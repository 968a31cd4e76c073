// The databases a benchmark runs against: a fresh embedded PGlite directory, or a throwaway database
// on a PostgreSQL server. Each says what a bot process needs in its environment to open it.
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { openDatabase, type Database } from "../src/db/database.js";

export interface Target {
  name: string;
  /** What a bot or dispatcher process needs in its environment to open it. */
  env: Record<string, string>;
  open(): Promise<Database>;
  cleanup(): Promise<void>;
}

export async function pgliteTarget(): Promise<Target> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "ti-bench-"));
  return {
    name: "PGlite",
    env: { DATA_DIR: dataDir, DATABASE_URL: "" },
    open: () => openDatabase({ kind: "pglite", dataDir }),
    cleanup: () => rm(dataDir, { recursive: true, force: true }),
  };
}

/** A new database on the server at `serverUrl` (the user needs CREATEDB), dropped by `cleanup`. */
export async function postgresTarget(serverUrl: string): Promise<Target> {
  const name = `ti_bench_${randomUUID().replace(/-/g, "").slice(0, 12)}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    await client.query(sql).finally(() => client.end());
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    name: "PostgreSQL",
    env: { DATABASE_URL: url.toString() },
    open: () => openDatabase({ kind: "postgres", url: url.toString() }),
    cleanup: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}
