// `npm run bench:delivery`: the delivery engine (src/delivery) sending one broadcast to people in two
// Slack workspaces and two Teams tenants, through fake platforms on 127.0.0.1. The dispatcher runs in a
// process of its own (bench/delivery-worker.ts), wired as src/app.ts wires it. Three runs:
//   1. limited: the fakes enforce the limits the dispatcher is configured with (TI_* rates) and a proxy
//      answers 1% of sends 429 (Retry-After: 1) and 1% 503. Wall time against the least the limits and the
//      pauses the 429s asked for allow, deliveries/s per platform, sends inside a Retry-After, duplicates,
//      losses, peak RSS.
//   2. ceiling: no limits anywhere; the dispatcher's own deliveries/s on PGlite and on PostgreSQL, beside
//      a floor: the same requests from a process that only sends them (bench/delivery-floor.ts).
//   3. kill -9 (PostgreSQL): the dispatcher is killed mid-run and a new one takes over the rows it had
//      claimed once their lease runs out. Losses must be 0, duplicates at most the sends in flight.
// PostgreSQL runs need BENCH_DATABASE_URL (or DATABASE_URL): a server where the bench may create a
// database. `--quick` scales the counts down by 10; `--only=limited|ceiling|kill` runs one;
// `--cpu-prof` profiles the dispatcher process in the ceiling runs.
import { mkdtemp } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { loadConfig } from "../src/config.js";
import type { RateLimits } from "../src/delivery/limits.js";
import { startPlatforms, type Faults, type Platforms } from "./delivery-platforms.js";
import type { Message } from "../src/core/kernel/view.js";
import { floorRequests, runFloor } from "./delivery-floor.js";
import { seedAndQueue, slackWorkspaces, startDispatcherProcess, tally, type Tally } from "./delivery-setup.js";
import { pgliteTarget, postgresTarget, type Target } from "./targets.js";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const only = args.find((arg) => arg.startsWith("--only="))?.slice("--only=".length);
const profileDir = args.includes("--cpu-prof") ? await mkdtemp(path.join(tmpdir(), "ti-bench-profile-")) : undefined;
const postgresUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;

/** People per Slack workspace and per Teams tenant: four of each make the run's total. */
const perWorkspace = quick ? { limited: 250, ceiling: 250, kill: 75 } : { limited: 2_500, ceiling: 2_500, kill: 750 };
const faults: Faults = { rateLimited: 0.01, serverError: 0.01, retryAfterSeconds: 1 };
const config = loadConfig();
const limits: RateLimits = {
  teams: { perWorkspace: config.TI_TEAMS_TENANT_RATE, perConversation: config.TI_TEAMS_CONVERSATION_RATE },
  slack: { perWorkspace: config.TI_SLACK_WORKSPACE_RATE, perConversation: config.TI_SLACK_CHANNEL_RATE },
};
// The highest rates the configuration accepts: the limiter still runs, but never makes a send wait.
const lifted = { TI_TEAMS_TENANT_RATE: "10000", TI_TEAMS_CONVERSATION_RATE: "10000", TI_SLACK_WORKSPACE_RATE: "10000", TI_SLACK_CHANNEL_RATE: "10000" };
// The shortest lease the configuration accepts: the killed process's claims are taken up soon after.
const killLeaseSeconds = 5;

const seconds = (ms: number) => Math.round(ms / 100) / 10;
const perSecond = (count: number, from: Date, to: Date | null) => (to ? Math.round(count / ((to.getTime() - from.getTime()) / 1000)) : 0);
/** Other work on the machine skews every figure: the 1-minute load average before and after a run. */
const load = (before: number) => `${before.toFixed(1)} → ${loadavg()[0]!.toFixed(1)}`;
const statuses = (result: Tally) => Object.entries(result.statuses).map(([status, count]) => `${status} ${count}`).join(", ");

async function limitedRun(target: Target) {
  const platforms = await startPlatforms({ slackWorkspaces, limits, faults });
  try {
    const members = await seedAndQueue(target, platforms, perWorkspace.limited);
    const loadBefore = loadavg()[0]!;
    const minimumMs = 1000 * Math.max(perWorkspace.limited / limits.slack.perWorkspace, perWorkspace.limited / limits.teams.perWorkspace);
    // Each 429 asks for a pause of the whole workspace: expected pauses add count × share × Retry-After.
    const pausesMs = perWorkspace.limited * faults.rateLimited * faults.retryAfterSeconds * 1000;
    const dispatcher = startDispatcherProcess({ ...target.env, SLACK_API_URL: platforms.slackApiUrl });
    const started = await dispatcher.started;
    const settled = await dispatcher.settled(2 * minimumMs + 60_000);
    await dispatcher.stop();
    const result = await tally(target, platforms, members);
    const wallMs = result.lastSettledAt.getTime() - started.getTime();
    const { slack, teams } = platforms.stats;
    const honoured = leastTimeHonouringPauses(platforms.stats, perWorkspace.limited);
    return {
      database: target.name,
      recipients: `${members.length} (${perWorkspace.limited} in each of 2 Slack workspaces and 2 Teams tenants)`,
      limits: `Slack ${limits.slack.perWorkspace}/s a workspace, ${limits.slack.perConversation}/s a channel; Teams ${limits.teams.perWorkspace}/s a tenant, ${limits.teams.perConversation}/s a conversation`,
      "wall time": settled ? `${seconds(wallMs)} s` : `NOT SETTLED after ${seconds(wallMs)} s`,
      "theoretical minimum": `${seconds(minimumMs)} s (${seconds(minimumMs + pausesMs)} s if every injected 429 pauses its workspace)`,
      "over the minimum": `${Math.round((wallMs / minimumMs - 1) * 1000) / 10}%`,
      "least time honouring the pauses asked": `${seconds(honoured.ms)} s (${honoured.workspace}: ${perWorkspace.limited} at its rate + ${seconds(honoured.pausedMs)} s of pauses its 429s asked for)`,
      "over the least time honouring pauses": `${Math.round((wallMs / honoured.ms - 1) * 1000) / 10}% (goal: within 5%)`,
      "Slack deliveries/s": perSecond(result.sent.slack.count, started, result.sent.slack.lastAt),
      "Teams deliveries/s": perSecond(result.sent.teams.count, started, result.sent.teams.lastAt),
      statuses: statuses(result),
      duplicates: result.duplicates,
      losses: result.losses,
      "sends (Slack / Teams)": `${slack.sends} / ${teams.sends}`,
      "429s injected / answered": `Slack ${slack.injected429} / ${slack.answered429}, Teams ${teams.injected429} / ${teams.answered429}`,
      "503s injected": `Slack ${slack.injected5xx}, Teams ${teams.injected5xx}`,
      "sends inside a Retry-After": `Slack ${slack.insideRetryAfter}, Teams ${teams.insideRetryAfter}`,
      "peak RSS": `${dispatcher.peakRssMb()} MB`,
      "load average": load(loadBefore),
    };
  } finally {
    await platforms.close();
    await target.cleanup();
  }
}

/**
 * The least time the limits and the honoured pauses allow: for each workspace, its people at its rate plus
 * the time its 429s (injected or the fakes' own) asked it to wait, overlaps counted once; the slowest sets it.
 */
function leastTimeHonouringPauses(stats: Platforms["stats"], people: number) {
  const each = (["slack", "teams"] as const).flatMap((platform) =>
    [...stats[platform].workspaces].map(([workspace, seen]) => ({
      workspace,
      pausedMs: seen.pausedMs,
      ms: (1000 * people) / limits[platform].perWorkspace + seen.pausedMs,
    })),
  );
  return each.reduce((slowest, next) => (next.ms > slowest.ms ? next : slowest), { workspace: "none", pausedMs: 0, ms: 0 });
}

async function ceilingRun(target: Target) {
  const platforms = await startPlatforms({ slackWorkspaces });
  try {
    const members = await seedAndQueue(target, platforms, perWorkspace.ceiling);
    const loadBefore = loadavg()[0]!;
    const dispatcher = startDispatcherProcess({ ...target.env, ...lifted, SLACK_API_URL: platforms.slackApiUrl }, profileDir);
    const started = await dispatcher.started;
    const settled = await dispatcher.settled(120_000);
    await dispatcher.stop();
    const result = await tally(target, platforms, members);
    const wallMs = result.lastSettledAt.getTime() - started.getTime();
    // After the tally: the floor's sends reach the same fakes and would count as duplicates.
    const floor = await runFloor(floorRequests(platforms, members, await queuedView(target)), config.TI_DELIVERY_CONCURRENCY);
    const rate = perSecond(members.length, started, result.lastSettledAt);
    const floorRate = Math.round(floor.sends / (floor.ms / 1000));
    return {
      database: target.name,
      deliveries: members.length,
      "wall s": settled ? seconds(wallMs) : `NOT SETTLED (${seconds(wallMs)})`,
      "deliveries/s": rate,
      "floor sends/s": `${floorRate}${floor.failed ? ` (${floor.failed} failed)` : ""}`,
      "of the floor": `${Math.round((100 * rate) / floorRate)}%`,
      "floor CPU ms/send": Math.round(floor.cpuMsPerSend * 1000) / 1000,
      duplicates: result.duplicates,
      losses: result.losses,
      statuses: statuses(result),
      "peak RSS MB": dispatcher.peakRssMb(),
      load: load(loadBefore),
    };
  } finally {
    await platforms.close();
    await target.cleanup();
  }
}

/** The view the benchmark queued (every delivery has the same one). */
async function queuedView(target: Target): Promise<Message> {
  const db = await target.open();
  try {
    const row = await db.prisma.delivery.findFirstOrThrow({ select: { view: true } });
    return row.view as unknown as Message;
  } finally {
    await db.close();
  }
}

async function killRun(target: Target) {
  const platforms = await startPlatforms({ slackWorkspaces });
  try {
    const members = await seedAndQueue(target, platforms, perWorkspace.kill);
    const loadBefore = loadavg()[0]!;
    const env = { ...target.env, ...lifted, SLACK_API_URL: platforms.slackApiUrl, TI_DELIVERY_LEASE_SECONDS: String(killLeaseSeconds) };
    const first = startDispatcherProcess(env);
    await first.started;
    const received = () => members.reduce((sum, member) => sum + Math.min(1, platforms.received(member)), 0);
    const deadline = Date.now() + 60_000;
    while (received() < members.length / 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    await first.kill();
    const receivedAtKill = received();

    // The killed process's last statement may still be finishing in its server backend.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const db = await target.open();
    const inFlight = await db.prisma.delivery.findMany({ where: { status: "sending" }, select: { addressId: true } });
    await db.close();
    const byAddress = new Map(members.map((member) => [member.addressId, member]));
    const alreadyReceived = inFlight.filter((row) => platforms.received(byAddress.get(row.addressId)!) > 0).length;

    const second = startDispatcherProcess(env);
    const restarted = await second.started;
    const settled = await second.settled(60_000);
    await second.stop();
    const result = await tally(target, platforms, members);
    return {
      database: target.name,
      deliveries: members.length,
      "received before the kill": receivedAtKill,
      "in flight at the kill (sending)": `${inFlight.length} (${alreadyReceived} of them already received)`,
      lease: `${killLeaseSeconds} s`,
      "restart to all settled": settled ? `${seconds(result.lastSettledAt.getTime() - restarted.getTime())} s` : "NOT SETTLED in 60 s",
      statuses: statuses(result),
      losses: result.losses,
      duplicates: `${result.duplicates} (${result.duplicates <= inFlight.length ? "within" : "MORE THAN"} the ${inFlight.length} in flight)`,
      "load average": load(loadBefore),
    };
  } finally {
    await platforms.close();
    await target.cleanup();
  }
}

const wanted = (run: string) => only === undefined || only === run;
console.log(`Delivery engine benchmark${quick ? " (--quick)" : ""}: Node ${process.version}`);

if (wanted("limited")) {
  const result = await limitedRun(postgresUrl ? await postgresTarget(postgresUrl) : await pgliteTarget());
  console.log("\n1. Limited run: fake platforms enforce the limits and fail 1% of sends with 429 (Retry-After: 1 s) and 1% with 503");
  console.table(result);
  console.log("Goal: wall time within 5% of the least time honouring the pauses asked; no sends inside a Retry-After; zero duplicates, zero losses.");
}

if (wanted("ceiling")) {
  const rows = [await ceilingRun(await pgliteTarget())];
  if (postgresUrl) rows.push(await ceilingRun(await postgresTarget(postgresUrl)));
  console.log("\n2. Ceiling run: no limits in the fakes, the dispatcher's limits at 10,000/s");
  console.table(rows);
  console.log("Goal: at least 1,000 deliveries/s on PostgreSQL.");
  if (profileDir) console.log(`CPU profiles of the dispatcher process: ${profileDir}`);
}

if (wanted("kill") && postgresUrl) {
  const result = await killRun(await postgresTarget(postgresUrl));
  console.log("\n3. Kill -9 run: the dispatcher process killed a third of the way through, a new one started");
  console.table(result);
  console.log("Goal: zero losses; duplicates no more than the deliveries in flight at the kill.");
}

if (!postgresUrl) console.log("\n(PostgreSQL runs skipped: set BENCH_DATABASE_URL to a server where the bench may create a database.)");
