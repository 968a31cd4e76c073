// The rules of network events, through the core on a real database with a clock the test sets: series
// drafted across a year boundary and the clock changes, answers and the waiting list, edits told once,
// reminders only to those going or maybe, within sending hours.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Bot } from "../src/core/kernel/bot.js";
import { parseCommand } from "../src/core/kernel/command.js";
import type { CoreContext } from "../src/core/kernel/context.js";
import { features } from "../src/core/features.js";
import { createBot } from "../src/core/kernel/create-bot.js";
import { draftNextOccurrences, draftTime, occurrenceStart } from "../src/core/events/draft-series.js";
import { dateTimeAnswer, instantAt } from "../src/core/kernel/form-values.js";
import { sendDueReminders } from "../src/core/events/send-reminders.js";
import type { Address, FormValues } from "../src/core/kernel/interaction.js";
import { ensureNetwork } from "../src/core/network.js";
import type { View } from "../src/core/kernel/view.js";
import { expectForm, viewText } from "./support/bot.js";
import { createTestDatabase, type TestDatabase } from "./support/database.js";
import { seedMembers, type SeededMember } from "./support/seed.js";
import { coreContext } from "./support/core-context.js";

let db: TestDatabase;
let ctx: CoreContext;
let bot: Bot;
let clock = new Date("2026-11-23T10:00:00Z");
let coordinator: Address;
let coordinatorMember: SeededMember;

beforeAll(async () => {
  db = await createTestDatabase();
  const network = await ensureNetwork(db.prisma, { name: "Somerset network", timeZone: "Europe/London", sendingHours: "Mon-Fri 09:00-17:00" });
  ctx = coreContext(db, network, { timeZone: "Europe/London", now: () => clock });
  bot = createBot(ctx, features);
  [coordinatorMember] = (await seedMembers(db.prisma, { slack: { count: 1 }, role: "coordinator" })) as [SeededMember];
  coordinator = { platform: "slack", workspaceId: coordinatorMember.workspaceId, userId: coordinatorMember.userId };
});

afterAll(async () => {
  await db?.destroy();
});

const say = (from: Address, typed: string) => bot.handle({ from, ...parseCommand(typed) });
const addressOf = (member: SeededMember): Address => ({ platform: member.platform, workspaceId: member.workspaceId, userId: member.userId });

/** A day and time picked for a datetime input, as both platforms send them (and nothing else under its id). */
const picked = (id: string, date: string, time: string): FormValues => ({ [id]: undefined, [`${id}.date`]: date, [`${id}.time`]: time });

/** Plans an event through the form and returns its number. */
async function planEvent(values: FormValues): Promise<number> {
  const form = expectForm(await say(coordinator, "event new"));
  const saved = await bot.handle({ from: coordinator, verb: form.verb, text: "", form: { values: { who: "everyone", invite: "now", location: "Taunton", ...values }, context: form.context } });
  const number = /Event #(\d+) is saved/.exec(viewText(saved))?.[1];
  if (!number) throw new Error(`not saved: ${viewText(saved)}`);
  return Number(number);
}

async function deliveriesFor(purposeKey: string): Promise<string[]> {
  const rows = await db.prisma.delivery.findMany({ where: { purposeKey }, select: { memberId: true } });
  return rows.map((row) => row.memberId!).sort();
}

/** Answers a minute after the last answer, as people do: the waiting list is first come, first served. */
function rsvp(member: SeededMember, number: number, answer: string): Promise<View> {
  clock = new Date(clock.getTime() + 60_000);
  return say(addressOf(member), `event rsvp ${number} ${answer}`);
}

describe("series", () => {
  it("keeps the wall-clock time across a year boundary and both clock changes", () => {
    const july = new Date("2026-07-15T09:00:00Z"); // 10:00 BST
    expect(occurrenceStart(july, 6, 1, "Europe/London").toISOString()).toBe("2027-01-15T10:00:00.000Z"); // 10:00 GMT
    expect(occurrenceStart(july, 6, 2, "Europe/London").toISOString()).toBe("2027-07-15T09:00:00.000Z");
    // The last Sunday of March 2027 is the 28th: the clocks go forward at 01:00 UTC that morning.
    const september = new Date("2026-09-28T09:00:00Z");
    expect(occurrenceStart(september, 6, 1, "Europe/London").toISOString()).toBe("2027-03-28T09:00:00.000Z");
    // Drafted eight weeks before, before the change: 10:00 GMT.
    expect(draftTime(new Date("2027-03-28T09:00:00Z"), 8, "Europe/London").toISOString()).toBe("2027-01-31T10:00:00.000Z");
    // The last Sunday of October 2027 is the 31st: 10:00 BST on the 24th, 10:00 GMT on the 31st.
    expect(draftTime(new Date("2027-10-31T10:00:00Z"), 1, "Europe/London").toISOString()).toBe("2027-10-24T09:00:00.000Z");
  });

  it("refuses a picked time the clocks skip, and reads a picked day and time in the network's zone", () => {
    expect(instantAt("2027-03-28", "01:30", "Europe/London")).toBeUndefined();
    expect(instantAt("2027-03-28", "02:30", "Europe/London")?.toISOString()).toBe("2027-03-28T01:30:00.000Z");
    expect(instantAt("2027-01-24", "10:00", "Europe/London")?.toISOString()).toBe("2027-01-24T10:00:00.000Z");
    expect(instantAt("2027-07-24", "10:00", "Europe/London")?.toISOString()).toBe("2027-07-24T09:00:00.000Z");
    // The clocks go back on 31 October 2027: 01:30 happens twice, and the second (GMT) is taken.
    expect(instantAt("2027-10-31", "01:30", "Europe/London")?.toISOString()).toBe("2027-10-31T01:30:00.000Z");
    const errors: Record<string, string> = {};
    expect(dateTimeAnswer(picked("starts", "2027-03-28", "01:30"), "starts", "Europe/London", errors)).toBeUndefined();
    expect(errors.starts).toBe("The clocks go forward that night, so 01:30 doesn't happen on 28 March 2027. Please choose another time.");
    expect(dateTimeAnswer({ "starts.date": "2027-07-24" }, "starts", "Europe/London", errors)).toBeUndefined();
    expect(errors.starts).toBe("Please choose the time too.");
    expect(dateTimeAnswer({ "starts.date": "24/07/2027", "starts.time": "10:00" }, "starts", "Europe/London", errors)).toBeUndefined();
    expect(errors.starts).toMatch(/couldn't read that as a date/);
    expect(dateTimeAnswer({ "starts.date": "2027-07-24", "starts.time": "9:30:00" }, "starts", "America/New_York", errors)?.toISOString()).toBe("2027-07-24T13:30:00.000Z");
  });

  it("drafts the next occurrence once, across the new year, and asks its creator before anyone is invited", async () => {
    clock = new Date("2026-11-23T10:00:00Z");
    const first = await planEvent({ title: "Somerset network event", ...picked("starts", "2026-12-10", "10:00"), ends: "13:00", repeat: "6" });
    expect(await draftNextOccurrences(ctx)).toHaveLength(0);

    // Occurrence 1 is 10 June 2027 at 10:00 BST; drafted eight weeks before, 15 April at 10:00 BST.
    clock = new Date("2027-04-15T08:59:00Z");
    expect(await draftNextOccurrences(ctx)).toHaveLength(0);
    clock = new Date("2027-04-15T09:00:00Z");
    const [draft] = await draftNextOccurrences(ctx);
    expect(draft).toMatchObject({ status: "draft", occurrence: 1, invitedAt: null });
    expect(draft!.startsAt.toISOString()).toBe("2027-06-10T09:00:00.000Z");
    expect(draft!.number).not.toBe(first);
    expect(await draftNextOccurrences(ctx)).toHaveLength(0);
    expect(await deliveriesFor(`event:${draft!.number}:draft`)).toEqual([coordinatorMember.memberId]);
    expect(await db.prisma.eventInvitation.count({ where: { eventId: draft!.id } })).toBe(0);

    const confirmed = await say(coordinator, `event confirm ${draft!.number}`);
    expect(viewText(confirmed)).toMatch(/Confirmed: Somerset network event. Invites are on their way to 1 person/);
    expect((await deliveriesFor(`event:${draft!.number}:invite`)).length).toBeGreaterThan(0);
    expect(viewText(await say(coordinator, `event confirm ${draft!.number}`))).toContain("already confirmed");

    // A year on, with nothing run in between: the missed occurrence is skipped, not drafted in the past.
    clock = new Date("2028-04-20T09:00:00Z");
    const [later] = await draftNextOccurrences(ctx);
    expect(later!.startsAt.toISOString()).toBe("2028-06-10T09:00:00.000Z");
    expect(later!.occurrence).toBe(3);
    expect(viewText(await say(coordinator, `event skip ${later!.number}`))).toContain("Skipped");

    // Stopped: the next draft time comes and goes, and nothing is drafted.
    expect(viewText(await say(coordinator, `event stop ${later!.number}`))).toContain("won't repeat any more");
    clock = new Date("2028-10-20T09:00:00Z");
    expect(await draftNextOccurrences(ctx)).toHaveLength(0);
    expect(viewText(await say(coordinator, `event stop ${later!.number}`))).toContain("had already stopped");
  });
});

describe("answers", () => {
  let members: SeededMember[];
  let number: number;

  beforeAll(async () => {
    clock = new Date("2026-11-23T10:00:00Z");
    members = await seedMembers(db.prisma, { slack: { count: 4 }, role: "member", organisation: { name: "Hillside School", sector: "education" } });
    number = await planEvent({ title: "Small circle", ...picked("starts", "2026-12-10", "10:00"), ends: "12:00", capacity: "2", who: "everyone", organisations: [] });
  });

  it("keeps a waiting list when full and gives the first waiting the place that frees", async () => {
    const [a, b, c, d] = members as [SeededMember, SeededMember, SeededMember, SeededMember];
    expect(viewText(await rsvp(a, number, "going"))).toContain("You said you're going");
    expect(viewText(await rsvp(b, number, "going"))).toContain("You said you're going");
    expect(viewText(await rsvp(c, number, "going"))).toContain("waiting list");
    expect(viewText(await rsvp(d, number, "going"))).toContain("waiting list");
    expect(viewText(await rsvp(c, number, "going"))).toContain("waiting list");

    const freed = await rsvp(b, number, "maybe");
    expect(freed).toMatchObject({ replacesOriginal: true });
    expect(await deliveriesFor(`event:${number}:place:${c.memberId}`)).toEqual([c.memberId]);
    expect(await db.prisma.delivery.count({ where: { purposeKey: `event:${number}:place:${d.memberId}` } })).toBe(0);
    const places = await db.prisma.eventInvitation.findMany({ where: { event: { number }, answer: "going", waitlistedAt: null } });
    expect(places.map((row) => row.memberId).sort()).toEqual([a.memberId, c.memberId].sort());

    expect(viewText(await rsvp(a, number, "sometime"))).toContain("Please answer with one of the buttons");
    const overview = viewText(await say(coordinator, "events"));
    expect(overview).toContain("2 of 2 places going · 1 waiting · 1 maybe · 0 can't make it · 1 no answer");
    expect(overview).toContain("Hillside School: 2 going · 1 waiting · 1 maybe");
    expect(overview).toContain("You haven't answered yet.");
    const [uninvited] = (await seedMembers(db.prisma, { slack: { count: 1 }, role: "member" })) as [SeededMember];
    expect(viewText(await rsvp(uninvited, number, "going"))).toContain("You're not on the invitation list for Small circle");
  });

  it("tells invitees who haven't declined about a change once, and nobody about an edit with nothing new", async () => {
    const [a, b, c, d] = members as [SeededMember, SeededMember, SeededMember, SeededMember];
    await rsvp(d, number, "declined");
    const form = expectForm(await say(coordinator, `event edit ${number}`));
    const values: FormValues = Object.fromEntries(form.inputs.map((input) => [input.id, input.type === "multiselect" ? input.values : input.value]));
    const unchanged = await bot.handle({ from: coordinator, verb: "event", text: "", form: { values, context: form.context } });
    expect(viewText(unchanged)).toContain("nobody was messaged");
    expect(await db.prisma.delivery.count({ where: { purposeKey: { startsWith: `event:${number}:change` } } })).toBe(0);

    const moved = { ...values, ...picked("starts", "2026-12-11", "10:00"), ends: "12:00", capacity: "3" };
    await bot.handle({ from: coordinator, verb: "event", text: "", form: { values: moved, context: form.context } });
    await bot.handle({ from: coordinator, verb: "event", text: "", form: { values: moved, context: form.context } });
    const told = await deliveriesFor(`event:${number}:change:1`);
    expect(told).toContain(a.memberId);
    expect(told).toContain(b.memberId);
    expect(told).toContain(c.memberId);
    expect(told).not.toContain(d.memberId);
    expect(await db.prisma.delivery.count({ where: { purposeKey: `event:${number}:change:2` } })).toBe(0);
  });

  it("answers kindly once the event has started", async () => {
    const [a] = members as [SeededMember];
    clock = new Date("2026-12-11T10:30:00Z");
    const late = await rsvp(a, number, "declined");
    expect(viewText(late)).toContain("has already started, so answers are closed");
    expect(late).not.toHaveProperty("replacesOriginal");
    clock = new Date("2026-11-23T10:00:00Z");
  });
});

describe("reminders", () => {
  it("go a week and a day before to those going or maybe, once, within sending hours", async () => {
    clock = new Date("2027-01-04T10:00:00Z"); // a Monday
    const people = await seedMembers(db.prisma, { slack: { count: 4 }, role: "member", organisation: { name: "Valley Police", sector: "police" } });
    const number = await planEvent({ title: "Reminded gathering", ...picked("starts", "2027-01-23", "10:00"), ends: "12:00", who: "everyone", organisations: [] });
    const [going, maybe, declined] = people as [SeededMember, SeededMember, SeededMember, SeededMember];
    await rsvp(going, number, "going");
    await rsvp(maybe, number, "maybe");
    await rsvp(declined, number, "declined");

    clock = new Date("2027-01-15T10:00:00Z");
    expect(await sendDueReminders(ctx)).toBe(0);
    clock = new Date("2027-01-16T10:30:00Z"); // a Saturday, a week before: held to Monday 09:00
    await sendDueReminders(ctx);
    expect(await deliveriesFor(`event:${number}:remind:7d`)).toEqual([going.memberId, maybe.memberId].sort());
    const held = await db.prisma.delivery.findFirstOrThrow({ where: { purposeKey: `event:${number}:remind:7d` } });
    expect(held.nextAttemptAt.toISOString()).toBe("2027-01-18T09:00:00.000Z");
    expect(await sendDueReminders(ctx)).toBe(0);

    await rsvp(declined, number, "going");
    clock = new Date("2027-01-22T10:30:00Z");
    await sendDueReminders(ctx);
    expect(await deliveriesFor(`event:${number}:remind:1d`)).toEqual([going.memberId, maybe.memberId, declined.memberId].sort());
    expect((await deliveriesFor(`event:${number}:remind:7d`)).length).toBe(2);
  });

  it("skip a reminder whose time had passed when the invites went out", async () => {
    clock = new Date("2027-02-01T10:00:00Z");
    const [someone] = (await seedMembers(db.prisma, { slack: { count: 1 }, role: "member" })) as [SeededMember];
    const number = await planEvent({ title: "Short notice", ...picked("starts", "2027-02-04", "10:00"), ends: "11:00" });
    await rsvp(someone, number, "going");
    clock = new Date("2027-02-03T10:30:00Z");
    await sendDueReminders(ctx);
    expect(await db.prisma.delivery.count({ where: { purposeKey: `event:${number}:remind:7d` } })).toBe(0);
    expect(await deliveriesFor(`event:${number}:remind:1d`)).toContain(someone.memberId);
  });
});

describe("what people type", () => {
  it("answers a missing, unknown or mistyped event kindly, and lists what there is to type", async () => {
    expect(viewText(await say(coordinator, "event edit"))).toContain("Please say which event, like /ti event edit 4");
    expect(viewText(await say(coordinator, "event edit soon"))).toContain("Please say which event");
    expect(viewText(await say(coordinator, "event cancel 999999"))).toContain("I can't find event #999999");
    const unknown = viewText(await say(coordinator, "event frobnicate 4"));
    expect(unknown).toContain(`I don't know "event frobnicate"`);
    expect(unknown).toContain("/ti event new");
    expect(viewText(await say(coordinator, "help events"))).toContain("event edit <number>");
    const [member] = (await seedMembers(db.prisma, { slack: { count: 1 }, role: "member" })) as [SeededMember];
    expect(viewText(await say(addressOf(member), "event new"))).toContain("Only the network's coordinators can use /ti event new");
    expect(viewText(await say(addressOf(member), "event frobnicate"))).not.toContain("event new");
  });

  it("answers from the events list with the whole list again, in place", async () => {
    clock = new Date("2027-05-03T10:00:00Z");
    const [member] = (await seedMembers(db.prisma, { slack: { count: 1 }, role: "member" })) as [SeededMember];
    const number = await planEvent({ title: "Listed gathering", ...picked("starts", "2027-05-20", "10:00"), ends: "12:00" });
    const list = await say(addressOf(member), "events");
    expect(viewText(list)).toContain("Listed gathering");
    expect(viewText(list)).toContain("You haven't answered yet.");
    const answered = await say(addressOf(member), `event rsvp ${number} maybe list`);
    expect(answered).toMatchObject({ replacesOriginal: true });
    expect(viewText(answered)).toContain("Your upcoming events");
    expect(viewText(answered)).toContain("You said maybe.");
  });

  it("forgets a member who leaves, and gives their place to the first waiting", async () => {
    clock = new Date("2027-06-01T10:00:00Z");
    const [leaver, waiter] = (await seedMembers(db.prisma, { slack: { count: 2 }, role: "member", organisation: { name: "Leaving Trust", sector: "health" } })) as [SeededMember, SeededMember];
    const number = await planEvent({ title: "One seat", ...picked("starts", "2027-06-20", "10:00"), ends: "12:00", capacity: "1", organisations: [(await db.prisma.organisation.findFirstOrThrow({ where: { name: "Leaving Trust" } })).id] });
    await rsvp(leaver, number, "going");
    expect(viewText(await rsvp(waiter, number, "going"))).toContain("waiting list");
    await say(addressOf(leaver), "leave confirm delete");
    expect(await db.prisma.eventInvitation.count({ where: { memberId: leaver.memberId } })).toBe(0);
    const place = await db.prisma.eventInvitation.findFirstOrThrow({ where: { memberId: waiter.memberId } });
    expect(place.waitlistedAt).toBeNull();
  });
});

describe("inviting later", () => {
  it("holds the invites until the chosen time, which must come before the event", async () => {
    clock = new Date("2027-08-02T10:00:00Z");
    const form = expectForm(await say(coordinator, "event new"));
    const values = { title: "Autumn gathering", ...picked("starts", "2027-10-20", "10:00"), ends: "12:00", location: "Yeovil", who: "everyone", invite: "later" };
    const tooLate = expectForm(await bot.handle({ from: coordinator, verb: "event", text: "", form: { values: { ...values, ...picked("inviteOn", "2027-10-21", "09:00") }, context: form.context } }));
    expect(tooLate.inputs.find((input) => input.id === "inviteOn")?.error).toBe("Please choose a time before the event starts.");
    expect(tooLate.inputs.find((input) => input.id === "title")).toMatchObject({ value: "Autumn gathering" });
    const saved = await bot.handle({ from: coordinator, verb: "event", text: "", form: { values: { ...values, ...picked("inviteOn", "2027-09-01", "09:30") }, context: form.context } });
    expect(viewText(saved)).toContain("Invites go Wednesday 1 September at 09:30");
    const number = Number(/Event #(\d+)/.exec(viewText(saved))![1]);
    expect(await db.prisma.delivery.count({ where: { purposeKey: `event:${number}:invite` } })).toBe(0);
    expect(await db.prisma.networkEvent.findFirstOrThrow({ where: { number } })).toMatchObject({ invitedAt: null, inviteAt: new Date("2027-09-01T08:30:00Z") });
  });
});

describe("a series set up by a coordinator named in configuration", () => {
  it("asks every coordinator, including those who never joined, to confirm the draft", async () => {
    clock = new Date("2027-09-01T10:00:00Z");
    const bootstrap: Address = { platform: "teams", workspaceId: "tenant-1", userId: "29:bootstrap" };
    const configured = createBot({ ...ctx, coordinators: [{ platform: "teams", userId: "29:bootstrap" }] }, features);
    const form = expectForm(await configured.handle({ from: bootstrap, verb: "event new", text: "" }));
    const values = { title: "Configured series", ...picked("starts", "2027-10-01", "10:00"), ends: "12:00", location: "Bath", who: "coordinators", invite: "now", repeat: "6" };
    expect(viewText(await configured.handle({ from: bootstrap, verb: "event", text: "", form: { values, context: form.context } }))).toContain("is saved");

    clock = new Date("2028-02-10T10:00:00Z");
    const [draft] = await draftNextOccurrences({ ...ctx, coordinators: [{ platform: "teams", userId: "29:bootstrap" }] });
    const asked = await db.prisma.delivery.findMany({ where: { purposeKey: `event:${draft!.number}:draft` }, include: { address: true } });
    expect(asked.map((row) => row.address.userId).sort()).toEqual([bootstrap.userId, coordinatorMember.userId].sort());
  });
});
