// `npm run bench:engagement`: does engagement slow a broadcast's sends? The whole bot (src/app.ts: the
// dispatcher with its link personalisation, the HTTP server with the /l/ redirect) sends one broadcast,
// with two links and a Got it / Can't / Not sure acknowledgement, to people in two Slack workspaces and
// two Teams tenants, through the fake platforms of bench/delivery-platforms.ts, the dispatcher holding
// the sends to the default limits (TI_* rates), all on 127.0.0.1. Two runs on fresh databases:
//   1. baseline: the broadcast alone;
//   2. engaged: while it sends, 10,000 acknowledgements (button presses, through the bot's handler, some
//      changing their answer) and 20,000 clicks (GET /l/… through the HTTP server, many repeated).
// Prints both send durations (first claim to last delivery sent) and the slowdown; goal: within 5%.
// `--quick` scales everything down by 10. PostgreSQL when BENCH_DATABASE_URL (or DATABASE_URL) is set.
import { loadavg } from "node:os";
import { createApp } from "../src/app.js";
import { audienceSchema, recipientsQuery } from "../src/core/kernel/audience.js";
import { recordBroadcastLinks, clickPath } from "../src/core/broadcasts/broadcast-links.js";
import { broadcastMessage } from "../src/core/broadcasts/compose-broadcast.js";
import { queueDeliveries } from "../src/core/kernel/outbox.js";
import { loadConfig } from "../src/config.js";
import { ensureNetwork } from "../src/core/network.js";
import { createSignedLinks } from "../src/http/signed-links.js";
import { createLogger } from "../src/log.js";
import { coreContext } from "../test/support/core-context.js";
import type { SeededMember } from "../test/support/seed.js";
import { startPlatforms } from "./delivery-platforms.js";
import { insertMembers, people } from "./delivery-setup.js";
import { pgliteTarget, postgresTarget, type Target } from "./targets.js";

const quick = process.argv.includes("--quick");
const scale = quick ? 10 : 1;
const postgresUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
const slackWorkspaces = ["T0ENGAGEA", "T0ENGAGEB"] as const;
const teamsTenants = ["tenant-engage-a", "tenant-engage-b"] as const;
/** People per workspace and tenant (10,000 in all): the sends take about 125 s at Slack's default 20/s a workspace. */
const perWorkspace = 2_500 / scale;
const acknowledgements = 10_000 / scale;
const clicks = 20_000 / scale;
/** Requests in flight at once, as many people pressing and clicking together. */
const inFlight = 32;
const timeoutMs = 180_000;

const text = "The network event has moved to **3 March**. Read [the new plan](https://ti.example.org/plan) and [the venue map](https://maps.example.org/venue).";
const choices = ["Got it", "Can't", "Not sure"];
const env = { TI_SENDING_HOURS: "always", LOG_LEVEL: "error", PORT: "0", HOST: "127.0.0.1", TI_PUBLIC_URL: "https://ti.example.org", TI_COMMANDS_PER_MINUTE: "1000" };

async function run(target: Target, engageOverMs?: number) {
  // The fakes without limits of their own (the bot's start-up calls to Slack name no channel, which the
  // limiting proxy can't route): the dispatcher holds every send to the default TI_* rates itself.
  const platforms = await startPlatforms({ slackWorkspaces });
  const config = loadConfig({
    ...env,
    ...target.env,
    SLACK_BOT_TOKEN: "xoxb-bench",
    SLACK_SIGNING_SECRET: "bench-signing-secret",
    SLACK_API_URL: platforms.slackApiUrl,
    TI_ALLOWED_WORKSPACES: [...slackWorkspaces, ...teamsTenants].join(","),
  });
  const db = await target.open();
  try {
    const network = await ensureNetwork(db.prisma, { name: "Bench network", timeZone: "Europe/London", sendingHours: "always" });
    const members = slackWorkspaces.flatMap((workspaceId, index) => [...people("slack", workspaceId, perWorkspace, "eng"), ...people("teams", teamsTenants[index]!, perWorkspace, "eng")]);
    await insertMembers(db.prisma, network.id, members, platforms.teamsServiceUrl);
    platforms.track(members);
    const app = await createApp({ config, db, log: createLogger("error") });
    const address = await app.start();
    const ctx = coreContext(db, network);
    const broadcast = await db.prisma.broadcast.create({ data: { networkId: network.id, text, audience: { who: "everyone" }, sendNow: true, ackChoices: choices, queuedAt: new Date() } });
    await recordBroadcastLinks(ctx, broadcast);
    const started = Date.now();
    await queueDeliveries({ ...ctx, deliveriesQueued: app.dispatcher.wake }, {
      purposeKey: `broadcast:${broadcast.number}`,
      broadcastId: broadcast.id,
      view: broadcastMessage(ctx, { number: broadcast.number, text, authorName: "Bench Coordinator", ackChoices: choices }),
      recipients: recipientsQuery(ctx, audienceSchema.parse({ who: "everyone" })),
      respectQuietHours: false,
    });
    const deliveries = await db.prisma.delivery.findMany({ where: { broadcastId: broadcast.id }, select: { id: true, memberId: true } });
    const byMember = new Map(members.map((member) => [member.memberId, member]));
    const loadBefore = loadavg()[0]!;
    const engagement =
      engageOverMs === undefined
        ? undefined
        : engage(app, address.port, network.linkSecret, broadcast.number, deliveries.map((row) => ({ id: row.id, member: byMember.get(row.memberId!)! })), engageOverMs);

    const deadline = Date.now() + timeoutMs;
    let unsent = deliveries.length;
    while (unsent > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      unsent = await db.prisma.delivery.count({ where: { broadcastId: broadcast.id, status: { not: "sent" } } });
    }
    const last = await db.prisma.delivery.aggregate({ where: { broadcastId: broadcast.id }, _max: { sentAt: true } });
    const engagedResult = await engagement;
    await app.stop();
    const [acks, clickRows] = await Promise.all([
      db.prisma.broadcastAcknowledgement.count({ where: { broadcastId: broadcast.id } }),
      db.prisma.broadcastClick.count({ where: { link: { broadcastId: broadcast.id } } }),
    ]);
    return {
      recipients: deliveries.length,
      sendMs: unsent === 0 ? last._max.sentAt!.getTime() - started : Number.NaN,
      engaged: engagedResult,
      stored: `${acks} acknowledgements, ${clickRows} distinct clicks`,
      load: `${loadBefore.toFixed(1)} → ${loadavg()[0]!.toFixed(1)}`,
    };
  } finally {
    await db.close();
    await platforms.close();
    await target.cleanup();
  }
}

/**
 * Presses and clicks, spread evenly over `overMs` (most of the baseline's send duration, so all of them
 * land while the broadcast is still sending), at most `inFlight` at a time, across the recipients.
 */
async function engage(app: Awaited<ReturnType<typeof createApp>>, port: number, secret: string, number: number, deliveries: { id: string; member: SeededMember }[], overMs: number) {
  const links = createSignedLinks(secret, () => `http://127.0.0.1:${port}`);
  const expires = new Date(Date.now() + 90 * 86_400_000);
  let acksLeft = acknowledgements;
  let clicksLeft = clicks;
  const latencies: number[] = [];
  let refused = 0;
  let index = 0;
  const pressers = deliveries.filter((delivery) => delivery.member.platform === "slack");
  const total = acksLeft + clicksLeft;
  const start = Date.now();
  async function worker() {
    while (acksLeft > 0 || clicksLeft > 0) {
      const due = start + (index * overMs) / total;
      const delivery = deliveries[index++ % deliveries.length]!;
      if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
      const began = performance.now();
      if (clicksLeft > 0 && (acksLeft === 0 || index % 3 !== 0)) {
        clicksLeft--;
        const link = links.sign(clickPath(number, 1 + (index % 2), delivery.id), expires);
        const response = await fetch(link, { redirect: "manual" });
        await response.arrayBuffer();
        if (response.status !== 302) refused++;
      } else {
        acksLeft--;
        // Presses from Slack people: a press carries no Teams conversation reference, and the bench's Teams people keep theirs.
        const { member } = pressers[index % pressers.length]!;
        const view = await app.bot.handle({ from: { platform: member.platform, workspaceId: member.workspaceId, userId: member.userId }, verb: "broadcast ack", text: `${number} ${1 + (index % 3)}` });
        if (!("replacesOriginal" in view) || !view.replacesOriginal) refused++;
      }
      latencies.push(performance.now() - began);
    }
  }
  const began = Date.now();
  await Promise.all(Array.from({ length: inFlight }, worker));
  latencies.sort((a, b) => a - b);
  const at = (share: number) => Math.round(latencies[Math.floor(share * (latencies.length - 1))]! * 10) / 10;
  return { requests: latencies.length, seconds: (Date.now() - began) / 1000, p50: at(0.5), p99: at(0.99), refused };
}

const targetOf = () => (postgresUrl ? postgresTarget(postgresUrl) : pgliteTarget());
console.log(`Broadcast engagement benchmark${quick ? " (--quick)" : ""}: Node ${process.version}, ${postgresUrl ? "PostgreSQL" : "PGlite"}`);
const baseline = await run(await targetOf());
const engaged = await run(await targetOf(), baseline.sendMs * 0.8);
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
console.table({
  baseline: { recipients: baseline.recipients, "send duration": seconds(baseline.sendMs), engagement: "none", stored: baseline.stored, load: baseline.load },
  engaged: {
    recipients: engaged.recipients,
    "send duration": seconds(engaged.sendMs),
    engagement: `${acknowledgements} acks + ${clicks} clicks: ${engaged.engaged!.requests} requests in ${engaged.engaged!.seconds.toFixed(1)} s, p50 ${engaged.engaged!.p50} ms, p99 ${engaged.engaged!.p99} ms, ${engaged.engaged!.refused} refused`,
    stored: engaged.stored,
    load: engaged.load,
  },
});
const slowdown = (engaged.sendMs / baseline.sendMs - 1) * 100;
console.log(`Slowdown of the sends: ${slowdown.toFixed(1)}% (goal: within 5%).`);
process.exit(0);
