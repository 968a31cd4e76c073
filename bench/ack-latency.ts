// `npm run bench:ack`: how fast the bot acknowledges Slack, against its floor. On each database it starts
// the floor (bench/ack-floor.ts: bare Bolt, one INSERT, one section) and then the real bot (npm start's
// command), each as its own process on the same fresh database, and drives both with signed
// `/ti update <text>` requests: closed loop (50 connections for 10 s) and open loop (100 requests/s for
// 30 s). It prints requests/s, p50/p99/max, errors, the bot's share of the floor, time to healthy and
// RSS, and checks every acknowledged update was stored exactly once. PGlite always; PostgreSQL too when
// BENCH_DATABASE_URL (or DATABASE_URL) names a server where it may create a database.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import os from "node:os";
import autocannon from "autocannon";
import pg from "pg";
import { signSlackRequest } from "../test/support/fake-slack.js";
import { benchTeam, benchUserId, seedChampions } from "./champions.js";
import { cpuSplitMs, freePort, rssMb, settle, waitUntilReady } from "./ack-floor-process.js";
import { openLoop } from "./open-loop.js";
import { pgliteTarget, postgresTarget, type Target } from "./targets.js";

const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const openRate = Number(process.env.BENCH_OPEN_RATE ?? 100);
const openSeconds = Number(process.env.BENCH_OPEN_SECONDS ?? 30);
const workerCounts = (process.env.BENCH_WORKERS ?? "1").split(",").map(Number).filter((n) => n >= 1);
// The floor and the bot in turn, this many times on the same database: on a shared machine one pair's
// ratio can move by ten points, so with more than one round the median ratio is printed too.
const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 1));
// Each request comes from one of this many champions in turn, as in a real network, so per-person pacing
// (left at its real setting) and the recording of each person's address (written on their first request,
// then read while unchanged, and written again once its last-seen time is a minute old) are exercised as in
// production.
const people = Number(process.env.BENCH_PEOPLE ?? 1000);
/** A directory for CPU profiles (`--cpu-prof`) of the floor and the bot; unset, none. */
const cpuProfileDir = process.env.BENCH_CPU_PROF;
const signingSecret = "bench-signing-secret";

type App = "floor" | "bot";

/** Joined champions to post as, so every request takes the full path: verify, parse, store, render. */
async function seedBench(target: Target): Promise<void> {
  const db = await target.open();
  await seedChampions(db, people);
  await db.close();
}

function startProcess(app: App, target: Target, port: number, workers: number): ChildProcess {
  const profile = cpuProfileDir ? ["--cpu-prof", `--cpu-prof-dir=${cpuProfileDir}`] : [];
  // The bot as `npm start` runs it (compiled, dist/main.js; built before the runs); the floor through tsx.
  const command = app === "bot" ? ["dist/main.js"] : ["--import", "tsx", "bench/ack-floor.ts"];
  return spawn(process.execPath, [...profile, ...command], {
    env: {
      ...process.env,
      ...target.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "error",
      TI_WORKERS: String(workers),
      SLACK_SIGNING_SECRET: signingSecret,
      SLACK_BOT_TOKEN: "xoxb-bench",
      SLACK_API_URL: "http://127.0.0.1:9/api/",
      ...(target.env.DATABASE_URL ? {} : { DATABASE_URL: "" }),
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
}

interface Load {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  max: number;
  /** Refused, failed, timed out, or answered with something other than "saved" (a slow-down, an apology, a fallback). */
  errors: number;
  saved: number;
  /** Answered, but not "saved". */
  unsaved: number;
  /** CPU the process (and its workers) spent per request answered, in ms: less noisy than throughput on a shared machine. */
  cpuMsPerRequest: [user: number, system: number];
}

/** A signed `/ti update` from the sequence's champion, with a fresh timestamp and trigger id. */
function signedUpdate(sequence: number): { body: string; headers: Record<string, string> } {
  const body = new URLSearchParams({
    command: "/ti",
    text: `update Bench update ${sequence}: ran a reflective practice session #safety #choice`,
    team_id: benchTeam,
    user_id: benchUserId(sequence % people),
    user_name: "bench",
    channel_id: "CBENCH",
    trigger_id: `bench.${sequence}.${randomUUID()}`,
    response_url: "http://127.0.0.1:9/response",
  }).toString();
  return { body, headers: { ...signSlackRequest(body, signingSecret), "content-type": "application/x-www-form-urlencoded" } };
}

/** Closed loop (autocannon, `connections` at once for `seconds`) or open loop (a constant `openRate` a second). */
async function drive(url: string, open: boolean, pid: number): Promise<Load> {
  const cpuBefore = await cpuSplitMs(pid);
  let saved = 0;
  let unsaved = 0;
  const onAnswer = (status: number, body: string) => {
    if (status === 200 && body.includes("update is saved")) saved += 1;
    else if (status === 200) unsaved += 1;
  };
  let summary: Omit<Load, "saved" | "unsaved" | "cpuMsPerRequest">;
  let answered: number;
  if (open) {
    const result = await openLoop({ origin: url, rate: openRate, seconds: openSeconds, connections, onAnswer, request: (i) => ({ path: "/slack/events", ...signedUpdate(i) }) });
    summary = { requestsPerSecond: result.requestsPerSecond, p50: result.p50, p99: result.p99, max: result.max, errors: result.errors };
    answered = result.sent;
  } else {
    let sequence = 0;
    const result = await autocannon({
      url: `${url}/slack/events`,
      connections,
      duration: seconds,
      requests: [{ method: "POST", setupRequest: (request) => ({ ...request, ...signedUpdate(sequence++) }), onResponse: onAnswer }],
    });
    summary = { requestsPerSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max, errors: result.errors + result.timeouts + result.non2xx };
    answered = result.requests.total;
  }
  const cpuAfter = await cpuSplitMs(pid);
  const requests = Math.max(1, answered);
  return { ...summary, errors: summary.errors + unsaved, saved, unsaved, cpuMsPerRequest: [(cpuAfter[0] - cpuBefore[0]) / requests, (cpuAfter[1] - cpuBefore[1]) / requests] };
}

/** Rows the app stored so far (none before the floor first made its table). */
async function storedCount(app: App, target: Target): Promise<{ stored: number; distinct: number }> {
  const db = await target.open();
  try {
    if (app === "floor" && !(await db.prisma.$queryRawUnsafe<unknown[]>(`SELECT 1 FROM pg_tables WHERE tablename = 'ack_floor'`)).length) return { stored: 0, distinct: 0 };
    const [row] = await db.prisma.$queryRawUnsafe<{ stored: bigint; distinct: bigint }[]>(
      app === "bot" ? `SELECT count(*) AS stored, count(DISTINCT "sourceRef") AS distinct FROM "Update"` : `SELECT count(*) AS stored, count(DISTINCT trigger_id) AS distinct FROM ack_floor`,
    );
    return { stored: Number(row!.stored), distinct: Number(row!.distinct) };
  } finally {
    await db.close();
  }
}

/**
 * Transactions committed or rolled back in the target's PostgreSQL database so far; undefined on PGlite.
 * Each statement outside a transaction is one, so per stored update it counts the round trips a request
 * costs (plus start-up and background work, spread over thousands of requests). Read after the process
 * has exited: a backend reports its counts when it ends, an idle one only every few seconds.
 */
async function transactions(target: Target): Promise<number | undefined> {
  if (!target.env.DATABASE_URL) return undefined;
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const client = new pg.Client({ connectionString: target.env.DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>("SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()");
    return Number(rows[0]!.n);
  } finally {
    await client.end();
  }
}

/** One process (the floor or the bot with `workers` processes): closed loop, then open loop. */
async function measure(app: App, target: Target, workers: number) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const before = await storedCount(app, target);
  const transactionsBefore = await transactions(target);
  const started = performance.now();
  const child = startProcess(app, target, port, workers);
  try {
    await waitUntilReady(url, child);
    const readyMs = Math.round(performance.now() - started);
    const rssAtReady = await rssMb(child.pid!);
    const settledMs = await settle(child.pid!);
    let peakRss = rssAtReady;
    const sampler = setInterval(() => void rssMb(child.pid!).then((mb) => (peakRss = Math.max(peakRss, mb))), 250);
    const closed = await drive(url, false, child.pid!);
    const open = openSeconds > 0 ? await drive(url, true, child.pid!) : undefined;
    clearInterval(sampler);
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
    const transactionsAfter = await transactions(target);
    const after = await storedCount(app, target);
    const stored = after.stored - before.stored;
    const distinct = after.distinct - before.distinct;

    // autocannon stops counting when the clock runs out, but requests already sent (at most one per
    // connection and run) still reach the process and are stored; so are updates answered "Working on
    // it…" (counted as errors here, their answer going to the response_url). So acked <= stored <=
    // acked + those + in flight.
    const acked = closed.saved + (open?.saved ?? 0);
    const answeredLater = closed.unsaved + (open?.unsaved ?? 0);
    const inFlight = stored - acked;
    const storedOnce = distinct === stored && inFlight >= 0 && inFlight <= answeredLater + connections * 2;
    const label = app === "floor" ? "floor" : workers === 1 ? "bot" : `bot, ${workers} processes`;
    const row = (load: Load, shape: string) => ({
      database: target.name,
      app: label,
      load: shape,
      "requests/s": Math.round(load.requestsPerSecond),
      "p50 ms": load.p50,
      "p99 ms": load.p99,
      "max ms": load.max,
      errors: load.errors,
      "CPU ms/req user+sys": load.cpuMsPerRequest.map((ms) => ms.toFixed(2)).join("+"),
    });
    return {
      closed: row(closed, `${connections} connections, ${seconds} s`),
      open: open ? row(open, `${openRate}/s, ${openSeconds} s`) : undefined,
      process: {
        database: target.name,
        app: label,
        "ready ms": readyMs,
        "quiet after ms": settledMs,
        "RSS ready MB": rssAtReady,
        "RSS peak MB": peakRss,
        "SQL xacts/update": transactionsBefore === undefined ? "" : ((transactionsAfter! - transactionsBefore - 1) / stored).toFixed(2),
        "stored once": storedOnce ? `yes: ${stored} (${acked} acked + ${inFlight} answered later or in flight)` : `NO: ${acked} acked, ${stored} stored, ${distinct} distinct`,
      },
    };
  } finally {
    if (child.exitCode === null) child.kill("SIGKILL");
  }
}

async function onDatabase(makeTarget: () => Promise<Target>, workers: readonly number[]) {
  const target = await makeTarget();
  try {
    await seedBench(target);
    const share = (rps: number, of: number) => Math.round((100 * rps) / of);
    const loads = [];
    const processes = [];
    const shares = new Map<string, number[]>();
    for (let round = 1; round <= rounds; round++) {
      const floor = await measure("floor", target, 1);
      const bots = [];
      for (const count of workers) bots.push(await measure("bot", target, count));
      const numbered = rounds > 1 ? { round } : {};
      for (const { closed, open } of [floor, ...bots]) {
        const percent = share(closed["requests/s"], floor.closed["requests/s"]);
        if (closed !== floor.closed) shares.set(closed.app, [...(shares.get(closed.app) ?? []), percent]);
        loads.push({ ...numbered, ...closed, "of floor": `${percent}%` });
        if (open) loads.push({ ...numbered, ...open, "of floor": "" });
      }
      processes.push(...[floor, ...bots].map(({ process }) => ({ ...numbered, ...process })));
    }
    const medians = [...shares].map(([app, percents]) => ({ database: target.name, app, "of floor, each round": percents.map((p) => `${p}%`).join(", "), median: `${median(percents)}%` }));
    return { loads, processes, medians };
  } finally {
    await target.cleanup();
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : Math.round((sorted[middle - 1]! + sorted[middle]!) / 2);
}

// `BENCH_DATABASES=postgres` skips PGlite (profiling one database); both run by default.
const databases = (process.env.BENCH_DATABASES ?? "pglite,postgres").split(",");
// What `npm start` would build first, so the bot runs the current sources.
execFileSync(process.execPath, ["src/build/build.mjs"], { stdio: "inherit" });
const runs = databases.includes("pglite") ? [await onDatabase(pgliteTarget, [1])] : [];
const postgresUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
if (postgresUrl && databases.includes("postgres")) runs.push(await onDatabase(() => postgresTarget(postgresUrl), workerCounts));
else console.log("(PostgreSQL skipped: set BENCH_DATABASE_URL to a server where the bench may create a database.)");

console.log(`\nSlack acknowledgement latency: signed /ti update from ${people} champions, Node ${process.version}, load average ${os.loadavg().map((n) => n.toFixed(2)).join(" ")}`);
console.table(runs.flatMap((run) => run.loads));
console.table(runs.flatMap((run) => run.processes));
if (rounds > 1) console.table(runs.flatMap((run) => run.medians));
console.log(
  "Goals: the bot at >= 70% of the floor on PostgreSQL and >= 50% on PGlite (closed loop), zero errors, every update stored once;\n" +
    "PGlite p99 under 1,000 ms at 50 connections; p99 under 50 ms at 100 requests/s on both databases (Slack allows 3,000 ms).",
);
