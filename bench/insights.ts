// `npm run bench:insights`: the coordinator's `insights` on a big network, timed on PGlite and (with
// BENCH_DATABASE_URL or DATABASE_URL) on PostgreSQL: 50,000 members in 100 organisations, 500,000 updates
// over five years (each tagged with one or two principles), 40 reporting cycles with reports, 100 events
// with invitations, two years of pulse rounds. Seeding is set-based SQL. Each run is the whole answer as a
// coordinator gets it: every section's figures from the database, the Block Kit message, and each chart
// the message shows drawn to PNG (as Slack fetches them). It prints the time of each run and the plans of
// the heaviest queries.
import { features } from "../src/core/features.js";
import { createBot } from "../src/core/kernel/create-bot.js";
import type { Message } from "../src/core/kernel/view.js";
import { ensureNetwork } from "../src/core/network.js";
import { chartImage } from "../src/core/insights/figures.js";
import { renderChartPng } from "../src/charts/render-chart.js";
import { catalogue } from "../src/core/kernel/catalogue.js";
import { parsePeriod } from "../src/core/kernel/period.js";
import { dashboardLink } from "../src/core/insights/dashboard.js";
import { exportPath } from "../src/core/insights/export-insights.js";
import { createDashboard, dashboardPath } from "../src/http/dashboard/serve-dashboard.js";
import { createDownloads, downloadsPrefix } from "../src/http/downloads.js";
import { createHttpServer } from "../src/http/server.js";
import { createSignedLinks } from "../src/http/signed-links.js";
import { createLogger } from "../src/log.js";
import type { PrismaClient } from "../src/db/generated/client.js";
import { coreContext } from "../test/support/core-context.js";
import { pgliteTarget, postgresTarget, type Target } from "./targets.js";

const scale = Number(process.env.BENCH_SCALE ?? 1);
const members = Math.round(50_000 * scale);
const updates = Math.round(500_000 * scale);
const organisations = 100;
const postgresUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
const now = new Date("2026-12-06T10:00:00Z");

async function seed(prisma: PrismaClient, networkId: string): Promise<void> {
  const principles = await prisma.principle.findMany({ where: { networkId }, orderBy: { position: "asc" }, select: { id: true } });
  const ids = principles.map((principle) => principle.id);
  const sql = (strings: TemplateStringsArray, ...values: unknown[]) => prisma.$executeRaw(strings, ...values);
  await sql`
    INSERT INTO "Organisation" ("id", "networkId", "name", "sector", "locality", "pledgeSignedOn", "createdAt")
    SELECT 'org-' || n, ${networkId}, 'Organisation ' || n,
           (ARRAY['health','education','police','housing','local_authority','voluntary_community','other'])[1 + n % 7]::"Sector",
           'Locality ' || (1 + n % 12), CASE WHEN n % 3 <> 0 THEN DATE '2024-01-01' + n END, TIMESTAMP '2021-12-01' + n * INTERVAL '1 day'
    FROM generate_series(1, ${organisations}::int) n`;
  await sql`
    INSERT INTO "Member" ("id", "networkId", "displayName", "role", "trainingLevel", "organisationId", "joinedAt", "updatedAt")
    SELECT 'member-' || n, ${networkId}, 'Member ' || n, (CASE WHEN n % 10 = 0 THEN 'champion' ELSE 'member' END)::"Role",
           (ARRAY['informed','skilled','enhanced','specialist'])[1 + n % 4]::"TrainingLevel", 'org-' || (1 + n % ${organisations}::int),
           ${now}::timestamp - (n % 1800) * INTERVAL '1 day', ${now}
    FROM generate_series(1, ${members}::int) n`;
  await sql`
    INSERT INTO "Update" ("id", "networkId", "authorId", "organisationId", "text", "sourcePlatform", "createdAt")
    SELECT 'update-' || n, ${networkId}, 'member-' || (1 + n % ${members}::int), 'org-' || (1 + (n % ${members}::int) % ${organisations}::int),
           'Ran a reflective practice session', 'slack'::"Platform", ${now}::timestamp - (n % 1826) * INTERVAL '1 day' - (n % 600) * INTERVAL '1 minute'
    FROM generate_series(1, ${updates}::int) n`;
  await sql`
    INSERT INTO "UpdatePrinciple" ("updateId", "principleId")
    SELECT 'update-' || n, (${ids}::text[])[1 + n % 6] FROM generate_series(1, ${updates}::int) n
    UNION ALL
    SELECT 'update-' || n, (${ids}::text[])[1 + (n + 2) % 6] FROM generate_series(1, ${updates}::int) n WHERE n % 3 = 0`;
  await sql`
    INSERT INTO "KeyAction" ("id", "organisationId", "text", "status", "position")
    SELECT 'action-' || o || '-' || k, 'org-' || o, 'Key action', (ARRAY['not_started','in_progress','done'])[1 + (o + k) % 3]::"KeyActionStatus", k
    FROM generate_series(1, ${organisations}::int) o, generate_series(1, 2) k`;
  await sql`
    INSERT INTO "ReportingCycle" ("id", "networkId", "label", "opensOn", "dueOn")
    SELECT 'cycle-' || c, ${networkId}, 'Cycle ' || c, DATE '2017-01-01' + c * 91, DATE '2017-01-01' + c * 91 + 60 FROM generate_series(1, 40) c`;
  await sql`
    INSERT INTO "ReportRequest" ("id", "cycleId", "organisationId")
    SELECT 'request-' || c || '-' || o, 'cycle-' || c, 'org-' || o FROM generate_series(1, 40) c, generate_series(1, ${organisations}::int) o`;
  await sql`
    INSERT INTO "MilestoneReport" ("id", "requestId", "status", "rag", "milestones", "keyActionProgress", "maturity", "submittedAt", "updatedAt")
    SELECT 'report-' || c || '-' || o, 'request-' || c || '-' || o, 'submitted'::"ReportStatus", (ARRAY['red','amber','green'])[1 + (c + o) % 3]::"Rag", '[]', '[]',
           '{"strategic_support":"emerging","oversight":"consistently_present","conditions":"emerging","resourcing":"not_present"}'::jsonb,
           TIMESTAMP '2017-01-01' + (c * 91 + 50) * INTERVAL '1 day', ${now}
    FROM generate_series(1, 40) c, generate_series(1, ${organisations}::int) o WHERE (c + o) % 5 <> 0`;
  await sql`
    INSERT INTO "NetworkEvent" ("id", "networkId", "title", "description", "startsAt", "endsAt", "audience", "invitedAt")
    SELECT 'event-' || e, ${networkId}, 'Event ' || e, 'A network event', ${now}::timestamp - e * INTERVAL '18 days', ${now}::timestamp - e * INTERVAL '18 days' + INTERVAL '3 hours', '{}', ${now}::timestamp - e * INTERVAL '18 days' - INTERVAL '30 days'
    FROM generate_series(1, 100) e`;
  await sql`
    INSERT INTO "EventInvitation" ("id", "eventId", "memberId", "answer")
    SELECT 'invitation-' || e || '-' || m, 'event-' || e, 'member-' || m, (ARRAY['going','maybe','declined', NULL])[1 + (e + m) % 4]::"RsvpAnswer"
    FROM generate_series(1, 100) e, generate_series(1, 500) m`;
  const questions = await prisma.pulseQuestion.findMany({ where: { networkId }, select: { id: true } });
  await sql`
    INSERT INTO "PulseRound" ("id", "networkId", "questionId", "opensAt", "closesAt", "closedAt")
    SELECT 'round-' || r, ${networkId}, (${questions.map((question) => question.id)}::text[])[1 + r % ${questions.length}::int],
           ${now}::timestamp - r * INTERVAL '14 days', ${now}::timestamp - r * INTERVAL '14 days' + INTERVAL '7 days', ${now}::timestamp - r * INTERVAL '14 days' + INTERVAL '7 days'
    FROM generate_series(1, 52) r`;
  await sql`
    INSERT INTO "PulseTally" ("id", "roundId", "sector", "organisationId", "score", "answers")
    SELECT gen_random_uuid()::text, 'round-' || r, 'health'::"Sector", 'org-' || o, s, 1 + (r + o + s) % 7
    FROM generate_series(1, 52) r, generate_series(1, ${organisations}::int) o, generate_series(1, 5) s`;
  await sql`ANALYZE`;
}

async function bench(target: Target): Promise<string[]> {
  const db = await target.open();
  try {
    const network = await ensureNetwork(db.prisma, { name: "Bench network", timeZone: "Europe/London", sendingHours: "always" });
    const seeding = performance.now();
    await seed(db.prisma, network.id);
    const seeded = performance.now() - seeding;
    const ctx = coreContext(db.prisma, network, { now: () => now, coordinators: [{ platform: "slack", userId: "U0COORD" }], links: { sign: (path) => `https://bench.invalid${path}`, reachableFromOutside: true } });
    const bot = createBot(ctx, features);
    const rows: string[] = [];
    for (const typed of ["", "last 12 months", "work since 01/01/2022", "organisations", "work this month", "", "last 12 months"]) {
      const started = performance.now();
      const answer = (await bot.handle({ from: { platform: "slack", workspaceId: "T0BENCH", userId: "U0COORD" }, verb: "insights", text: typed })) as Message;
      const figured = performance.now() - started;
      let images = 0;
      for (const block of answer.blocks) {
        if (block.type !== "chart" || !block.imageUrl) continue;
        const path = new URL(block.imageUrl).pathname;
        const match = chartImage.path.exec(path)!;
        const file = await chartImage.open(ctx, match);
        if (file?.kind === "chart") await renderChartPng(file.chart);
        images++;
      }
      const total = performance.now() - started;
      rows.push(`| ${target.name} | insights ${typed || "(this quarter)"} | ${Math.round(figured).toLocaleString("en-GB")} ms | ${images} | ${Math.round(total).toLocaleString("en-GB")} ms |`);
    }
    rows.push(...(await pagesAndFiles(ctx, network.linkSecret, target.name)));
    console.log(`${target.name}: seeded in ${(seeded / 1000).toFixed(1)} s`);
    if (process.env.BENCH_PLANS) {
      const plan = await db.prisma.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(
        `EXPLAIN ANALYZE SELECT to_char((u."createdAt" AT TIME ZONE 'UTC') AT TIME ZONE 'Europe/London', 'YYYY-MM'), u."organisationId", up."principleId", count(*)
         FROM "Update" u JOIN "UpdatePrinciple" up ON up."updateId" = u."id"
         WHERE u."networkId" = $1 AND u."createdAt" >= now() - interval '1 year' GROUP BY 1, 2, 3`,
        network.id,
      );
      console.log(plan.map((row) => row["QUERY PLAN"]).join("\n"));
    }
    return rows;
  } finally {
    await db.close();
  }
}

/** The dashboard's first load and the board pack's two files, fetched through the bot's own HTTP server on 127.0.0.1. */
async function pagesAndFiles(base: ReturnType<typeof coreContext>, secret: string, name: string): Promise<string[]> {
  let url = "http://127.0.0.1";
  const links = createSignedLinks(secret, () => url, () => now);
  const ctx = { ...base, links };
  const http = createHttpServer({
    routes: new Map(),
    prefixes: new Map([
      [dashboardPath, createDashboard(ctx, links)],
      [downloadsPrefix, createDownloads(ctx, links, catalogue(features).downloads)],
    ]),
    log: createLogger("silent"),
    health: async () => ({ database: name }),
  });
  const address = await http.listen(0, "127.0.0.1");
  url = `http://127.0.0.1:${address.port}`;
  try {
    const quarter = parsePeriod("this quarter", ctx.timeZone, now);
    if ("problem" in quarter) throw new Error(quarter.problem);
    const expires = new Date(now.getTime() + 3_600_000);
    const fetches: [string, string][] = [
      ["dashboard, first load (this quarter)", dashboardLink(ctx, "")!],
      ["board pack PDF (this quarter)", links.sign(exportPath(ctx, quarter.period, "board-pack.pdf"), expires)],
      ["workbook XLSX (this quarter)", links.sign(exportPath(ctx, quarter.period, "figures.xlsx"), expires)],
    ];
    const rows: string[] = [];
    for (const [what, link] of fetches) {
      const started = performance.now();
      const response = await fetch(link);
      const bytes = (await response.arrayBuffer()).byteLength;
      const ms = performance.now() - started;
      rows.push(`| ${name} | ${what}: ${response.status}, ${(bytes / 1024).toFixed(0)} KB | | ${Math.round(ms).toLocaleString("en-GB")} ms |`);
    }
    return rows;
  } finally {
    await http.close();
  }
}

const targets: (() => Promise<Target>)[] = [pgliteTarget, ...(postgresUrl ? [() => postgresTarget(postgresUrl)] : [])];
console.log(`insights on ${members.toLocaleString("en-GB")} members, ${updates.toLocaleString("en-GB")} updates, 40 cycles, 100 events, 52 pulse rounds. Goal: under 1 s on PostgreSQL, 3 s on PGlite (figures and charts).`);
const rows: string[] = [];
for (const make of targets) {
  const target = await make();
  try {
    rows.push(...(await bench(target)));
  } finally {
    await target.cleanup();
  }
}
console.log("| database | asked | figures and message | charts drawn | with charts |");
console.log("|---|---|---|---|---|");
for (const row of rows) console.log(row);
if (!postgresUrl) console.log("(PostgreSQL skipped: set BENCH_DATABASE_URL to a server where the bench may create a database.)");
