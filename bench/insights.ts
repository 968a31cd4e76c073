// `npm run bench:insights`: the coordinator's `insights` on a big network, timed on PGlite and (with
// BENCH_DATABASE_URL or DATABASE_URL) on PostgreSQL: 50,000 members in 100 organisations, 500,000 updates
// over five years (each tagged with one or two principles), 40 reporting cycles with reports, 100 events
// with invitations, two years of pulse rounds. Seeding is set-based SQL. For a quarter, a year and five
// years it first prints where the time goes (each section's figures alone, each chart drawn alone) and the
// plans of the work's queries over five years; then each run is the whole answer as a coordinator gets it:
// every section's figures from the database, the Block Kit message, and each chart the message shows
// drawn to PNG, fetched together as Slack fetches them; then the dashboard's first load and the board pack
// for a quarter and for five years, through the bot's own HTTP server.
import { loadavg } from "node:os";
import { pathToFileURL } from "node:url";
import { features } from "../src/core/features.js";
import { createBot } from "../src/core/kernel/create-bot.js";
import type { Message } from "../src/core/kernel/view.js";
import { ensureNetwork } from "../src/core/network.js";
import { chartImage, sections } from "../src/core/insights/figures.js";
import { sectionKeys, type InsightChart } from "../src/core/insights/section.js";
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

export async function seed(prisma: PrismaClient, networkId: string): Promise<void> {
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
  // The tally's insert triggers count a row at a time, which for half a million rows is minutes on PGlite:
  // off for the load, then the network counted afresh, as the tally's own migration does.
  await sql`ALTER TABLE "Update" DISABLE TRIGGER "UpdateTally_update_inserted"`;
  await sql`ALTER TABLE "UpdatePrinciple" DISABLE TRIGGER "UpdateTally_principles_inserted"`;
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
  await sql`ALTER TABLE "Update" ENABLE TRIGGER "UpdateTally_update_inserted"`;
  await sql`ALTER TABLE "UpdatePrinciple" ENABLE TRIGGER "UpdateTally_principles_inserted"`;
  await sql`SELECT "UpdateTally_recount"(${networkId})`;
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

/** The periods timed part by part: the default, a year, and five years of the seeded network. */
const periods = ["this quarter", "last 12 months", "since 01/01/2022"];

async function bench(target: Target): Promise<string[]> {
  const db = await target.open();
  try {
    const network = await ensureNetwork(db.prisma, { name: "Bench network", timeZone: "Europe/London", sendingHours: "always" });
    const seeding = performance.now();
    await seed(db.prisma, network.id);
    console.log(`Load average (1, 5, 15 min): ${loadavg().map((load) => load.toFixed(1)).join(", ")}`);
    console.log(`${target.name}: seeded in ${seconds(performance.now() - seeding)} (the monthly tally counted afresh after the load)`);
    const ctx = coreContext(db, network, { now: () => now, coordinators: [{ platform: "slack", userId: "U0COORD" }], links: { sign: (path) => `https://bench.invalid${path}`, reachableFromOutside: true } });
    const bot = createBot(ctx, features);
    await bot.handle({ from: { platform: "slack", workspaceId: "T0BENCH", userId: "U0COORD" }, verb: "insights", text: "organisations" }); // loads Vega and the fonts once
    for (const typed of periods) await parts(ctx, typed, target.name);
    await plans(db.prisma, network.id, target.name);
    const rows: string[] = [];
    for (const typed of ["", "last 12 months", "since 01/01/2022", "work since 01/01/2022", "organisations", "work this month", "", "since 01/01/2022"]) {
      const started = performance.now();
      const answer = (await bot.handle({ from: { platform: "slack", workspaceId: "T0BENCH", userId: "U0COORD" }, verb: "insights", text: typed })) as Message;
      const figured = performance.now() - started;
      // Slack fetches a message's images together, each at its signed link.
      const images = answer.blocks.flatMap((block) => (block.type === "chart" && block.imageUrl ? [new URL(block.imageUrl).pathname] : []));
      await Promise.all(
        images.map(async (path) => {
          const file = await chartImage.open(ctx, chartImage.path.exec(path)!);
          if (file?.kind === "chart") await renderChartPng(file.chart);
        }),
      );
      const total = performance.now() - started;
      rows.push(`| ${target.name} | insights ${typed || "(this quarter)"} | ${ms(figured)} | ${images.length} | ${ms(total)} |`);
    }
    rows.push(...(await pagesAndFiles(ctx, network.linkSecret, target.name)));
    return rows;
  } finally {
    await db.close();
  }
}

const ms = (value: number) => `${Math.round(value).toLocaleString("en-GB")} ms`;
const seconds = (value: number) => `${(value / 1000).toFixed(1)} s`;

/** Where the time of one period's answer goes: each section's figures alone, then drawing each chart the answer shows. */
async function parts(ctx: ReturnType<typeof coreContext>, typed: string, name: string): Promise<void> {
  const parsed = parsePeriod(typed, ctx.timeZone, now);
  if ("problem" in parsed) throw new Error(parsed.problem);
  const timings: string[] = [];
  const charts: InsightChart[] = [];
  for (const key of sectionKeys) {
    const started = performance.now();
    const section = await sections[key](ctx, parsed.period);
    timings.push(`${key} ${ms(performance.now() - started)}`);
    // A section's first chart, where it has one (announcements have none).
    charts.push(...section.charts.slice(0, 1));
  }
  const drawn: string[] = [];
  let drawing = 0;
  for (const { name: chart, chart: spec } of charts) {
    const started = performance.now();
    await renderChartPng(spec);
    drawn.push(`${chart} ${ms(performance.now() - started)}`);
    drawing += performance.now() - started;
  }
  console.log(`${name}, ${typed}: figures ${timings.join(", ")}; charts one at a time ${ms(drawing)} (${drawn.join(", ")})`);
}

/**
 * The plans behind the work over five years: the scan of every update and its principles that the
 * monthly tally replaces, the tally read instead, and the one count still read from the updates
 * (distinct people don't add up month to month).
 */
async function plans(prisma: PrismaClient, networkId: string, name: string): Promise<void> {
  const fiveYears = `u."networkId" = $1 AND u."createdAt" >= '2022-01-01' AND u."createdAt" < '2026-12-07'`;
  const queries: [string, string][] = [
    [
      "the scan the tally replaces",
      `SELECT to_char((u."createdAt" AT TIME ZONE 'UTC') AT TIME ZONE 'Europe/London', 'YYYY-MM'), u."organisationId", up."principleId", count(*)
       FROM "Update" u JOIN "UpdatePrinciple" up ON up."updateId" = u."id" WHERE ${fiveYears} GROUP BY 1, 2, 3`,
    ],
    [
      "the tally, by month and by organisation",
      `SELECT to_char(t."month", 'YYYY-MM') AS "month", t."organisationId", t."principleId", sum(t."updates")
       FROM "UpdateTally" t WHERE t."networkId" = $1 AND t."month" >= DATE '2022-01-01' AND t."month" < DATE '2026-12-01'
       GROUP BY GROUPING SETS ((1, 3), (2, 3))`,
    ],
    ["people who shared", `SELECT count(*) FROM (SELECT u."authorId" FROM "Update" u WHERE ${fiveYears} AND u."authorId" IS NOT NULL GROUP BY 1) a`],
  ];
  for (const [what, sql] of queries) {
    const plan = await prisma.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(`EXPLAIN (ANALYZE, COSTS OFF) ${sql}`, networkId);
    console.log(`${name}, five years, ${what}:\n  ${plan.map((row) => row["QUERY PLAN"]).join("\n  ")}`);
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
    const [quarter, fiveYears] = [parsePeriod("this quarter", ctx.timeZone, now), parsePeriod("since 01/01/2022", ctx.timeZone, now)];
    if ("problem" in quarter || "problem" in fiveYears) throw new Error("a period the bench can't read");
    const expires = new Date(now.getTime() + 3_600_000);
    // The five years' workbook is half a million rows of updates, streamed: a file, not an answer, so not timed here.
    const fetches: [string, string][] = [
      ["dashboard, first load (this quarter)", dashboardLink(ctx, "")!],
      ["board pack PDF (this quarter)", links.sign(exportPath(ctx, quarter.period, "board-pack.pdf"), expires)],
      ["workbook XLSX (this quarter)", links.sign(exportPath(ctx, quarter.period, "figures.xlsx"), expires)],
      ["dashboard, first load (since 01/01/2022)", dashboardLink(ctx, "since 01/01/2022")!],
      ["board pack PDF (since 01/01/2022)", links.sign(exportPath(ctx, fiveYears.period, "board-pack.pdf"), expires)],
    ];
    const rows: string[] = [];
    for (const [what, link] of fetches) {
      const started = performance.now();
      const response = await fetch(link);
      const bytes = (await response.arrayBuffer()).byteLength;
      const ms = performance.now() - started;
      rows.push(`| ${name} | ${what}: ${response.status}, ${(bytes / 1024).toFixed(0)} KB | | | ${Math.round(ms).toLocaleString("en-GB")} ms |`);
    }
    return rows;
  } finally {
    await http.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) {
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
  console.log(`Load average at the end (1, 5, 15 min): ${loadavg().map((load) => load.toFixed(1)).join(", ")}: other work on the machine slows every figure.`);
  console.log("| database | asked | figures and message | charts drawn | with charts |");
  console.log("|---|---|---|---|---|");
  for (const row of rows) console.log(row);
  if (!postgresUrl) console.log("(PostgreSQL skipped: set BENCH_DATABASE_URL to a server where the bench may create a database.)");
}
