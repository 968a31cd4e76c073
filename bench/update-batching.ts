// `BENCH_DATABASE_URL=postgresql://… npm run bench:batching`: would gathering the `/ti update`s that arrive
// together into one statement for the lot make PostgreSQL cheaper an update? A design question for issue 15's
// PostgreSQL goal (bench/README.md), not a measure of the bot, which runs each update's two statements on
// its own. 6,000 updates from 50 concurrent callers over a pool of 10 connections (pg's default, as the
// bot's), on a fresh database with the bench champions (champions.ts), two ways, alternately
// (`BENCH_ROUNDS`, default 2):
// - one by one: each update's two statements, in the shapes record-address.ts and save-update.ts give them;
// - batched: the updates asked for in one turn of the event loop (up to 50) recorded with one statement
//   for their addresses and one for the updates and their principles.
// It prints updates a second, this process's CPU an update (pg's protocol work) and PostgreSQL's (its
// processes' user + system time from /proc, so run it beside a server on this machine). The statements are
// written out below, smaller than the core's (no names, conversation references or kinds; every address
// exists already, and no batch holds one person twice): a batched form of the core's would be the change
// itself, and would have to handle both.
import { randomUUID } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { loadavg } from "node:os";
import pg from "pg";
import { benchTeam, benchUserId, seedChampions } from "./champions.js";
import { postgresTarget } from "./targets.js";

const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
if (!serverUrl) {
  console.error("Set BENCH_DATABASE_URL to a PostgreSQL server on this machine where the bench may create a database.");
  process.exit(1);
}
const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
const people = 1000;
const total = 6000;

const target = await postgresTarget(serverUrl);
const seeded = await target.open();
const { networkId, organisationId } = await seedChampions(seeded, people);
const principles = (await seeded.prisma.principle.findMany({ where: { networkId }, orderBy: { position: "asc" }, take: 2, select: { id: true } })).map(({ id }) => id);
await seeded.close();
const pool = new pg.Pool({ connectionString: target.env.DATABASE_URL, max: 10 });

/** CPU time of every PostgreSQL process on this machine so far, in ms. */
function postgresCpu(): number {
  let ticks = 0;
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      if (!readFileSync(`/proc/${pid}/cmdline`, "utf8").startsWith("postgres")) continue;
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // a process that ended meanwhile
    }
  }
  return ticks * 10; // clock ticks at 100 Hz
}

const addressText = `
  WITH unchanged AS (
    SELECT a."id", a."memberId" FROM "Address" a
    WHERE a."platform" = 'slack'::"Platform" AND a."workspaceId" = $1 AND a."userId" = $2 AND a."active" AND a."lastSeenAt" > $3::timestamp - interval '1 minute'
  ), recorded AS (
    INSERT INTO "Address" ("id", "platform", "workspaceId", "userId", "lastSeenAt", "active", "createdAt")
    SELECT $4, 'slack'::"Platform", $1, $2, $3::timestamp, true, $3::timestamp WHERE NOT EXISTS (SELECT 1 FROM unchanged)
    ON CONFLICT ("platform", "workspaceId", "userId") DO UPDATE SET "lastSeenAt" = EXCLUDED."lastSeenAt"
    RETURNING "id", "memberId"
  ), address AS (SELECT "id", "memberId" FROM unchanged UNION ALL SELECT "id", "memberId" FROM recorded)
  SELECT member."id" AS "memberId" FROM address LEFT JOIN LATERAL (SELECT m."id" FROM "Member" m WHERE m."id" = address."memberId" LIMIT 1) member ON true`;
const insertText = `
  WITH inserted AS (
    INSERT INTO "Update" ("id", "networkId", "authorId", "organisationId", "text", "sourcePlatform", "sourceRef", "sharedWithNetwork", "createdAt")
    VALUES ($1, $2, $3, $4, 'Ran a session #safety #choice', 'slack'::"Platform", $5, true, $6) ON CONFLICT ("sourceRef") DO NOTHING RETURNING "id"
  ), tagged AS (INSERT INTO "UpdatePrinciple" ("updateId", "principleId") SELECT inserted."id", p FROM inserted, unnest($7::text[]) AS p)
  SELECT inserted."id" FROM inserted`;
// The same two, for many at once.
const addressBatch = `
  WITH wanted AS (SELECT * FROM unnest($1::text[], $2::text[]) AS w("userId", "newId")),
  recorded AS (
    INSERT INTO "Address" ("id", "platform", "workspaceId", "userId", "lastSeenAt", "active", "createdAt")
    SELECT w."newId", 'slack'::"Platform", $3, w."userId", $4::timestamp, true, $4::timestamp FROM wanted w
    WHERE NOT EXISTS (SELECT 1 FROM "Address" a WHERE a."platform" = 'slack' AND a."workspaceId" = $3 AND a."userId" = w."userId" AND a."active" AND a."lastSeenAt" > $4::timestamp - interval '1 minute')
    ON CONFLICT ("platform", "workspaceId", "userId") DO UPDATE SET "lastSeenAt" = EXCLUDED."lastSeenAt"
    RETURNING "userId"
  )
  SELECT w."userId", a."memberId" FROM wanted w JOIN "Address" a ON a."platform" = 'slack' AND a."workspaceId" = $3 AND a."userId" = w."userId"`;
const insertBatch = `
  WITH rows AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) AS r("id", "authorId", "sourceRef")),
  inserted AS (
    INSERT INTO "Update" ("id", "networkId", "authorId", "organisationId", "text", "sourcePlatform", "sourceRef", "sharedWithNetwork", "createdAt")
    SELECT r."id", $4, r."authorId", $5, 'Ran a session #safety #choice', 'slack'::"Platform", r."sourceRef", true, $6 FROM rows r
    ON CONFLICT ("sourceRef") DO NOTHING RETURNING "id"
  ), tagged AS (INSERT INTO "UpdatePrinciple" ("updateId", "principleId") SELECT inserted."id", p FROM inserted, unnest($7::text[]) AS p)
  SELECT inserted."id" FROM inserted`;

async function single(index: number) {
  const now = new Date().toISOString();
  const { rows: [requester] } = await pool.query({ name: "a", text: addressText, values: [benchTeam, benchUserId(index % people), now, randomUUID()] });
  await pool.query({ name: "i", text: insertText, values: [randomUUID(), networkId, requester.memberId, organisationId, randomUUID(), now, principles] });
}

/** Gathers the calls made in one turn of the event loop and runs them as one. */
function batcher<I, O>(run: (inputs: I[]) => Promise<O[]>) {
  let pending: { input: I; resolve: (o: O) => void; reject: (e: unknown) => void }[] = [];
  return (input: I) => new Promise<O>((resolve, reject) => {
    pending.push({ input, resolve, reject });
    if (pending.length === 1) setImmediate(() => {
      const batch = pending; pending = [];
      run(batch.map((b) => b.input)).then((out) => batch.forEach((b, i) => b.resolve(out[i]!)), (e) => batch.forEach((b) => b.reject(e)));
    });
  });
}
const lookup = batcher<string, string>(async (users) => {
  const now = new Date().toISOString();
  const { rows } = await pool.query({ name: "ab", text: addressBatch, values: [users, users.map(() => randomUUID()), benchTeam, now] });
  const byUser = new Map(rows.map((r) => [r.userId, r.memberId]));
  return users.map((u) => byUser.get(u));
});
const store = batcher<string, string>(async (authors) => {
  const ids = authors.map(() => randomUUID());
  await pool.query({ name: "ib", text: insertBatch, values: [ids, authors, authors.map(() => randomUUID()), networkId, organisationId, new Date().toISOString(), principles] });
  return ids;
});
async function batched(index: number) {
  const member = await lookup(benchUserId(index % people));
  await store(member);
}

async function measure(round: number, way: string, one: (index: number) => Promise<void>) {
  let next = 0;
  const cpu = process.cpuUsage();
  const postgresBefore = postgresCpu();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 50 }, async () => {
      while (next < total) await one(next++);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return {
    round,
    way,
    "updates/s": Math.round(total / seconds),
    "this process's CPU ms/update": ((used.user + used.system) / 1000 / total).toFixed(3),
    "PostgreSQL's CPU ms/update": ((postgresCpu() - postgresBefore) / total).toFixed(3),
  };
}
const rows = [];
for (let round = 1; round <= rounds; round++) {
  rows.push(await measure(round, "one by one", single));
  rows.push(await measure(round, "batched", batched));
}
const stored = await pool.query<{ updates: number }>(`SELECT count(*)::int AS updates FROM "Update"`);
await pool.end();
await target.cleanup();
console.log(`The update path's statements on PostgreSQL, ${total} updates from 50 callers a round; Node ${process.version}, load average ${loadavg().map((load) => load.toFixed(2)).join(" ")}`);
console.table(rows);
console.log(`Updates stored: ${stored.rows[0]!.updates} of ${total * 2 * rounds}`);
