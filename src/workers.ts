import cluster, { type Worker } from "node:cluster";
import { availableParallelism } from "node:os";
import type { Logger } from "./log.js";

/**
 * TI_WORKERS: how many HTTP processes share the port. "auto" is one a CPU on PostgreSQL and one on the
 * embedded database, which lives inside a single process.
 */
export function workerCount(setting: number | "auto", database: "pglite" | "postgres"): number {
  if (setting !== "auto") return setting;
  return database === "postgres" ? availableParallelism() : 1;
}

/** The one-line refusal for several workers on the embedded database, or nothing when the setting is fine. */
export function pgliteRefusal(setting: number | "auto", database: "pglite" | "postgres"): string | undefined {
  if (database === "postgres" || setting === "auto" || setting === 1) return undefined;
  return `TI_WORKERS=${setting} needs PostgreSQL: the embedded database lives inside one process. Set DATABASE_URL, or unset TI_WORKERS.`;
}

/** What this process does: every process serves requests; only one runs the scheduler and the dispatcher. */
export interface WorkerRole {
  /** Runs the scheduler, the dispatcher and broadcast progress (a lone process, or worker 1 of N). */
  readonly background: boolean;
  /** In a worker without the dispatcher: tells the one that has it that deliveries were queued. */
  readonly wakeDispatcher?: () => void;
  /** In the worker with the dispatcher: calls `wake` when another worker queued deliveries. */
  onDeliveriesQueued(wake: () => void): void;
}

const workerIndexVariable = "TI_WORKER_INDEX";
const deliveriesQueued = "ti:deliveries-queued";

export function workerRole(): WorkerRole {
  if (!cluster.isWorker) return { background: true, onDeliveriesQueued: () => {} };
  const background = process.env[workerIndexVariable] === "1";
  return {
    background,
    ...(background ? {} : { wakeDispatcher: () => process.send?.({ type: deliveriesQueued }) }),
    onDeliveriesQueued: (wake) => {
      process.on("message", (message: { type?: string }) => {
        if (message?.type === deliveriesQueued) wake();
      });
    },
  };
}

// A worker that keeps dying waits longer each time, up to half a minute; one that ran a minute starts afresh.
const firstRestartMs = 1_000;
const longestRestartMs = 30_000;
const settledAfterMs = 60_000;
const shutdownGraceMs = 15_000;

/**
 * The primary of TI_WORKERS processes: forks them (worker 1 runs the scheduler and dispatcher, see
 * {@link WorkerRole}), relays "deliveries queued" to worker 1, restarts a worker that dies (with a
 * backoff) unless it is stopping, and on SIGTERM or SIGINT stops every worker, letting requests in
 * flight finish, then exits 0 if they all stopped cleanly.
 */
export function superviseWorkers({ count, log }: { count: number; log: Logger }): void {
  const workers = new Map<number, Worker>();
  const restarts = new Map<number, number>();
  let stopping = false;
  let exitCode = 0;
  let anyListening = false;
  let listening = 0;

  function fork(index: number): void {
    const worker = cluster.fork({ [workerIndexVariable]: String(index) });
    const startedAt = Date.now();
    workers.set(index, worker);
    worker.on("message", (message: { type?: string }) => {
      if (message?.type === deliveriesQueued) workers.get(1)?.send({ type: deliveriesQueued });
    });
    worker.once("listening", (address) => {
      anyListening = true;
      if (++listening !== count) return;
      const host = address.address ?? "127.0.0.1";
      log.info({ workers: count, url: `http://${host}:${address.port}` }, `ti-champions is serving on http://${host}:${address.port} with ${count} workers`);
    });
    worker.once("exit", (code, signal) => {
      workers.delete(index);
      if (!anyListening && !stopping) {
        // Not one worker has started: a setting or the database is at fault, and restarting won't mend it.
        log.fatal({ worker: index, code, signal }, `worker ${index} could not start; stopping`);
        exitCode = 1;
        shutdown("SIGTERM");
      }
      if (stopping) {
        // A worker still starting has no handler yet: the signal ends it, with nothing in flight to lose.
        if (code !== 0 && signal !== "SIGTERM" && signal !== "SIGINT") exitCode = 1;
        if (workers.size === 0) finish();
        return;
      }
      const failures = Date.now() - startedAt >= settledAfterMs ? 0 : (restarts.get(index) ?? 0);
      const delayMs = Math.min(longestRestartMs, firstRestartMs * 2 ** failures);
      restarts.set(index, failures + 1);
      log.error({ worker: index, pid: worker.process.pid, code, signal, restartInMs: delayMs }, `worker ${index} stopped unexpectedly; starting another in ${delayMs / 1000} s`);
      setTimeout(() => {
        if (!stopping) fork(index);
      }, delayMs);
    });
  }

  function finish(): void {
    log.info("Stopped");
    process.exit(exitCode);
  }

  function shutdown(signal: NodeJS.Signals): void {
    if (stopping) return;
    stopping = true;
    log.info({ signal, workers: workers.size }, "Stopping: each worker finishes its requests in flight");
    if (workers.size === 0) return finish();
    for (const worker of workers.values()) worker.process.kill(signal);
    setTimeout(() => {
      log.error("Workers still running after 15 s; stopping them.");
      for (const worker of workers.values()) worker.process.kill("SIGKILL");
      process.exit(1);
    }, shutdownGraceMs).unref();
  }

  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
  log.info({ workers: count }, `Starting ${count} workers (TI_WORKERS)`);
  for (let index = 1; index <= count; index++) fork(index);
}
