// `npm run bench:nudges`: one nudge run over 100 organisations and 5,000 champions in mixed states, timed
// on PGlite and (with BENCH_DATABASE_URL or DATABASE_URL) on PostgreSQL. Seeding is set-based SQL; the
// run itself is the core's `runReportNudges`, exactly as the `reports-nudges` job calls it.
//
// States: of 100 organisations, 20 have submitted their report, 20 have a draft, 10 handed it to one
// champion; of the champions, 10% left, 5% have no reachable address, 10% stopped the nudges and 10%
// snoozed them. Three runs are timed: the first stage (a week before the due day, nothing sent yet),
// the due day (every previous stage already delivered, so caps and keys are checked), and the due day
// again (everything already queued: a replica's or a repeated run, which must queue nothing).
import { ensureNetwork } from "../src/core/network.js";
import type { CoreContext } from "../src/core/kernel/context.js";
import { openCycle } from "../src/core/reports/open-cycle.js";
import { runReportNudges } from "../src/core/reports/report-nudges.js";
import type { PrismaClient } from "../src/db/generated/client.js";
import { pgliteTarget, postgresTarget, type Target } from "./targets.js";
import { coreContext } from "../test/support/core-context.js";

const organisations = Number(process.env.BENCH_ORGANISATIONS ?? 100);
const champions = Number(process.env.BENCH_CHAMPIONS ?? 5_000);
const postgresUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;

interface RunFigures {
  run: string;
  ms: number;
  requests: number;
  queued: number;
  heapGrowthMb: number;
}

async function seed(prisma: PrismaClient, networkId: string): Promise<void> {
  const now = new Date("2026-11-23T10:00:00Z");
  await prisma.$executeRaw`
    INSERT INTO "Organisation" ("id", "networkId", "name", "sector")
    SELECT 'org-' || n, ${networkId}, 'Organisation ' || n, 'health'::"Sector" FROM generate_series(1, ${organisations}::int) n`;
  await prisma.$executeRaw`
    INSERT INTO "Member" ("id", "networkId", "displayName", "role", "organisationId", "leftAt", "updatedAt")
    SELECT 'champion-' || n, ${networkId}, 'Champion ' || n, 'champion'::"Role", 'org-' || (1 + n % ${organisations}::int),
           CASE WHEN n % 10 = 3 THEN ${now}::timestamp END, ${now}
    FROM generate_series(1, ${champions}::int) n`;
  await prisma.$executeRaw`
    INSERT INTO "Address" ("id", "platform", "workspaceId", "userId", "memberId", "active")
    SELECT 'address-' || n, (CASE WHEN n % 2 = 0 THEN 'slack' ELSE 'teams' END)::"Platform", 'T0BENCH', 'U' || n, 'champion-' || n, n % 20 <> 7
    FROM generate_series(1, ${champions}::int) n`;
}

/** Reports, hand-overs and nudge answers: the mixed states a real cycle has a week in. */
async function mixStates(prisma: PrismaClient, now: Date): Promise<void> {
  await prisma.$executeRaw`
    INSERT INTO "MilestoneReport" ("id", "requestId", "status", "rag", "milestones", "keyActionProgress", "submittedAt", "updatedAt")
    SELECT gen_random_uuid()::text, r."id", (CASE WHEN o.n <= 20 THEN 'submitted' ELSE 'draft' END)::"ReportStatus", 'amber'::"Rag", '[]', '[]',
           CASE WHEN o.n <= 20 THEN ${now}::timestamp END, ${now}
    FROM "ReportRequest" r JOIN (SELECT "id", substring("id" from 5)::int AS n FROM "Organisation") o ON o."id" = r."organisationId"
    WHERE o.n <= 40`;
  await prisma.$executeRaw`
    UPDATE "ReportRequest" r SET "assigneeId" = (SELECT m."id" FROM "Member" m WHERE m."organisationId" = r."organisationId" AND m."leftAt" IS NULL ORDER BY m."id" LIMIT 1)
    WHERE substring(r."organisationId" from 5)::int BETWEEN 41 AND 50`;
  await prisma.$executeRaw`
    INSERT INTO "ReportNudgeState" ("requestId", "memberId", "snoozedUntil", "stoppedAt")
    SELECT r."id", m."id", CASE WHEN substring(m."id" from 10)::int % 10 = 5 THEN ${new Date(now.getTime() + 3 * 86_400_000)}::timestamp END,
           CASE WHEN substring(m."id" from 10)::int % 10 = 6 THEN ${now}::timestamp END
    FROM "Member" m JOIN "ReportRequest" r ON r."organisationId" = m."organisationId"
    WHERE substring(m."id" from 10)::int % 10 IN (5, 6)`;
}

async function timed(run: string, work: () => Promise<{ requests: number; queued: number }>): Promise<RunFigures> {
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let heapPeak = heapBefore;
  const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 5);
  const started = performance.now();
  const { requests, queued } = await work();
  const ms = performance.now() - started;
  clearInterval(sampler);
  heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
  return { run, ms, requests, queued, heapGrowthMb: (heapPeak - heapBefore) / 1_048_576 };
}

async function bench(target: Target): Promise<RunFigures[]> {
  const db = await target.open();
  try {
    const network = await ensureNetwork(db.prisma, { name: "Bench network", timeZone: "Europe/London", sendingHours: "always" });
    let clock = new Date("2026-11-23T10:00:00Z");
    const ctx: CoreContext = coreContext(db, network, { now: () => clock });
    await seed(db.prisma, network.id);
    await openCycle(ctx, { opensOn: "2026-11-23", dueOn: "2026-12-04", cadenceMonths: 3, organisationIds: [], createdById: null });
    await mixStates(db.prisma, clock);
    clock = new Date("2026-11-27T10:00:00Z");
    const first = await timed("week before (first stage)", () => runReportNudges(ctx));
    // What the dispatcher would have done by the due day: sent everything.
    await db.prisma.delivery.updateMany({ where: { status: "queued" }, data: { status: "sent", sentAt: clock } });
    clock = new Date("2026-12-04T10:00:00Z");
    const due = await timed("due day (after one stage sent)", () => runReportNudges(ctx));
    const again = await timed("due day again (all queued)", () => runReportNudges(ctx));
    return [first, due, again];
  } finally {
    await db.close();
  }
}

const targets: (() => Promise<Target>)[] = [pgliteTarget, ...(postgresUrl ? [() => postgresTarget(postgresUrl)] : [])];
console.log(`Nudge run: ${organisations} organisations, ${champions.toLocaleString("en-GB")} champions, mixed states. Goal: under 2 s a run, memory bounded.`);
console.log("| database | run | time | open reports | nudges queued | heap growth |");
console.log("|---|---|---|---|---|---|");
for (const make of targets) {
  const target = await make();
  try {
    for (const figures of await bench(target)) {
      console.log(`| ${target.name} | ${figures.run} | ${Math.round(figures.ms).toLocaleString("en-GB")} ms | ${figures.requests} | ${figures.queued.toLocaleString("en-GB")} | ${figures.heapGrowthMb.toFixed(1)} MB |`);
    }
  } finally {
    await target.cleanup();
  }
}
if (!postgresUrl) console.log("(PostgreSQL skipped: set BENCH_DATABASE_URL to a server where the bench may create a database.)");
