// The scheduler on a real database: each (job, slot) runs once however many schedulers ask, a slot
// missed while the bot was down is caught up once at start, and stopping waits for a run in progress
// and for the start's catch-up.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../src/db/database.js";
import { createLogger } from "../src/log.js";
import { dailySlot, type Job } from "../src/core/kernel/job.js";
import { createScheduler, type Scheduler } from "../src/scheduler/scheduler.js";
import { createTestDatabase, usingPostgres, type TestDatabase } from "./support/database.js";

let db: TestDatabase;
const log = createLogger("silent");
const london = "Europe/London";

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await db?.destroy();
});

interface CountingJob extends Job {
  /** The slots this job ran, across every scheduler it was given to. */
  ran: string[];
}

function countingJob(overrides: Partial<Job> = {}, work: () => Promise<void> = async () => {}): CountingJob {
  const ran: string[] = [];
  return {
    id: `test-${randomUUID()}`,
    cron: "30 3 * * *",
    slot: dailySlot,
    run: async ({ slot }) => {
      ran.push(slot);
      await work();
      return `ran ${slot}`;
    },
    ...overrides,
    ran,
  };
}

function scheduler(job: Job, now: () => Date, prisma = db.prisma, timeZone = london): Scheduler {
  return createScheduler({ prisma, jobs: [job], timeZone, log, now });
}

const at = (iso: string) => () => new Date(iso);
/** The job ran here before (on `slot`): from now on a slot it misses is caught up. */
const ranBefore = (job: Job, slot: string, prisma = db.prisma) =>
  prisma.jobRun.create({ data: { job: job.id, slot, finishedAt: new Date(), outcome: "ran earlier" } });
const runsOf = (job: Job) => db.prisma.jobRun.findMany({ where: { job: job.id }, orderBy: { slot: "asc" } });

describe("the scheduler", () => {
  it("runs a slot once when two schedulers on one database ask for it together", async () => {
    const job = countingJob({}, () => new Promise((resolve) => setTimeout(resolve, 50)));
    const now = at("2026-01-15T10:00:00Z");
    const [first, second] = [scheduler(job, now), scheduler(job, now)];
    const results = await Promise.all([first, second, first, second].map((each) => each.runSlot(job.id, now())));
    expect(results.filter((result) => result.ran)).toHaveLength(1);
    expect(job.ran).toEqual(["2026-01-15"]);
    const [row] = await runsOf(job);
    expect(row).toMatchObject({ slot: "2026-01-15", outcome: "ran 2026-01-15" });
    expect(row?.finishedAt).toBeInstanceOf(Date);
  });

  it("catches up a slot missed while the bot was down once, and not again on the next start", async () => {
    const job = countingJob();
    await ranBefore(job, "2026-01-14");
    // 10:00 in London: today's 03:30 has passed and nobody ran it.
    const now = at("2026-01-15T10:00:00Z");
    const [first, second] = [scheduler(job, now), scheduler(job, now)];
    await Promise.all([first.start(), second.start()]);
    await Promise.all([first.stop(), second.stop()]);
    expect(job.ran).toEqual(["2026-01-15"]);

    const restarted = scheduler(job, at("2026-01-15T16:00:00Z"));
    await restarted.start();
    await restarted.stop();
    expect(job.ran).toEqual(["2026-01-15"]);
    expect((await runsOf(job)).map((row) => row.slot)).toEqual(["2026-01-14", "2026-01-15"]);
  });

  it("never runs an older slot after a newer one, when the clock passes a slot while it starts", async () => {
    const job = countingJob();
    await ranBefore(job, "2026-01-14");
    // The 16th's slot ran (its trigger fired) while this start was still looking at the 15th's.
    await ranBefore(job, "2026-01-16");
    let calls = 0;
    const clock = () => new Date(calls++ === 0 ? "2026-01-15T10:00:00Z" : "2026-01-16T10:00:00Z");
    const starting = scheduler(job, clock);
    await starting.start();
    await starting.stop();
    expect(job.ran).toEqual([]);
    expect((await runsOf(job)).map((row) => row.slot)).toEqual(["2026-01-14", "2026-01-16"]);
  });

  it("starts a job new to this database from its next slot: a first start has missed nothing", async () => {
    const job = countingJob();
    const [first, second] = [scheduler(job, at("2026-01-15T10:00:00Z")), scheduler(job, at("2026-01-15T10:00:00Z"))];
    await Promise.all([first.start(), second.start()]);
    await Promise.all([first.stop(), second.stop()]);
    expect(job.ran).toEqual([]);
    expect(await runsOf(job)).toMatchObject([{ slot: "2026-01-15", outcome: expect.stringContaining("not run") }]);

    // Down over the next night: that slot was missed, and is caught up.
    const restarted = scheduler(job, at("2026-01-16T10:00:00Z"));
    await restarted.start();
    await restarted.stop();
    expect(job.ran).toEqual(["2026-01-16"]);
  });

  it("before the day's time, catches up yesterday's slot if nobody ran it", async () => {
    const job = countingJob();
    await ranBefore(job, "2026-01-13");
    const early = scheduler(job, at("2026-01-15T02:00:00Z"));
    await early.start();
    await early.stop();
    expect(job.ran).toEqual(["2026-01-14"]);
  });

  it("leaves a missed slot alone for a job that opts out of catching up", async () => {
    const job = countingJob({ catchUp: false });
    const started = scheduler(job, at("2026-01-15T10:00:00Z"));
    await started.start();
    await started.stop();
    expect(job.ran).toEqual([]);
    expect(await runsOf(job)).toEqual([]);
  });

  it("reads the cron and the slot in the network's time zone", async () => {
    const job = countingJob();
    await ranBefore(job, "2026-01-01");
    // 14:00 UTC on the 15th is 03:00 on the 16th in Auckland: the 16th's 03:30 is still to come,
    // so the slot due is the 15th's (14:30 UTC on the 14th).
    const auckland = scheduler(job, at("2026-01-15T14:00:00Z"), db.prisma, "Pacific/Auckland");
    await auckland.start();
    await auckland.stop();
    expect(job.ran).toEqual(["2026-01-15"]);

    const overridden = countingJob({ timeZone: "Pacific/Auckland" });
    await ranBefore(overridden, "2026-01-01");
    const londonNetwork = scheduler(overridden, at("2026-01-15T14:40:00Z"));
    await londonNetwork.start();
    await londonNetwork.stop();
    expect(overridden.ran).toEqual(["2026-01-16"]);
  });

  it("records a failed run with its reason and doesn't run that slot again", async () => {
    const job = countingJob({}, async () => {
      throw new Error("the database said no\nat line 2");
    });
    const now = at("2026-01-15T10:00:00Z");
    const failing = scheduler(job, now);
    expect(await failing.runSlot(job.id, now())).toMatchObject({ ran: true, failed: true, outcome: "failed: the database said no at line 2" });
    expect(await failing.runSlot(job.id, now())).toEqual({ ran: false, slot: "2026-01-15" });
    const [row] = await runsOf(job);
    expect(row).toMatchObject({ outcome: "failed: the database said no at line 2" });
    expect(row?.finishedAt).toBeInstanceOf(Date);
  });

  it("fires on its cron, each slot once across two schedulers, and stops firing when stopped", async () => {
    const job = countingJob({ cron: "* * * * * *", catchUp: false, slot: (time) => time.toISOString() });
    const [first, second] = [scheduler(job, () => new Date()), scheduler(job, () => new Date())];
    await Promise.all([first.start(), second.start()]);
    await new Promise((resolve) => setTimeout(resolve, 2_300));
    await Promise.all([first.stop(), second.stop()]);
    const ranWhenStopped = job.ran.length;
    expect(ranWhenStopped).toBeGreaterThanOrEqual(2);
    expect(new Set(job.ran).size).toBe(ranWhenStopped);
    // The slot is the second the cron was due, not whenever the run got going.
    expect(job.ran.every((slot) => slot.endsWith(".000Z"))).toBe(true);
    const rows = await runsOf(job);
    expect(rows.map((row) => row.slot)).toEqual([...job.ran].sort());
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(job.ran).toHaveLength(ranWhenStopped);
  });

  it("waits for a run in progress when stopped", async () => {
    let finished = false;
    const job = countingJob({}, async () => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      finished = true;
    });
    const now = at("2026-01-15T10:00:00Z");
    const slow = scheduler(job, now);
    const run = slow.runSlot(job.id, now());
    await new Promise((resolve) => setTimeout(resolve, 50));
    await slow.stop();
    expect(finished).toBe(true);
    expect((await run).ran).toBe(true);
  });

  it("waits for the start's catch-up when stopped at once, so nothing is left writing to a closed database", async () => {
    const job = countingJob();
    const starting = scheduler(job, at("2026-01-15T10:00:00Z"));
    const started = starting.start();
    await starting.stop();
    // The start's record of where the new job begins is written before stop() resolves, not after.
    expect(await runsOf(job)).toMatchObject([{ slot: "2026-01-15", outcome: expect.stringContaining("not run") }]);
    await started;
  });

  it("refuses a job whose cron isn't one", () => {
    expect(() => scheduler(countingJob({ cron: "every night" }), () => new Date())).toThrow(/not a cron expression/);
  });
});

// PGlite runs one statement at a time; only PostgreSQL shows that concurrent claims really race.
describe.runIf(usingPostgres)("the scheduler on PostgreSQL", () => {
  it("runs a slot once when many schedulers on separate connections claim it at the same moment", async () => {
    const replicas = await Promise.all([1, 2, 3].map(() => openDatabase({ kind: "postgres", url: db.url! })));
    try {
      const job = countingJob({}, () => new Promise((resolve) => setTimeout(resolve, 20)));
      const now = at("2026-01-15T10:00:00Z");
      const schedulers = replicas.flatMap((replica) => [1, 2, 3, 4].map(() => scheduler(job, now, replica.prisma)));
      const results = await Promise.all(schedulers.map((each) => each.runSlot(job.id, now())));
      expect(results.filter((result) => result.ran)).toHaveLength(1);
      expect(job.ran).toEqual(["2026-01-15"]);

      const catchUp = countingJob();
      await ranBefore(catchUp, "2026-01-14");
      const starting = replicas.map((replica) => scheduler(catchUp, now, replica.prisma));
      await Promise.all(starting.map((each) => each.start()));
      await Promise.all(starting.map((each) => each.stop()));
      expect(catchUp.ran).toEqual(["2026-01-15"]);
    } finally {
      await Promise.all(replicas.map((replica) => replica.close()));
    }
  });
});
