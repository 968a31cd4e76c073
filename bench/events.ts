// Network events at a region's scale: invites to N members (default 10,000; BENCH_MEMBERS), the
// coordinators' `events` view counting their answers by organisation and sector, answers through the
// core one after another, and the reminders queued. Prints the figures; run on PGlite, and on
// PostgreSQL too when BENCH_DATABASE_URL (or DATABASE_URL) is set.
//   node --import tsx bench/events.ts
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { CoreContext } from "../src/core/kernel/context.js";
import { features } from "../src/core/features.js";
import { createBot } from "../src/core/kernel/create-bot.js";
import { loadEvent } from "../src/core/events/find-event.js";
import { sendInvites } from "../src/core/events/send-invites.js";
import { sendDueReminders } from "../src/core/events/send-reminders.js";
import { ensureNetwork } from "../src/core/network.js";
import { pgliteTarget, postgresTarget, type Target } from "./targets.js";
import { coreContext } from "../test/support/core-context.js";

const members = Number(process.env.BENCH_MEMBERS ?? 10_000);
const answers = Number(process.env.BENCH_ANSWERS ?? 500);
const organisations = 100;
const sectors = ["health", "education", "police", "housing", "local_authority", "voluntary_community"] as const;

async function run(target: Target): Promise<void> {
  const db = await target.open();
  try {
    let clock = new Date("2027-01-04T10:00:00Z");
    const network = await ensureNetwork(db.prisma, { name: "Bench region", timeZone: "Europe/London", sendingHours: "always" });
    const ctx: CoreContext = coreContext(db, network, { timeZone: "Europe/London", coordinators: [{ platform: "slack", userId: "U0COORD" }], now: () => clock });
    const orgIds = Array.from({ length: organisations }, () => randomUUID());
    await db.prisma.organisation.createMany({ data: orgIds.map((id, index) => ({ id, networkId: network.id, name: `Organisation ${index}`, sector: sectors[index % sectors.length]! })) });
    const people = Array.from({ length: members }, (_, index) => ({ id: randomUUID(), index }));
    for (let start = 0; start < people.length; start += 5_000) {
      const slice = people.slice(start, start + 5_000);
      await db.prisma.member.createMany({ data: slice.map((person) => ({ id: person.id, networkId: network.id, displayName: `Person ${person.index}`, organisationId: orgIds[person.index % organisations]! })) });
      await db.prisma.address.createMany({ data: slice.map((person) => ({ platform: "slack" as const, workspaceId: "T0BENCH", userId: `U${person.index}`, memberId: person.id })) });
    }
    const event = await db.prisma.networkEvent.create({
      data: { networkId: network.id, title: "Regional gathering", description: "", startsAt: new Date("2027-01-20T10:00:00Z"), endsAt: new Date("2027-01-20T13:00:00Z"), location: "Leeds", capacity: Math.floor(members / 4), audience: { who: "everyone", platforms: ["slack", "teams"] }, inviteAt: clock },
    });
    const stored = (await loadEvent(ctx, event.number))!;

    const inviteMs = await timed(() => sendInvites(ctx, stored));
    const bot = createBot(ctx, features);
    const from = (index: number) => ({ platform: "slack" as const, workspaceId: "T0BENCH", userId: `U${index}` });
    const choices = ["going", "maybe", "declined"];
    const answerStart = performance.now();
    for (let index = 0; index < answers; index++) {
      clock = new Date(clock.getTime() + 1_000);
      await bot.handle({ from: from(index), verb: "event rsvp", text: `${event.number} ${choices[index % 3]}` });
    }
    const perAnswer = (performance.now() - answerStart) / answers;
    const listMs = await timed(() => bot.handle({ from: { platform: "slack", workspaceId: "T0BENCH", userId: "U0COORD" }, verb: "events", text: "" }));
    clock = new Date("2027-01-13T10:30:00Z");
    const remindMs = await timed(() => sendDueReminders(ctx));
    const deliveries = await db.prisma.delivery.count();
    const rss = Math.round(process.memoryUsage().rss / 1_048_576);
    console.log(
      `${target.name}: invites to ${members.toLocaleString("en-GB")} in ${inviteMs} ms; ${answers} answers at ${perAnswer.toFixed(1)} ms each; ` +
        `coordinators' events view ${listMs} ms; reminders queued in ${remindMs} ms; ${deliveries.toLocaleString("en-GB")} deliveries; RSS ${rss} MB`,
    );
  } finally {
    await db.close();
    await target.cleanup();
  }
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return Math.round(performance.now() - start);
}

await run(await pgliteTarget());
const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
if (serverUrl) await run(await postgresTarget(serverUrl));
process.exit(0);
