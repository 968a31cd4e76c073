import { CronExpressionParser } from "cron-parser";
import cron, { type ScheduledTask } from "node-cron";
import type { PrismaClient } from "../db/generated/client.js";
import type { Logger } from "../log.js";
import type { Job } from "../core/kernel/job.js";

export interface SchedulerOptions {
  prisma: PrismaClient;
  jobs: readonly Job[];
  /** The network's time zone: crons read in it unless a job names its own. */
  timeZone: string;
  log: Logger;
  now?: () => Date;
  /** How long after a slot could not be claimed (the database was away) it is tried again; doubles each time, up to 5 minutes. */
  retryMs?: number;
}

/** What asking for a slot came to: run here (with its outcome), or already claimed elsewhere. */
export type SlotRun = { ran: true; slot: string; outcome: string; failed: boolean } | { ran: false; slot: string };

export interface Scheduler {
  /**
   * Schedules every job, then catches up missed slots; resolves once those catch-up runs are done. A job
   * that has never run on this database has missed nothing: it starts from its next slot.
   */
  start(): Promise<void>;
  /** Stops the cron triggers and waits for runs in progress. */
  stop(): Promise<void>;
  /** Claims the slot `at` falls in and runs the job if this call claimed it. */
  runSlot(jobId: string, at: Date): Promise<SlotRun>;
}

/** How far back start-up looks for a missed slot. */
const catchUpMs = 8 * 24 * 60 * 60_000;
const outcomeLength = 500;

/**
 * Runs jobs on node-cron triggers, each slot once across replicas (see {@link Job}).
 *
 * @example
 * const scheduler = createScheduler({ prisma, jobs: [retentionJob(...)], timeZone: "Europe/London", log });
 * void scheduler.start();
 * // on shutdown
 * await scheduler.stop();
 */
export function createScheduler({ prisma, jobs, timeZone, log, now = () => new Date(), retryMs = 15_000 }: SchedulerOptions): Scheduler {
  for (const job of jobs) {
    if (!cron.validate(job.cron)) throw new Error(`job ${job.id}: "${job.cron}" is not a cron expression`);
  }
  const byId = new Map(jobs.map((job) => [job.id, job]));
  const tasks: ScheduledTask[] = [];
  const running = new Set<Promise<SlotRun>>();
  /** Per job, the one slot waiting to be tried again; the job's next trigger takes its place (a run does all that is due). */
  const retries = new Map<string, NodeJS.Timeout>();
  let stopped = false;
  /** The start's catch-up, which stop() waits for like a run in progress. */
  let catchingUp: Promise<unknown> = Promise.resolve();

  const zoneOf = (job: Job) => job.timeZone ?? timeZone;

  async function claim(job: Job, slot: string): Promise<boolean> {
    const inserted = await prisma.$executeRaw`
      INSERT INTO "JobRun" ("job", "slot", "claimedAt") VALUES (${job.id}, ${slot}, ${now()})
      ON CONFLICT DO NOTHING`;
    return inserted === 1;
  }

  async function runClaimed(job: Job, slot: string, at: Date): Promise<SlotRun> {
    const started = Date.now();
    const jobLog = log.child({ job: job.id, slot });
    let outcome: string;
    let failed = false;
    try {
      outcome = await job.run({ slot, at, log: jobLog });
    } catch (error) {
      failed = true;
      outcome = `failed: ${error instanceof Error ? error.message : String(error)}`;
      jobLog.error({ err: error }, "scheduled job failed");
    }
    outcome = outcome.replace(/\s+/g, " ").trim().slice(0, outcomeLength);
    await prisma.jobRun.update({ where: { job_slot: { job: job.id, slot } }, data: { finishedAt: now(), outcome } });
    if (!failed) jobLog.info({ ms: Date.now() - started, outcome }, "scheduled job ran");
    return { ran: true, slot, outcome, failed };
  }

  function runSlot(jobId: string, at: Date): Promise<SlotRun> {
    const job = byId.get(jobId);
    if (!job) return Promise.reject(new Error(`no job ${jobId}`));
    const slot = job.slot(at, zoneOf(job));
    const run = (async (): Promise<SlotRun> => {
      if (!(await claim(job, slot))) return { ran: false, slot };
      return runClaimed(job, slot, at);
    })();
    running.add(run);
    void run.then(
      () => running.delete(run),
      () => running.delete(run),
    );
    return run;
  }

  // A trigger or catch-up that could not run (the database is away) is tried again until it can, so a
  // slot that fell due during an outage runs once the database is back, with no restart.
  async function quietly(job: Job, at: Date, attempt = 0): Promise<void> {
    if (stopped) return;
    clearTimeout(retries.get(job.id));
    retries.delete(job.id);
    try {
      await runSlot(job.id, at);
    } catch (error) {
      const delayMs = Math.min(retryMs * 2 ** attempt, 5 * 60_000);
      log.error({ err: error, job: job.id, retryInMs: delayMs }, "could not run a scheduled job; trying its slot again shortly");
      if (!stopped) retries.set(job.id, setTimeout(() => void quietly(job, at, attempt + 1), delayMs));
    }
  }

  async function catchUp(job: Job): Promise<void> {
    const due = latestDue(job.cron, zoneOf(job), now());
    if (!due) return;
    const ranHere = await prisma.jobRun.findFirst({ where: { job: job.id }, select: { slot: true } });
    if (!ranHere) return markStart(job, due);
    // The clock may have passed another slot while this start was looking (its trigger runs it): catch
    // up the newest slot due, never an older one after a newer, which would send old news late.
    await quietly(job, latestDue(job.cron, zoneOf(job), now()) ?? due);
  }

  // A job starting here for the first time (a new network, or a job new in this version) missed
  // nothing: its latest slot is recorded as not run, so a new network isn't sent a pulse at first start.
  async function markStart(job: Job, due: Date): Promise<void> {
    const slot = job.slot(due, zoneOf(job));
    try {
      await prisma.$executeRaw`
        INSERT INTO "JobRun" ("job", "slot", "claimedAt", "finishedAt", "outcome")
        VALUES (${job.id}, ${slot}, ${now()}, ${now()}, ${"not run: the job started here after this slot; it runs from the next one"})
        ON CONFLICT DO NOTHING`;
    } catch (error) {
      log.error({ err: error, job: job.id }, "could not record where a new job starts");
    }
  }

  return {
    runSlot,
    async start() {
      stopped = false;
      const pending: Job[] = [];
      for (const job of jobs) {
        const task = cron.schedule(job.cron, (context) => quietly(job, context.date), {
          name: `ti:${job.id}`,
          timezone: zoneOf(job),
          // node-cron skips a trigger that fires over a second late (a busy or sleeping host); allow minutes.
          missedExecutionTolerance: 5 * 60_000,
          logger: cronLogger(log),
        });
        task.on("execution:missed", (context) => log.warn({ job: job.id, at: context.date }, "a scheduled slot was missed; the next start or slot makes it good"));
        tasks.push(task);
        if (job.catchUp !== false) pending.push(job);
      }
      catchingUp = Promise.all(pending.map((job) => catchUp(job)));
      await catchingUp;
    },
    async stop() {
      stopped = true;
      for (const retry of retries.values()) clearTimeout(retry);
      retries.clear();
      await Promise.all(tasks.splice(0).map((task) => task.destroy()));
      // The start's catch-up too: the app closes the database once this resolves.
      await Promise.allSettled([catchingUp, ...running]);
    },
  };
}

/**
 * The latest time at or before `now` that the cron matches in `timeZone`, within {@link catchUpMs}.
 * cron-parser steps back field by field; trying each minute with node-cron's matcher took about 0.25 s
 * of CPU for a weekly job, for each job, at every start.
 */
function latestDue(expression: string, timeZone: string, now: Date): Date | undefined {
  const previous = CronExpressionParser.parse(expression, { currentDate: new Date(now.getTime() + 1), tz: timeZone }).prev().toDate();
  return now.getTime() - previous.getTime() <= catchUpMs ? previous : undefined;
}

function cronLogger(log: Logger) {
  return {
    info: (message: string) => log.debug(message),
    debug: (message: string | Error) => log.debug(message instanceof Error ? { err: message } : {}, String(message)),
    warn: (message: string) => log.warn(message),
    error: (message: string | Error, err?: Error) => log.error({ err: err ?? message }, String(message)),
  };
}
