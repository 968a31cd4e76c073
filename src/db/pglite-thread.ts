import { Worker } from "node:worker_threads";
import { messages, type PGlite } from "@electric-sql/pglite";
import type { Opened, PgliteSource, Reply, Request, SentError } from "./pglite-worker.js";
import type { RunStatement } from "./sql.js";

/**
 * The embedded database in a thread of its own. PostgreSQL's executor, compiled to WebAssembly, was most of
 * the bot's CPU on PGlite, and it ran on the thread that serves HTTP; there it takes the machine's second
 * core: the update path's two statements answered 886 requests/s in the server's thread and 1,547 to 1,767
 * in a worker (`npm run bench:pglite-thread`, bench/README.md). PGlite's own `PGliteWorker` needs
 * `navigator.locks`, which Node 20 does not have, so the two threads speak the small protocol in
 * pglite-worker.ts.
 */
export interface PgliteThread {
  /** What Prisma's PGlite adapter uses of a PGlite, and nothing else: `query`, `exec` and `transaction`. */
  readonly client: PGlite;
  /** `db.sql`'s statements, prepared once in the database's thread. */
  readonly runStatement: RunStatement;
  readonly applied: string[];
  readonly fromTemplate: boolean;
  close(): Promise<void>;
}

type Call = (request: Request) => Promise<unknown>;

interface QueryOptions {
  rowMode?: "array" | "object";
  /** Parsers by type; they run here, on PostgreSQL's text for those columns, since functions cannot cross threads. */
  parsers?: Record<number, (text: string, type: number) => unknown>;
}

interface Results {
  rows: unknown[];
  fields: { name: string; dataTypeID: number }[];
  affectedRows?: number;
}

/** Starts the database's thread and resolves once it has opened and migrated the database. */
export async function startPgliteThread(source: PgliteSource): Promise<PgliteThread> {
  const worker = spawn(source);
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextCall = 0;
  let closing = false;
  let stopped: Error | undefined;

  const opening = new Promise<{ applied: string[]; fromTemplate: boolean }>((resolve, reject) => {
    const exited = (code: number) => reject(new Error(`The embedded database's thread exited (code ${code}) before it opened the database`));
    worker.once("error", reject);
    worker.once("exit", exited);
    worker.once("message", (message: Opened) => {
      worker.off("error", reject);
      worker.off("exit", exited);
      if ("opened" in message) resolve(message.opened);
      else reject(rebuild(message.failed));
    });
  });
  const opened = await opening.catch(async (error: unknown) => {
    await worker.terminate();
    throw error;
  });

  worker.on("message", (reply: Reply) => {
    const call = waiting.get(reply.id)!;
    waiting.delete(reply.id);
    if ("error" in reply) call.reject(rebuild(reply.error));
    else call.resolve(reply.value);
  });
  worker.on("error", (error) => (stopped = error));
  worker.on("exit", (code) => {
    if (closing) return;
    stopped ??= new Error(`The embedded database's thread exited (code ${code})`);
    for (const call of waiting.values()) call.reject(stopped);
    waiting.clear();
    // Nothing can reach the data any more: the process stops for its supervisor (or the person who ran
    // `npm start`) to start it again, rather than answering every request with an error (process-guard.ts).
    throw new Error("The embedded database stopped unexpectedly", { cause: stopped });
  });

  const call: Call = (request) => {
    if (stopped) return Promise.reject(stopped);
    if (closing) return Promise.reject(new Error("The embedded database is closed"));
    return new Promise((resolve, reject) => {
      const id = nextCall++;
      waiting.set(id, { resolve, reject });
      worker.postMessage({ id, ...request });
    });
  };

  return {
    // Prisma's adapter is typed for a whole PGlite; it calls only what `ThreadClient` has.
    client: pgliteClient(call) as unknown as PGlite,
    runStatement: (statement) => call({ op: "statement", ...statement }) as Promise<unknown[]>,
    ...opened,
    async close() {
      if (closing) return;
      try {
        await call({ op: "close" });
      } finally {
        closing = true;
        await worker.terminate();
      }
    },
  };
}

function spawn(source: PgliteSource): Worker {
  const entry = new URL(import.meta.url.endsWith(".ts") ? "./pglite-worker.ts" : "./pglite-worker.js", import.meta.url);
  if (entry.pathname.endsWith(".js")) return new Worker(entry, { workerData: source });
  // Run as TypeScript (tests, benchmarks, the CLIs): the thread loads it through tsx, as this one did.
  const tsx = import.meta.resolve("tsx/esm/api");
  return new Worker(`import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); })`, {
    eval: true,
    workerData: source,
  });
}

/** What Prisma's adapter calls on a PGlite, and on a transaction it opened. */
interface Client {
  query(sql: string, params?: unknown[], options?: QueryOptions): Promise<Results>;
  exec(sql: string): Promise<Results[]>;
}
interface TransactionClient extends Client {
  rollback(): Promise<void>;
}
interface ThreadClient extends Client {
  transaction<T>(work: (tx: TransactionClient) => Promise<T>): Promise<T>;
}

/** The part of PGlite that Prisma's adapter calls, on the database's thread; `tx` when inside a transaction. */
function pgliteClient(call: Call, tx?: number): ThreadClient {
  return {
    async query(sql: string, params: unknown[] = [], options: QueryOptions = {}): Promise<Results> {
      const parsers = options.parsers ?? {};
      const textTypes = typesOf(parsers);
      const results = (await call({ op: "query", sql, params, rowMode: options.rowMode, textTypes, tx })) as Results;
      parseText(results, parsers, options.rowMode);
      return results;
    },
    exec: (sql: string) => call({ op: "exec", sql, tx }) as Promise<Results[]>,
    async transaction<T>(work: (tx: TransactionClient) => Promise<T>): Promise<T> {
      const number = (await call({ op: "begin" })) as number;
      const inside = {
        ...pgliteClient(call, number),
        rollback() {
          const rolledBack = call({ op: "rollback", tx: number }) as Promise<void>;
          rolledBack.catch(() => {}); // the adapter does not wait for it; `end` reports a failure
          return rolledBack;
        },
      };
      let result: T;
      try {
        result = await work(inside);
      } catch (error) {
        await call({ op: "end", tx: number, commit: false });
        throw error;
      }
      await call({ op: "end", tx: number, commit: true });
      return result;
    },
  };
}

const parsedTypes = new WeakMap<object, number[]>();

/** The types a parsers object is for; Prisma's adapter passes the same object with every query. */
function typesOf(parsers: NonNullable<QueryOptions["parsers"]>): number[] {
  let types = parsedTypes.get(parsers);
  if (!types) {
    types = Object.keys(parsers).map(Number);
    parsedTypes.set(parsers, types);
  }
  return types;
}

function parseText(results: Results, parsers: NonNullable<QueryOptions["parsers"]>, rowMode: QueryOptions["rowMode"]): void {
  results.fields.forEach(({ name, dataTypeID }, column) => {
    const parse = parsers[dataTypeID];
    if (!parse) return;
    const key = rowMode === "array" ? column : name;
    for (const row of results.rows as Record<string | number, unknown>[]) {
      const text = row[key];
      if (text !== null && text !== undefined) row[key] = parse(text as string, dataTypeID);
    }
  });
}

/** The error the database's thread sent, as the same class: the adapter maps PostgreSQL's errors by it. */
function rebuild(sent: SentError): Error {
  const error: Error = sent.database ? Object.assign(new messages.DatabaseError(sent.message, sent.database.length, "error"), sent.database.fields) : new Error(sent.message);
  if (!sent.database) error.name = sent.name;
  if (sent.stack) error.stack = sent.stack;
  return error;
}
