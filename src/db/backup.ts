import { spawn } from "node:child_process";
import { access, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";

/** Where the data lives: the embedded database's directory, or a PostgreSQL connection string. */
export type DatabaseLocation = { kind: "pglite"; dataDir: string } | { kind: "postgres"; url: string };

/**
 * Writes a consistent copy of the whole database to `file`. The embedded database is copied from its
 * data directory, which PGlite holds exclusively, so the bot must be stopped first; PostgreSQL is
 * dumped with `pg_dump` (custom format) from one snapshot while the bot keeps running.
 *
 * @example
 * await backupDatabase({ kind: "pglite", dataDir: "./data" }, "backups/ti-champions.tar.gz");
 */
export async function backupDatabase(location: DatabaseLocation, file: string): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  if (location.kind === "postgres") return run("pg_dump", ["--format=custom", "--no-owner", `--file=${file}`, `--dbname=${location.url}`]);
  if (!(await exists(path.join(location.dataDir, "PG_VERSION")))) throw new Error(`There is no embedded database in ${location.dataDir} to back up.`);
  const pglite = await PGlite.create(location.dataDir);
  try {
    const dump = await pglite.dumpDataDir("gzip");
    await writeFile(file, Buffer.from(await dump.arrayBuffer()));
  } finally {
    await pglite.close();
  }
}

/**
 * Brings a backup back into an empty place: a data directory that is new or empty, or a PostgreSQL
 * database with no tables. It refuses anything else, so a restore never mixes two networks' data.
 */
export async function restoreDatabase(file: string, location: DatabaseLocation): Promise<void> {
  await access(file);
  if (location.kind === "postgres") {
    if (await hasTables(location.url)) throw new Error("That PostgreSQL database already has tables; restore into an empty database.");
    return run("pg_restore", ["--no-owner", "--exit-on-error", `--dbname=${location.url}`, file]);
  }
  const entries = await readdir(location.dataDir).catch(() => []);
  if (entries.length > 0) throw new Error(`${location.dataDir} is not empty; restore into a new data directory (move the old one aside first).`);
  await mkdir(location.dataDir, { recursive: true });
  const pglite = await PGlite.create({ dataDir: location.dataDir, loadDataDir: new Blob([await readFile(file)]) });
  await pglite.close();
}

async function hasTables(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query("SELECT count(*)::int AS count FROM information_schema.tables WHERE table_schema = current_schema()");
    return rows[0].count > 0;
  } finally {
    await client.end();
  }
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "inherit", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", (error: NodeJS.ErrnoException) =>
      reject(error.code === "ENOENT" ? new Error(`${command} was not found: install PostgreSQL's client tools (Debian: postgresql-client).`) : error),
    );
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`${command} failed (exit ${code}): ${stderr.trim()}`))));
  });
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}
