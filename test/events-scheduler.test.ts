// The events jobs through the real scheduler: an invite chosen for later goes when its time comes, and on
// PostgreSQL two replicas, each with its own connections, send each reminder to each person once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CoreContext } from "../src/core/kernel/context.js";
import { recordAnswer } from "../src/core/events/answer-invite.js";
import { loadEvent, type StoredEvent } from "../src/core/events/find-event.js";
import { sendInvites } from "../src/core/events/send-invites.js";
import { ensureNetwork } from "../src/core/network.js";
import { openDatabase, type Database } from "../src/db/database.js";
import { createLogger } from "../src/log.js";
import { eventJobs } from "../src/core/events/jobs.js";
import { createScheduler, type Scheduler } from "../src/scheduler/scheduler.js";
import { createTestDatabase, usingPostgres, type TestDatabase } from "./support/database.js";
import { seedMembers } from "./support/seed.js";
import { coreContext } from "./support/core-context.js";

let db: TestDatabase;
let ctx: CoreContext;
let clock = new Date("2027-01-04T10:00:00Z");
const log = createLogger("silent");
const everyone = { who: "everyone", organisations: [], sectors: [], localities: [], trainingLevels: [], platforms: ["slack", "teams"] };

beforeAll(async () => {
  db = await createTestDatabase();
  const network = await ensureNetwork(db.prisma, { name: "Scheduled network", timeZone: "Europe/London", sendingHours: "always" });
  ctx = coreContext(db, network, { timeZone: "Europe/London", now: () => clock });
});

afterAll(async () => {
  await db?.destroy();
});

function schedulerFor(context: CoreContext): Scheduler {
  return createScheduler({ prisma: context.prisma, jobs: eventJobs(context), timeZone: "Europe/London", log, now: context.now });
}

async function plannedEvent(title: string, startsAt: string, inviteAt: string): Promise<StoredEvent> {
  const starts = new Date(startsAt);
  const created = await db.prisma.networkEvent.create({
    data: { networkId: ctx.networkId, title, description: "", startsAt: starts, endsAt: new Date(starts.getTime() + 2 * 3_600_000), location: "Taunton", audience: everyone, inviteAt: new Date(inviteAt) },
  });
  return (await loadEvent(ctx, created.number))!;
}

describe("event jobs", () => {
  it("send invites chosen for later when their time comes, once", async () => {
    const people = await seedMembers(db.prisma, { slack: { count: 3 } });
    const event = await plannedEvent("Invited later", "2027-02-20T10:00:00Z", "2027-01-05T09:00:00Z");
    const scheduler = schedulerFor(ctx);
    await scheduler.runSlot("events.invite", clock);
    expect(await db.prisma.delivery.count({ where: { purposeKey: `event:${event.number}:invite` } })).toBe(0);

    clock = new Date("2027-01-05T09:00:00Z");
    const run = await scheduler.runSlot("events.invite", clock);
    expect(run).toMatchObject({ ran: true, outcome: expect.stringMatching(/^1 events' invites sent to \d+ people$/) });
    const invited = await db.prisma.delivery.findMany({ where: { purposeKey: `event:${event.number}:invite` }, select: { memberId: true } });
    expect(invited.map((row) => row.memberId)).toEqual(expect.arrayContaining(people.map((person) => person.memberId)));
    clock = new Date("2027-01-05T09:05:00Z");
    await scheduler.runSlot("events.invite", clock);
    expect(await db.prisma.delivery.count({ where: { purposeKey: `event:${event.number}:invite` } })).toBe(invited.length);
    expect((await loadEvent(ctx, event.number))!.invitedAt).toEqual(new Date("2027-01-05T09:00:00Z"));
  });
});

describe("a reminder slot missed while the bot was down", () => {
  it("is caught up once when the bot starts, and not again by a second start", async () => {
    clock = new Date("2027-05-01T10:00:00Z");
    const [person] = await seedMembers(db.prisma, { slack: { count: 1 }, organisation: { name: "Catch-up Trust", sector: "health" } });
    const event = await plannedEvent("Caught up", "2027-05-20T09:00:00Z", "2027-05-01T10:00:00Z");
    await sendInvites(ctx, event);
    await recordAnswer(ctx, event, person!.memberId, "going");

    // The reminders ran here the hour before; then the bot was down from before 10:15 BST (09:15Z), a week before.
    await db.prisma.jobRun.create({ data: { job: "events.remind", slot: "2027-05-13T08:15", finishedAt: clock, outcome: "ran" } });
    clock = new Date("2027-05-13T09:40:00Z");
    const first = schedulerFor(ctx);
    await first.start();
    await first.stop();
    const second = schedulerFor(ctx);
    await second.start();
    await second.stop();
    expect(await db.prisma.jobRun.count({ where: { job: "events.remind", slot: "2027-05-13T09:15" } })).toBe(1);
    expect(await db.prisma.delivery.count({ where: { purposeKey: `event:${event.number}:remind:7d` } })).toBe(1);
  });
});

describe.runIf(usingPostgres)("event jobs on two PostgreSQL replicas", () => {
  const replicas: Database[] = [];

  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.close()));
  });

  it("send each reminder to each person once, however the replicas' runs overlap", async () => {
    clock = new Date("2027-03-01T10:00:00Z");
    const people = await seedMembers(db.prisma, { slack: { count: 40 }, organisation: { name: "Replica Trust", sector: "health" } });
    const event = await plannedEvent("Reminded twice over", "2027-03-20T10:00:00Z", "2027-03-01T10:00:00Z");
    await sendInvites(ctx, event);
    const answers = ["going", "maybe", "declined"] as const;
    for (const [index, person] of people.entries()) await recordAnswer(ctx, event, person.memberId, answers[index % 3]!);

    for (let index = 0; index < 2; index++) replicas.push(await openDatabase({ kind: "postgres", url: db.url! }));
    const schedulers = replicas.map((replica) => schedulerFor({ ...ctx, prisma: replica.prisma }));
    clock = new Date("2027-03-13T10:15:00Z");
    // Both claim the same slot, and each also runs a slot of its own at the same moment.
    const runs = await Promise.all([
      schedulers[0]!.runSlot("events.remind", clock),
      schedulers[1]!.runSlot("events.remind", clock),
      schedulers[0]!.runSlot("events.remind", new Date("2027-03-13T11:15:00Z")),
      schedulers[1]!.runSlot("events.remind", new Date("2027-03-13T12:15:00Z")),
    ]);
    expect(runs.filter((run) => run.ran)).toHaveLength(3);

    const reminded = await db.prisma.delivery.findMany({ where: { purposeKey: `event:${event.number}:remind:7d` }, select: { memberId: true } });
    const expected = people.filter((_, index) => index % 3 !== 2).map((person) => person.memberId);
    expect(reminded.map((row) => row.memberId).sort()).toEqual(expected.sort());
  });

  it("gives three places to three people when twelve say going at the same moment", async () => {
    clock = new Date("2027-03-01T10:00:00Z");
    const people = await seedMembers(db.prisma, { slack: { count: 12 }, organisation: { name: "Race Trust", sector: "health" } });
    const event = { ...(await plannedEvent("Three places left", "2027-04-20T10:00:00Z", "2027-03-01T10:00:00Z")) };
    await db.prisma.networkEvent.update({ where: { id: event.id }, data: { capacity: 3 } });
    await Promise.all(people.map((person, index) => recordAnswer({ ...ctx, prisma: replicas[index % 2]!.prisma }, event, person.memberId, "going")));
    const invitations = await db.prisma.eventInvitation.findMany({ where: { eventId: event.id } });
    expect(invitations.filter((row) => row.waitlistedAt === null)).toHaveLength(3);
    expect(invitations.filter((row) => row.waitlistedAt !== null)).toHaveLength(9);
  });
});
