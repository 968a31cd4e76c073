// The embedded database's own thread (see pglite-thread.ts, which starts it): opens PGlite on the data
// directory, applies pending migrations, then runs what the bot's thread asks of it, one message at a time.
// Plain data crosses between the threads: values and rows, and errors rebuilt on the other side.
import { mkdir } from "node:fs/promises";
import { existsSync } from "node:fs";
import path from "node:path";
import { parentPort, workerData } from "node:worker_threads";
import { PGlite, messages, type Transaction } from "@electric-sql/pglite";
import { applyPgliteMigrations } from "./migrations.js";
import { preparedStatements } from "./pglite-statements.js";
import { readTemplate } from "./pglite-template.js";

/** Where the database is: a data directory, or (tests) a migrated dump to load in memory. */
export type PgliteSource = { dataDir: string } | { dump: ArrayBuffer };

export type Request =
  /** PGlite's `query`; columns whose type is in `textTypes` come back as PostgreSQL's text for the caller to parse. */
  | { op: "query"; sql: string; params: unknown[]; rowMode?: "array" | "object"; textTypes: number[]; tx?: number }
  | { op: "exec"; sql: string; tx?: number }
  /** One of `db.sql`'s statements, prepared once (pglite-statements.ts). */
  | { op: "statement"; name: string; text: string; values: unknown[] }
  /** Opens a transaction and answers with its number once it has begun. */
  | { op: "begin" }
  | { op: "rollback"; tx: number }
  /** Ends a transaction: commits it, or rolls it back when the caller's work failed. */
  | { op: "end"; tx: number; commit: boolean }
  | { op: "close" };

export type Reply = { id: number; value: unknown } | { id: number; error: SentError };

export type Opened = { opened: { applied: string[]; fromTemplate: boolean } } | { failed: SentError };

/** An error as it crosses: PostgreSQL's fields when the database raised it, so the other side can rebuild it. */
export interface SentError {
  message: string;
  name: string;
  stack?: string;
  database?: { length: number; fields: Record<string, unknown> };
}

function sendable(error: unknown): SentError {
  if (error instanceof messages.DatabaseError) {
    // Everything PostgreSQL said (code, detail, constraint...) and the statement; not the query's options,
    // which hold parser functions and cannot cross.
    const { length, name, queryOptions: _options, ...fields } = error as messages.DatabaseError & { queryOptions?: unknown };
    return { message: error.message, name, stack: error.stack, database: { length, fields } };
  }
  return error instanceof Error ? { message: error.message, name: error.name, stack: error.stack } : { message: String(error), name: "Error" };
}

// PGlite's default is PostgreSQL's 128MB, held inside its WebAssembly memory and never given back: ~110 MB
// of the embedded bot's RSS. Its data files still sit in the operating system's page cache, and a
// network's working set is a few megabytes.
const sharedBuffers = "16MB";

async function open(source: PgliteSource): Promise<{ pglite: PGlite; fromTemplate: boolean }> {
  if ("dump" in source) return { pglite: await PGlite.create({ loadDataDir: new Blob([source.dump]) }), fromTemplate: false };
  await mkdir(source.dataDir, { recursive: true });
  const template = existsSync(path.join(source.dataDir, "PG_VERSION")) ? undefined : await readTemplate();
  const pglite = await PGlite.create({
    dataDir: source.dataDir,
    ...(template ? { loadDataDir: template } : {}),
    startParams: [...PGlite.defaultStartParams, "-c", `shared_buffers=${sharedBuffers}`],
  });
  return { pglite, fromTemplate: template !== undefined };
}

/** Each open transaction: how to end it, and its work so far, which its next request waits for. */
interface Open {
  tx: Transaction;
  end: (commit: boolean) => void;
  ended: Promise<void>;
  last: Promise<unknown>;
}

const rolledBack = Symbol("rolled back");

const asText = (text: string) => text;
const textParsers = new Map<string, Record<number, typeof asText>>();

/** Parsers that leave these types' columns as PostgreSQL's text; the same few lists come every time. */
function keepingText(types: number[]): Record<number, typeof asText> {
  const key = types.join();
  let parsers = textParsers.get(key);
  if (!parsers) {
    parsers = Object.fromEntries(types.map((type) => [type, asText]));
    textParsers.set(key, parsers);
  }
  return parsers;
}

function serve(pglite: PGlite): (request: Request) => Promise<unknown> {
  const runStatement = preparedStatements(pglite);
  const transactions = new Map<number, Open>();
  let nextTransaction = 0;

  // Requests in one transaction run in the order sent: Prisma's adapter sends a rollback and then ends the
  // transaction without waiting in between.
  function inTransaction<T>(number: number, work: (open: Open) => Promise<T>): Promise<T> {
    const open = transactions.get(number);
    if (!open) return Promise.reject(new Error(`Transaction ${number} is closed`));
    const done = open.last.then(() => work(open));
    open.last = done.catch(() => {});
    return done;
  }

  function begin(): Promise<number> {
    const number = nextTransaction++;
    return new Promise((begun, failed) => {
      const ended = pglite
        .transaction(async (tx) => {
          const decided = new Promise<boolean>((end) => transactions.set(number, { tx, end, ended, last: Promise.resolve() }));
          begun(number);
          if (!(await decided)) throw rolledBack;
        })
        .catch((error: unknown) => {
          if (error !== rolledBack) throw error;
        })
        .finally(() => transactions.delete(number));
      ended.catch(failed); // BEGIN itself failed: nothing was begun
    });
  }

  return async (request) => {
    switch (request.op) {
      case "query": {
        const { sql, params, rowMode, textTypes } = request;
        const parsers = keepingText(textTypes);
        const run = (on: Pick<PGlite, "query">) => on.query(sql, params, { rowMode, parsers });
        const { rows, fields, affectedRows } = request.tx === undefined ? await run(pglite) : await inTransaction(request.tx, ({ tx }) => run(tx));
        return { rows, fields, affectedRows };
      }
      case "exec": {
        const { sql } = request;
        const results = request.tx === undefined ? await pglite.exec(sql) : await inTransaction(request.tx, ({ tx }) => tx.exec(sql));
        return results.map(({ rows, fields, affectedRows }) => ({ rows, fields, affectedRows }));
      }
      case "statement":
        return runStatement(request);
      case "begin":
        return begin();
      case "rollback":
        return inTransaction(request.tx, ({ tx }) => tx.rollback());
      case "end":
        return inTransaction(request.tx, async ({ end, ended }) => {
          end(request.commit);
          await ended;
        });
      case "close":
        await pglite.close();
        return undefined;
    }
  };
}

if (parentPort) {
  const port = parentPort;
  try {
    const { pglite, fromTemplate } = await open(workerData as PgliteSource);
    // PGlite holds its data directory exclusively, so no other process can be migrating it.
    const applied = await applyPgliteMigrations(pglite);
    const handle = serve(pglite);
    port.on("message", ({ id, ...request }: Request & { id: number }) => {
      handle(request).then(
        (value) => port.postMessage({ id, value } satisfies Reply),
        (error: unknown) => port.postMessage({ id, error: sendable(error) } satisfies Reply),
      );
    });
    port.postMessage({ opened: { applied, fromTemplate } } satisfies Opened);
  } catch (error) {
    port.postMessage({ failed: sendable(error) } satisfies Opened);
  }
}
