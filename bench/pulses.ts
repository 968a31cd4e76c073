// Pulse results at scale: a year of fortnightly rounds for 20,000 members (about 500,000 anonymous
// answers across 100 organisations), aggregated by principle, round, sector, locality and organisation
// exactly as `pulse results` does, in the database: 25 closed rounds from their tallies, the open one
// from its answers. Seeded set-based with generate_series. Prints the
// time of the aggregate query and of the whole `pulse results` answer, on PGlite and, when
// BENCH_DATABASE_URL (or DATABASE_URL) names a server, on PostgreSQL.
import { performance } from "node:perf_hooks";
import type { CoreContext } from "../src/core/kernel/context.js";
import { ensureNetwork } from "../src/core/network.js";
import { aggregatePulseAnswers, tallyRound } from "../src/core/pulses/aggregate-answers.js";
import { showPulseResults } from "../src/core/pulses/pulse-results.js";
import type { PrismaClient } from "../src/db/generated/client.js";
import { pgliteTarget, postgresTarget, type Target } from "./targets.js";
import { coreContext } from "../test/support/core-context.js";

const members = Number(process.env.BENCH_MEMBERS ?? 20_000);
const rounds = 26;
/** Answers a round: about 96% of members, so a year comes to about 500,000. */
const answersPerRound = Math.round((members * 500_000) / 20_000 / rounds);
const repeats = 7;
const now = new Date("2026-11-24T12:00:00Z");

async function seed(prisma: PrismaClient, networkId: string): Promise<void> {
  await prisma.$executeRaw`
    INSERT INTO "Organisation" ("id", "networkId", "name", "sector", "locality")
    SELECT gen_random_uuid()::text, ${networkId}, 'Organisation ' || n,
           (ARRAY['health','education','police','housing','local_authority','voluntary_community','other'])[1 + n % 7]::"Sector",
           'Locality ' || (n % 10)
    FROM generate_series(1, 100) n`;
  await prisma.$executeRaw`
    INSERT INTO "Member" ("id", "networkId", "displayName", "organisationId", "updatedAt")
    SELECT gen_random_uuid()::text, ${networkId}, 'Member ' || n, o."id", ${now}
    FROM generate_series(1, ${members}) n
    JOIN (SELECT "id", row_number() OVER (ORDER BY "name") - 1 AS k FROM "Organisation" WHERE "networkId" = ${networkId}) o ON o.k = n % 100`;
  // One round a fortnight for a year, each on the next principle's first question.
  await prisma.$executeRaw`
    INSERT INTO "PulseRound" ("id", "networkId", "questionId", "opensAt", "closesAt", "closedAt", "slot")
    SELECT gen_random_uuid()::text, ${networkId}, q."id", ${now}::timestamp - (r * interval '14 days'), ${now}::timestamp - (r * interval '14 days') + interval '7 days',
           ${now}::timestamp - (r * interval '14 days') + interval '7 days', 'bench-' || r
    FROM generate_series(1, ${rounds}) r
    JOIN (SELECT DISTINCT ON (p."position") q."id", p."position", dense_rank() OVER (ORDER BY p."position") - 1 AS k
          FROM "PulseQuestion" q JOIN "Principle" p ON p."id" = q."principleId" WHERE q."networkId" = ${networkId}
          ORDER BY p."position", q."position") q
      ON q.k = r % (SELECT count(*) FROM "Principle" WHERE "networkId" = ${networkId})`;
  // Each answer copies its organisation's slice, as answering does; organisations are picked at random.
  await prisma.$executeRaw`
    INSERT INTO "PulseAnswer" ("id", "roundId", "score", "sector", "locality", "organisationId")
    SELECT gen_random_uuid()::text, r."id", 1 + floor(random() * 5)::int, o."sector", o."locality", o."id"
    FROM "PulseRound" r
    CROSS JOIN generate_series(1, ${answersPerRound}) n
    JOIN (SELECT "id", "sector", "locality", row_number() OVER (ORDER BY "name") - 1 AS k FROM "Organisation" WHERE "networkId" = ${networkId}) o
      ON o.k = (n + abs(hashtext(r."id"))) % 100
    WHERE r."networkId" = ${networkId}`;
  // Closed rounds are counted once as they close, as closing does; the newest stays open and is counted
  // from its answers at every look, as a round in progress is.
  const closed = await prisma.pulseRound.findMany({ where: { networkId }, orderBy: { opensAt: "desc" }, skip: 1, select: { id: true } });
  for (const round of closed) await tallyRound(prisma, round.id);
  await prisma.pulseRound.updateMany({ where: { networkId, id: { notIn: closed.map((round) => round.id) } }, data: { closedAt: null } });
  await prisma.$executeRawUnsafe(`ANALYZE`);
}

async function timed(run: () => Promise<unknown>): Promise<{ median: number; best: number }> {
  const times: number[] = [];
  await run(); // warm: the first run pays for plans and cold pages
  for (let index = 0; index < repeats; index++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)]!, best: times[0]! };
}

async function measure(target: Target): Promise<void> {
  const db = await target.open();
  try {
    const network = await ensureNetwork(db.prisma, { name: "Bench network", timeZone: "Europe/London", sendingHours: "always" });
    const seeding = performance.now();
    await seed(db.prisma, network.id);
    const answers = await db.prisma.pulseAnswer.count();
    const seeded = (performance.now() - seeding) / 1000;
    const since = new Date(now.getTime() - 366 * 86_400_000);
    const groups = await aggregatePulseAnswers(db.prisma, { networkId: network.id, since });
    const aggregate = await timed(() => aggregatePulseAnswers(db.prisma, { networkId: network.id, since }));
    const ctx: CoreContext = coreContext(db, network, { now: () => now });
    const request = {
      ctx,
      requester: { addressId: "bench", address: { platform: "slack" as const, workspaceId: "T", userId: "U" }, member: null, isCoordinator: true },
      interaction: { from: { platform: "slack" as const, workspaceId: "T", userId: "U" }, verb: "pulse results", text: "" },
    };
    const view = await timed(() => showPulseResults(request));
    const fmt = (ms: number) => `${ms.toFixed(0)} ms`;
    console.log(
      `${target.name}: ${answers.toLocaleString("en-GB")} answers in ${rounds} rounds (seeded in ${seeded.toFixed(1)} s), ${groups.length} groups; ` +
        `aggregate median ${fmt(aggregate.median)} (best ${fmt(aggregate.best)}); whole "pulse results" median ${fmt(view.median)} (best ${fmt(view.best)})`,
    );
  } finally {
    await db.close();
    await target.cleanup();
  }
}

const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
console.log(`Pulse results over a year: ${members.toLocaleString("en-GB")} members, ${rounds} fortnightly rounds, ${answersPerRound.toLocaleString("en-GB")} answers a round; ${repeats} timed runs after one warm-up`);
await measure(await pgliteTarget());
if (serverUrl) await measure(await postgresTarget(serverUrl));
process.exit(0);
