// Soak benchmark (not in CI): minutes of steady, mixed traffic on the whole bot, to catch leaks, errors that
// only show after a while, and stalls of the event loop. The bot runs in a process of its own (this file
// started again with --bot-process), wired by createApp as `npm start` wires it, on a fresh database:
// PostgreSQL when BENCH_DATABASE_URL (or DATABASE_URL) names a server where it may create a database, which
// is what the soak is meant for; otherwise PGlite, which runs inside the bot's process, so its figures then
// include the database.
//
// 200 seeded members (100 on Slack, 100 on Teams) send, at a steady SOAK_RATE (default 20 a second): signed
// `/ti update …` commands, RSVP presses on an event's invite, and one-tap pulse answers (each member's first
// answer counts; later ones are answered "already answered"). At the end of the warm-up a coordinator sends a
// broadcast to all 5,000 seeded members through the form, the preview and its Send button; the dispatcher
// delivers it to the test suite's fake Slack and fake Bot Connector. The bot process samples its RSS and its
// event-loop delay every second. At the end the soak prints requests sent, errors (goal 0), the broadcast's
// deliveries against the 5,000 expected, RSS at the end of the warm-up and at the end (goal: under 10%
// growth), and the event loop's p99 delay over the run. It always exits 0: it measures, it doesn't judge.
// Everything listens on, and sends to, 127.0.0.1 only.
//
//   BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres node --import tsx bench/soak.ts   # 600 s
//   SOAK_SECONDS=30 node --import tsx bench/soak.ts                                                   # a check
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { cpus, loadavg } from "node:os";
import path from "node:path";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { CardElement } from "../adapters/teams/render.js";
import { createApp } from "../src/app.js";
import { loadConfig } from "../src/config.js";
import type { CoreContext } from "../src/core/kernel/context.js";
import { loadEvent } from "../src/core/events/find-event.js";
import { sendInvites } from "../src/core/events/send-invites.js";
import { ensureNetwork } from "../src/core/network.js";
import { openPulseRound } from "../src/core/pulses/open-round.js";
import { openDatabase } from "../src/db/database.js";
import { createLogger } from "../src/log.js";
import { slackSigningSecret, type TestApp } from "../test/support/app.js";
import { eventually } from "../test/support/eventually.js";
import { startFakeConnector, teamsCardSubmit, teamsMessage, type FakeConnector, type TeamsUser } from "../test/support/fake-connector.js";
import { startFakeSlack, type FakeSlack } from "../test/support/fake-slack.js";
import { seedMembers, type SeededMember } from "../test/support/seed.js";
import { slackButtons, slackUser, testTeam } from "../test/support/slack-user.js";
import { cardElements, cardOf } from "../test/support/teams-card.js";
import { pgliteTarget, postgresTarget, type Target } from "./targets.js";
import { coreContext } from "../test/support/core-context.js";

const botProcessFlag = "--bot-process";
const thisFile = fileURLToPath(import.meta.url);

const soakSeconds = Number(process.env.SOAK_SECONDS ?? 600);
const requestsPerSecond = Number(process.env.SOAK_RATE ?? 20);
// The first minute, or a fifth of a short run: start-up, first plans and caches, the heap finding its size.
const warmUpSeconds = Math.min(60, soakSeconds * 0.2);
const actorsPerPlatform = 100;
const broadcastAudience = 5_000;
// More than this many requests unanswered means the bot has fallen behind; piling on more would measure the
// queue, not the bot.
const maxInFlight = 64;
// The broadcast's 5,000 are spread over several workspaces and tenants, as a regional network's are; the
// dispatcher paces each one at the configured rates (20/s a Slack workspace, 50/s a Teams tenant).
const slackWorkspaces = [testTeam.id, "T0SOAKB", "T0SOAKC", "T0SOAKD"] as const;
const teamsTenants = ["tenant-a", "tenant-b", "tenant-c", "tenant-d"] as const;
const coordinator = { id: "U0SOAKCOORD", name: "Soak Coordinator" };
const apology = "something went wrong on our side";
const slowDown = "going a little faster than I can keep up with";
// monitorEventLoopDelay records the whole gap between ticks of a timer with this period, so an idle loop
// reads 10 ms: the delay is what is over it.
const delayResolutionMs = 10;

type BotReport =
  | { type: "ready"; port: number }
  | { type: "sample"; at: number; rssMb: number; heapMb: number; delayP99Ms: number }
  | { type: "run delay"; p99Ms: number; maxMs: number; meanMs: number };
type Sample = Extract<BotReport, { type: "sample" }>;
type RunDelay = Extract<BotReport, { type: "run delay" }>;
/** measure: the soak starts now; report: send the delay since then; stop: as SIGTERM stops the bot. */
type SoakOrder = "measure" | "report" | "stop";

const megabytes = (bytes: number) => Math.round(bytes / 1_048_576);
const delayMs = (nanoseconds: number) => Math.max(0, nanoseconds / 1e6 - delayResolutionMs);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------------------
// The bot process: the app as `npm start` runs it, measuring itself.

async function runBotProcess(): Promise<void> {
  const report = (message: BotReport) => process.send?.(message);
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL);
  const db = await openDatabase(config.DATABASE_URL ? { kind: "postgres", url: config.DATABASE_URL } : { kind: "pglite", dataDir: path.resolve(config.DATA_DIR) });
  const app = await createApp({ config, db, log });
  const address = await app.start();

  // The run's p99 is over every tick, not over the seconds' p99s; a recordable histogram refuses to add an
  // event-loop one, so the run has a monitor of its own.
  const thisSecond = monitorEventLoopDelay({ resolution: delayResolutionMs });
  const wholeRun = monitorEventLoopDelay({ resolution: delayResolutionMs });
  thisSecond.enable();
  wholeRun.enable();
  const sampler = setInterval(() => {
    const memory = process.memoryUsage();
    report({ type: "sample", at: Date.now(), rssMb: megabytes(memory.rss), heapMb: megabytes(memory.heapUsed), delayP99Ms: delayMs(thisSecond.percentile(99)) });
    thisSecond.reset();
  }, 1000);

  // Never outlive the soak that started it.
  process.on("disconnect", () => process.exit(1));
  process.on("message", (order: SoakOrder) => {
    if (order === "measure") wholeRun.reset();
    if (order === "report") report({ type: "run delay", p99Ms: delayMs(wholeRun.percentile(99)), maxMs: delayMs(wholeRun.max), meanMs: delayMs(wholeRun.mean) });
    if (order !== "stop") return;
    clearInterval(sampler);
    void app
      .stop()
      .then(() => db.close())
      .then(() => process.exit(0));
  });
  report({ type: "ready", port: address.port });
}

// ---------------------------------------------------------------------------------------------------------
// The soak: the database, the fake platforms, the members and their traffic, and the report.

interface BotProcess {
  url: string;
  samples: Sample[];
  logged: LoggedProblems;
  order(order: SoakOrder): void;
  runDelay(): Promise<RunDelay>;
  stop(): Promise<void>;
}

interface LoggedProblems {
  errors: number;
  warnings: number;
  first: string[];
}

async function startBotProcess(target: Target, slack: FakeSlack): Promise<BotProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", thisFile, botProcessFlag], {
    env: {
      ...process.env,
      ...target.env,
      HOST: "127.0.0.1",
      PORT: "0",
      LOG_LEVEL: "warn",
      SLACK_SIGNING_SECRET: slackSigningSecret,
      SLACK_BOT_TOKEN: "xoxb-soak",
      SLACK_API_URL: slack.url,
      // No Socket Mode and no Bot Framework credentials, whatever the shell has: nothing leaves 127.0.0.1.
      SLACK_APP_TOKEN: "",
      MICROSOFT_APP_ID: "",
      TI_COORDINATORS: `slack:${coordinator.id}`,
      TI_SENDING_HOURS: "always",
      // 200 members at 20 requests a second is 6 a minute each, under the default 30; this keeps a faster
      // SOAK_RATE from measuring the pacing instead of the work.
      TI_COMMANDS_PER_MINUTE: "1000",
    },
    stdio: ["ignore", "pipe", "inherit", "ipc"],
  });
  const samples: Sample[] = [];
  const logged: LoggedProblems = { errors: 0, warnings: 0, first: [] };
  createInterface({ input: child.stdout! }).on("line", (line) => noteLogLine(line, logged));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let delayReported: ((delay: RunDelay) => void) | undefined;
  const port = await new Promise<number>((resolve, reject) => {
    child.on("message", (message: BotReport) => {
      if (message.type === "ready") resolve(message.port);
      else if (message.type === "sample") samples.push(message);
      else delayReported?.(message);
    });
    void exited.then(() => reject(new Error(`the bot process exited (code ${child.exitCode}) before it was ready`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    samples,
    logged,
    order: (order) => void child.send(order),
    runDelay() {
      const reported = new Promise<RunDelay>((resolve) => (delayReported = resolve));
      child.send("report");
      return reported;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.send("stop");
      const force = setTimeout(() => child.kill("SIGKILL"), 20_000);
      await exited;
      clearTimeout(force);
    },
  };
}

/** The bot logs JSON lines (pino): errors and warnings are counted, anything else is passed through. */
function noteLogLine(line: string, logged: LoggedProblems): void {
  let entry: { level?: number; msg?: string; err?: { message?: string } };
  try {
    entry = JSON.parse(line) as typeof entry;
  } catch {
    console.log(`[bot] ${line}`);
    return;
  }
  const level = entry.level ?? 0;
  if (level >= 50) logged.errors++;
  else if (level >= 40) logged.warnings++;
  if (level >= 40 && logged.first.length < 5) logged.first.push(`${level >= 50 ? "error" : "warn"}: ${entry.msg ?? ""}${entry.err?.message ? ` (${entry.err.message})` : ""}`);
}

/**
 * The members who send traffic, an event they are invited to and a pulse round they are asked, then the
 * rest of the broadcast's 5,000. Invites and the question go out before the rest exist, so only the
 * members who answer them are sent them.
 */
async function seedNetwork(target: Target, teamsServiceUrl: string): Promise<SeededMember[]> {
  const db = await target.open();
  try {
    const network = await ensureNetwork(db.prisma, { name: "Soak network", timeZone: "Europe/London", sendingHours: "always" });
    const ctx: CoreContext = coreContext(db, network);
    const organisation = { name: "Riverside Housing", sector: "housing", locality: "Kirklees" } as const;
    const actors = [
      ...(await seedMembers(db.prisma, { slack: { count: actorsPerPlatform, workspaceId: testTeam.id }, organisation })),
      ...(await seedMembers(db.prisma, { teams: { count: actorsPerPlatform, tenantId: teamsTenants[0], serviceUrl: teamsServiceUrl }, organisation })),
    ];
    await inviteToEvent(ctx, actors.length);
    const round = await openPulseRound(ctx);
    if (!round.opened) throw new Error(`no pulse round opened: ${round.reason}`);
    await seedRestOfAudience(db.prisma, broadcastAudience - actors.length, teamsServiceUrl);
    return actors;
  } finally {
    await db.close();
  }
}

/** As bench/events.ts does: the event stored, then its invites sent through the core. Places for a quarter of the invitees, so answers churn the waiting list. */
async function inviteToEvent(ctx: CoreContext, invitees: number): Promise<void> {
  const startsAt = new Date(Date.now() + 30 * 86_400_000);
  const event = await ctx.prisma.networkEvent.create({
    data: {
      networkId: ctx.networkId,
      title: "Regional gathering",
      description: "Stories from the network.",
      startsAt,
      endsAt: new Date(startsAt.getTime() + 3 * 3_600_000),
      location: "Leeds",
      capacity: Math.floor(invitees / 4),
      audience: { who: "everyone", platforms: ["slack", "teams"] },
      inviteAt: ctx.now(),
    },
  });
  await sendInvites(ctx, (await loadEvent(ctx, event.number))!);
}

async function seedRestOfAudience(prisma: CoreContext["prisma"], count: number, teamsServiceUrl: string): Promise<void> {
  const perWorkspace = Math.ceil(count / (slackWorkspaces.length + teamsTenants.length));
  let left = count;
  for (const workspaceId of slackWorkspaces) {
    const take = Math.min(perWorkspace, left);
    left -= take;
    await seedMembers(prisma, { slack: { count: take, workspaceId } });
  }
  for (const tenantId of teamsTenants) {
    const take = Math.min(perWorkspace, left);
    left -= take;
    await seedMembers(prisma, { teams: { count: take, tenantId, serviceUrl: teamsServiceUrl } });
  }
}

// ---------------------------------------------------------------------------------------------------------
// What members send.

type Kind = "update" | "rsvp" | "pulse answer";
// Half updates, the commonest command; then RSVPs and pulse answers, the buttons people press most.
const mix: readonly Kind[] = ["update", "update", "update", "update", "update", "rsvp", "rsvp", "rsvp", "pulse answer", "pulse answer"];

interface Outcome {
  status: number;
  answer?: unknown;
}

interface Actor {
  send(kind: Kind, sequence: number): Promise<Outcome>;
}

type SlackButton = ReturnType<typeof slackButtons>[number];

/** slackUser needs only the bot's address and the fake Slack of a test app. */
function slackEndpoint(url: string, slack: FakeSlack): TestApp {
  return { url, slack } as unknown as TestApp;
}

const updateText = (sequence: number) => `update Soak update ${sequence}: ran a reflective practice session with the ward team #safety #choice`;

/** The buttons of one verb on the messages the bot sent this Slack person. */
function slackButtonsFor(slack: FakeSlack, userId: string, verb: string): SlackButton[] {
  return slack.calls
    .filter((call) => call.method === "chat.postMessage" && call.body.channel === userId)
    .flatMap((call) => slackButtons(call.body.blocks ?? []))
    .filter((button) => (JSON.parse(button.value) as { verb?: string }).verb === verb);
}

/** What pressing each Action.Submit of one verb, on the cards the bot sent this conversation, sends back. */
function teamsButtonsFor(connector: FakeConnector, conversationId: string, verb: string): Record<string, unknown>[] {
  return connector.calls
    .filter((call) => call.method === "POST" && call.conversationId === conversationId && call.activity.attachments?.[0]?.contentType === "application/vnd.microsoft.card.adaptive")
    .flatMap((call) => cardElements(cardOf(call)))
    .filter((element: CardElement) => element.type === "Action.Submit" && (element.data as { ti?: { verb?: string } } | undefined)?.ti?.verb === verb)
    .map((element) => element.data as Record<string, unknown>);
}

function slackActor(url: string, slack: FakeSlack, member: SeededMember, buttons: Record<"rsvp" | "pulse answer", SlackButton[]>): Actor {
  const person = slackUser(slackEndpoint(url, slack), { id: member.userId, name: `Person ${member.userId}` });
  return {
    send(kind, sequence) {
      if (kind === "update") return person.command(updateText(sequence));
      const choices = buttons[kind];
      return person.press(choices[sequence % choices.length]!);
    },
  };
}

function teamsActor(url: string, connector: FakeConnector, member: SeededMember, buttons: Record<"rsvp" | "pulse answer", Record<string, unknown>[]>): Actor {
  const user: TeamsUser = { id: member.userId, aadObjectId: member.conversationId!.slice(2), name: `Person ${member.userId}`, tenantId: member.workspaceId };
  const post = async (activity: unknown): Promise<Outcome> => {
    const response = await fetch(`${url}/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(activity) });
    await response.arrayBuffer();
    return { status: response.status };
  };
  return {
    send(kind, sequence) {
      if (kind === "update") return post(teamsMessage(connector.url, user, updateText(sequence)));
      const choices = buttons[kind];
      return post(teamsCardSubmit(connector.url, user, choices[sequence % choices.length]!, "1:soak-card"));
    },
  };
}

/**
 * Every member's invite and pulse question carry the same buttons (the event's or round's number and the
 * answer), so the first member's on each platform serve for all, once everyone has been sent theirs.
 */
async function actorsOnceInvited(url: string, slack: FakeSlack, connector: FakeConnector, actors: readonly SeededMember[]): Promise<Actor[]> {
  const firstSlack = actors.find((member) => member.platform === "slack")!;
  const firstTeams = actors.find((member) => member.platform === "teams")!;
  const invitedAndAsked = (member: SeededMember) => (member.platform === "slack" ? slack.postCount(member.userId) : connector.delivered(member.conversationId!)) >= 2;
  await eventually(async () => actors.every(invitedAndAsked), { timeoutMs: 180_000, everyMs: 500, what: "every member receiving the invite and the pulse question" });
  const slackChoices = { rsvp: slackButtonsFor(slack, firstSlack.userId, "event rsvp"), "pulse answer": slackButtonsFor(slack, firstSlack.userId, "pulse answer") };
  const teamsChoices = { rsvp: teamsButtonsFor(connector, firstTeams.conversationId!, "event rsvp"), "pulse answer": teamsButtonsFor(connector, firstTeams.conversationId!, "pulse answer") };
  for (const [platform, choices] of [["Slack", slackChoices], ["Teams", teamsChoices]] as const) {
    if (choices.rsvp.length !== 3 || choices["pulse answer"].length !== 5) throw new Error(`${platform}: expected 3 RSVP and 5 pulse buttons, found ${choices.rsvp.length} and ${choices["pulse answer"].length}`);
  }
  return actors.map((member) => (member.platform === "slack" ? slackActor(url, slack, member, slackChoices) : teamsActor(url, connector, member, teamsChoices)));
}

// ---------------------------------------------------------------------------------------------------------
// Sending at a steady rate, and counting what came back.

interface Tally {
  sent: Record<Kind | "coordinator", number>;
  /** Requests a second or more overdue when the bot had too many in hand, dropped rather than sent in a burst. */
  skipped: number;
  nonSuccess: number;
  exceptions: number;
  apologies: number;
  /** Slack acks saying "Working on it…": the answer took over 2.5 s and went to the response_url. */
  late: number;
  latenciesMs: number[];
  problems: string[];
}

const newTally = (): Tally => ({ sent: { update: 0, rsvp: 0, "pulse answer": 0, coordinator: 0 }, skipped: 0, nonSuccess: 0, exceptions: 0, apologies: 0, late: 0, latenciesMs: [], problems: [] });

function noteProblem(tally: Tally, problem: string): void {
  if (tally.problems.length < 5) tally.problems.push(problem);
}

async function counted<T extends Outcome>(tally: Tally, kind: Kind | "coordinator", request: () => Promise<T>): Promise<T | undefined> {
  tally.sent[kind]++;
  const started = performance.now();
  try {
    const outcome = await request();
    tally.latenciesMs.push(performance.now() - started);
    if (outcome.status < 200 || outcome.status > 299) {
      tally.nonSuccess++;
      noteProblem(tally, `${kind}: HTTP ${outcome.status}`);
    }
    const said = JSON.stringify(outcome.answer ?? "");
    if (said.includes(apology)) {
      tally.apologies++;
      noteProblem(tally, `${kind}: answered with an apology`);
    }
    if (said.includes("Working on it")) tally.late++;
    return outcome;
  } catch (error) {
    tally.exceptions++;
    noteProblem(tally, `${kind}: ${String(error)}`);
    return undefined;
  }
}

/**
 * Sends `requestsPerSecond` until `until`, going round the members; each round shifts who sends which kind,
 * so every member comes to send every kind.
 */
async function driveTraffic(actors: readonly Actor[], until: number, tally: Tally): Promise<void> {
  const started = Date.now();
  const inFlight = new Set<Promise<unknown>>();
  let sequence = 0;
  while (Date.now() < until) {
    const due = Math.floor(((Date.now() - started) / 1000) * requestsPerSecond);
    if (due - sequence > requestsPerSecond) {
      tally.skipped += due - sequence - requestsPerSecond;
      sequence = due - requestsPerSecond;
    }
    while (sequence < due && inFlight.size < maxInFlight) {
      const number = sequence++;
      const actor = actors[number % actors.length]!;
      const kind = mix[(number + Math.floor(number / actors.length)) % mix.length]!;
      const request = counted(tally, kind, () => actor.send(kind, number));
      inFlight.add(request);
      void request.finally(() => inFlight.delete(request));
    }
    await sleep(10);
  }
  await Promise.race([Promise.allSettled(inFlight), sleep(30_000)]);
}

/** The coordinator's broadcast through the real endpoint: the form, the preview, the Send button. Returns when Send was pressed. */
async function sendBroadcast(url: string, slack: FakeSlack, tally: Tally, marker: string): Promise<number> {
  const person = slackUser(slackEndpoint(url, slack), coordinator);
  const typed = await counted(tally, "coordinator", () => person.command("broadcast"));
  const modal = (await slack.waitFor("views.open", { since: typed?.since ?? 0, timeoutMs: 30_000 })).body.view;
  const submitted = await counted(tally, "coordinator", () => person.submit(modal, { message: `Reflective practice sessions start again next week (${marker}).`, who: "everyone", timing: "now" }));
  const preview = await slack.waitFor("response_url", { since: submitted?.since ?? 0, timeoutMs: 30_000, where: (call) => JSON.stringify(call.body).includes("Preview of broadcast") });
  const send = slackButtons(preview.body.blocks).find((button) => /^Send to/.test(button.text.text));
  if (!send) throw new Error("the preview has no Send button");
  const pressedAt = Date.now();
  const pressed = await counted(tally, "coordinator", () => person.press(send));
  await slack.waitFor("response_url", { since: pressed?.since ?? 0, timeoutMs: 30_000, where: (call) => JSON.stringify(call.body).includes("on its way") });
  return pressedAt;
}

/** The broadcast's messages as the fake platforms accepted them, read as they arrive. */
function broadcastReceipts(slack: FakeSlack, connector: FakeConnector, marker: string) {
  const perPerson = new Map<string, number>();
  let slackRead = 0;
  let teamsRead = 0;
  const receive = (person: string) => perPerson.set(person, (perPerson.get(person) ?? 0) + 1);
  return {
    read() {
      for (; slackRead < slack.calls.length; slackRead++) {
        const call = slack.calls[slackRead]!;
        // The coordinator's progress line quotes the broadcast too; it is not a delivery.
        if (call.method === "chat.postMessage" && call.body.channel !== coordinator.id && JSON.stringify(call.body).includes(marker)) receive(String(call.body.channel));
      }
      for (; teamsRead < connector.calls.length; teamsRead++) {
        const call = connector.calls[teamsRead]!;
        if (call.method === "POST" && call.status === 200 && JSON.stringify(call.activity).includes(marker)) receive(call.conversationId);
      }
      return { people: perPerson.size, duplicates: [...perPerson.values()].filter((count) => count > 1).length };
    },
  };
}

/** Apologies and "slow down"s the bot sent later: button answers go to the response_url, Teams replies to the connector. */
function answersLater(slack: FakeSlack, connector: FakeConnector): { apologies: number; slowDowns: number } {
  const said = [...slack.calls.filter((call) => call.method === "response_url").map((call) => JSON.stringify(call.body)), ...connector.calls.map((call) => JSON.stringify(call.activity))];
  return { apologies: said.filter((text) => text.includes(apology)).length, slowDowns: said.filter((text) => text.includes(slowDown)).length };
}

// ---------------------------------------------------------------------------------------------------------
// The run and its report.

interface Stored {
  updates: number;
  pulseAnswers: number;
  rsvps: number;
  broadcast: Record<string, number>;
  /** When the dispatcher recorded the broadcast's last delivery as sent. */
  broadcastLastSentAt: Date | null;
}

/** What the database holds once the bot has stopped (PGlite can be opened by one process at a time). */
async function storedAfterwards(target: Target): Promise<Stored> {
  const db = await target.open();
  try {
    const broadcast = await db.prisma.delivery.groupBy({ by: ["status"], where: { broadcastId: { not: null } }, _count: { _all: true }, _max: { sentAt: true } });
    const lastSent = broadcast.map((row) => row._max.sentAt?.getTime() ?? 0).reduce((latest, at) => Math.max(latest, at), 0);
    return {
      updates: await db.prisma.update.count(),
      pulseAnswers: await db.prisma.pulseAnswer.count(),
      rsvps: await db.prisma.eventInvitation.count({ where: { answer: { not: null } } }),
      broadcast: Object.fromEntries(broadcast.map((row) => [row.status, row._count._all])),
      broadcastLastSentAt: lastSent ? new Date(lastSent) : null,
    };
  } finally {
    await db.close();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function percentile(values: number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))] ?? Number.NaN;
}

/** Memory over the five seconds up to `at`: one sample can land mid-collection. */
function memoryAt(samples: readonly Sample[], at: number, which: "rssMb" | "heapMb" = "rssMb"): number {
  return median(samples.filter((sample) => sample.at > at - 5_000 && sample.at <= at).map((sample) => sample[which]));
}

const figure = (value: number, digits = 0) => value.toLocaleString("en-GB", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const verdict = (met: boolean) => (met ? "PASS" : "MISS");

async function runSoak(): Promise<void> {
  const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
  const target = serverUrl ? await postgresTarget(serverUrl) : await pgliteTarget();
  if (!serverUrl) {
    console.log("BENCH_DATABASE_URL and DATABASE_URL are not set: running on PGlite. The soak is meant for PostgreSQL; on PGlite the database runs inside the bot's process, so RSS and event-loop delay include it.");
  }
  console.log(`Soak on ${target.name}: ${soakSeconds} s (warm-up ${warmUpSeconds} s) at ${requestsPerSecond} requests/s from ${actorsPerPlatform * 2} members, a broadcast to ${figure(broadcastAudience)} after the warm-up.`);
  const slack = await startFakeSlack();
  const connector = await startFakeConnector();
  let bot: BotProcess | undefined;
  try {
    const seedingStarted = Date.now();
    const actors = await seedNetwork(target, connector.url);
    console.log(`Seeded ${figure(broadcastAudience)} members, an event and a pulse round in ${figure((Date.now() - seedingStarted) / 1000, 1)} s.`);
    bot = await startBotProcess(target, slack);
    const members = await actorsOnceInvited(bot.url, slack, connector, actors);

    const tally = newTally();
    const marker = `soak${randomUUID().slice(0, 8)}`;
    const receipts = broadcastReceipts(slack, connector, marker);
    const loadBefore = loadavg()[0]!;
    const startedAt = Date.now();
    const warmedAt = startedAt + warmUpSeconds * 1000;
    const endsAt = startedAt + soakSeconds * 1000;
    bot.order("measure");
    console.log(`Traffic started; it ends at ${new Date(endsAt).toISOString()}.`);
    const traffic = driveTraffic(members, endsAt, tally);
    await sleep(warmedAt - Date.now());
    const broadcastSent = sendBroadcast(bot.url, slack, tally, marker).catch((error: unknown) => {
      tally.exceptions++;
      noteProblem(tally, `broadcast: ${String(error)}`);
      return undefined;
    });
    await sleep(endsAt - Date.now());
    const runDelay = await bot.runDelay();
    const receivedByEnd = receipts.read();
    await traffic;
    const broadcastPressedAt = await broadcastSent;
    // A short run can end before the broadcast does: give it a bounded while longer.
    if (broadcastPressedAt) await eventually(async () => receipts.read().people >= broadcastAudience, { timeoutMs: 120_000, everyMs: 1_000 }).catch(() => undefined);
    const received = receipts.read();
    const loadAfter = loadavg()[0]!;
    await bot.stop();
    const stored = await storedAfterwards(target);

    const samples = bot.samples.filter((sample) => sample.at >= startedAt && sample.at <= endsAt);
    const rssWarm = memoryAt(samples, warmedAt);
    const rssEnd = memoryAt(samples, endsAt);
    const growth = ((rssEnd - rssWarm) / rssWarm) * 100;
    const later = answersLater(slack, connector);
    const requests = Object.values(tally.sent).reduce((sum, count) => sum + count, 0);
    const errors = tally.nonSuccess + tally.exceptions + tally.apologies + later.apologies + bot.logged.errors;
    const trend = Array.from({ length: 10 }, (_, index) => memoryAt(samples, startedAt + ((index + 1) * (endsAt - startedAt)) / 10));
    const broadcastTook = broadcastPressedAt && stored.broadcastLastSentAt ? `, the last ${figure((stored.broadcastLastSentAt.getTime() - broadcastPressedAt) / 1000)} s after Send` : "";
    const halfway = startedAt + (endsAt - startedAt) / 2;
    const worst = samples.reduce((worstYet, sample) => (sample.delayP99Ms > worstYet.delayP99Ms ? sample : worstYet), samples[0]!);

    console.log(`\nSoak: ${soakSeconds} s on ${target.name}, Node ${process.version}, ${cpus().length} CPUs, load average ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)}`);
    console.table({
      "requests sent": `${figure(requests)} (updates ${figure(tally.sent.update)}, RSVPs ${figure(tally.sent.rsvp)}, pulse answers ${figure(tally.sent["pulse answer"])}, coordinator ${tally.sent.coordinator})`,
      "not sent (bot behind)": figure(tally.skipped),
      errors: `${figure(errors)} (non-2xx ${tally.nonSuccess}, exceptions ${tally.exceptions}, apologies ${tally.apologies + later.apologies}, bot error logs ${bot.logged.errors})`,
      "response time p50 / p99 / max": `${figure(percentile(tally.latenciesMs, 0.5))} / ${figure(percentile(tally.latenciesMs, 0.99))} / ${figure(Math.max(...tally.latenciesMs))} ms`,
      "late answers (Working on it…) / slow-downs": `${tally.late} / ${later.slowDowns}`,
      "bot warnings logged": figure(bot.logged.warnings),
      "broadcast delivered": `${figure(received.people)} of ${figure(broadcastAudience)}${broadcastTook}; ${figure(receivedByEnd.people)} by the end of the run; duplicates ${received.duplicates}`,
      "broadcast as recorded": Object.entries(stored.broadcast).map(([status, count]) => `${status} ${figure(count)}`).join(", ") || "nothing queued",
      stored: `updates ${figure(stored.updates)} (of ${figure(tally.sent.update)} sent), pulse answers ${stored.pulseAnswers} (of ${actors.length} members), RSVPs ${stored.rsvps}`,
      "RSS after warm-up / at end / peak": `${rssWarm} / ${rssEnd} / ${Math.max(...samples.map((sample) => sample.rssMb))} MB`,
      "RSS growth after warm-up": `${figure(growth, 1)}%`,
      // A burst, the broadcast, raises RSS in a step that the allocator keeps; a leak keeps climbing after it.
      "RSS growth over the second half": `${figure(((rssEnd - memoryAt(samples, halfway)) / memoryAt(samples, halfway)) * 100, 1)}%`,
      "RSS every tenth of the run": `${trend.join(" ")} MB`,
      "heap used after warm-up / at end / peak": `${memoryAt(samples, warmedAt, "heapMb")} / ${memoryAt(samples, endsAt, "heapMb")} / ${Math.max(...samples.map((sample) => sample.heapMb))} MB`,
      "event-loop delay p99 / mean / max (run)": `${figure(runDelay.p99Ms, 1)} / ${figure(runDelay.meanMs, 1)} / ${figure(runDelay.maxMs)} ms`,
      "worst second's p99": `${figure(worst.delayP99Ms, 1)} ms, ${figure((worst.at - startedAt) / 1000)} s in`,
    });
    for (const problem of [...tally.problems, ...bot.logged.first]) console.log(`  ${problem}`);
    console.log(`Goal: zero errors: ${verdict(errors === 0)}`);
    console.log(`Goal: RSS growth after warm-up under 10%: ${verdict(growth < 10)}`);
    console.log(`Broadcast: ${verdict(received.people === broadcastAudience && received.duplicates === 0)} (all ${figure(broadcastAudience)} delivered once)`);
    if (soakSeconds < 600) console.log(`(A ${soakSeconds} s run is a check; the soak's figures come from the full 600 s.)`);
  } finally {
    await bot?.stop();
    await Promise.all([slack.close(), connector.close()]);
    await target.cleanup();
  }
}

if (process.argv.includes(botProcessFlag)) await runBotProcess();
else {
  await runSoak();
  process.exit(0);
}
