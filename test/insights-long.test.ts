// `insights` over long periods, end to end: the updates month by month (quarter by quarter past two
// years) on the dashboard and the headline figures in chat, each worked out again here from the updates
// themselves; and the same figures still right after every way an update changes: shared on Slack, its
// author leaving with or without it, and writes no endpoint makes yet (principles changed, an update
// moved, an organisation removed), since the monthly tally the figures read is kept by the database.
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "./support/app.js";
import { eventually } from "./support/eventually.js";
import { seedMembers, type SeededMember } from "./support/seed.js";
import { slackUser, type SlackUser } from "./support/slack-user.js";

const zone = "Europe/London";
const clock = new Date("2026-12-06T10:00:00Z");
let t: TestApp;
let coordinator: SlackUser;
let calder: SeededMember[];
let kirklees: SeededMember[];
let principles: { id: string; name: string }[];

/**
 * When the updates were shared: one every eleven days from mid-November 2024, and some at the edges of
 * London's months, where UTC and London disagree (23:30 UTC on 31 March 2025 is 00:30 on 1 April in London).
 */
const sharedAt = [
  ...Array.from({ length: 70 }, (_, index) => new Date(Date.UTC(2024, 10, 15 + index * 11, 9 + (index % 8)))),
  new Date("2024-12-31T23:30:00Z"),
  new Date("2025-03-31T23:30:00Z"),
  new Date("2025-10-31T23:30:00Z"),
  new Date("2026-06-30T23:30:00Z"),
  new Date("2026-12-05T12:00:00Z"),
].filter((date) => date < clock);

beforeAll(async () => {
  t = await startTestApp({ now: () => clock, env: { TI_COORDINATORS: "slack:U0COORD", TI_PUBLIC_URL: "http://127.0.0.1:1" } });
  const prisma = t.db.prisma;
  calder = await seedMembers(prisma, { slack: { count: 3 }, role: "champion", organisation: { name: "Calder NHS Trust", sector: "health", locality: "Calderdale" } });
  kirklees = await seedMembers(prisma, { slack: { count: 2 }, role: "member", organisation: { name: "Kirklees Council", sector: "local_authority", locality: "Kirklees" } });
  const loner = await seedMembers(prisma, { slack: { count: 1 }, role: "member" });
  const network = await prisma.network.findFirstOrThrow();
  principles = await prisma.principle.findMany({ orderBy: { position: "asc" }, select: { id: true, name: true } });
  const authors = [...calder, ...kirklees, ...loner];
  const members = await prisma.member.findMany({ where: { id: { in: authors.map((author) => author.memberId) } } });
  const organisationOf = new Map(members.map((member) => [member.id, member.organisationId]));
  for (const [index, createdAt] of sharedAt.entries()) {
    const author = authors[index % authors.length]!;
    const tagged = principles.filter((_, position) => (index + position) % 4 === 0 || (index % 5 === 0 && position === 1));
    await prisma.update.create({
      data: {
        networkId: network.id,
        authorId: author.memberId,
        organisationId: organisationOf.get(author.memberId) ?? null,
        text: `Update ${index}`,
        sourcePlatform: "slack",
        createdAt,
        principles: { create: tagged.map((principle) => ({ principleId: principle.id })) },
      },
    });
  }
  coordinator = slackUser(t, { id: "U0COORD", name: "Coordinator" });
});

afterAll(async () => {
  await t?.close();
});

const json = (value: unknown) => JSON.stringify(value);

async function slackAnswer(result: { answer: any; since: number }) {
  return json(result.answer) === '""' ? (await t.slack.waitFor("response_url", { since: result.since })).body : result.answer;
}

const fieldsOf = (blocks: any[]) =>
  Object.fromEntries(blocks.filter((block) => block.type === "section" && block.fields).flatMap((block) => block.fields.map((field: any) => field.text.split("\n") as [string, string]).map(([label, value]: [string, string]) => [label.replace(/\*/g, ""), value])));

/** The updates as the database has them, for the period between two London days (the second included). */
async function updatesBetween(fromDay: string, toDay: string) {
  const from = DateTime.fromISO(fromDay, { zone }).toJSDate();
  const to = DateTime.fromISO(toDay, { zone }).plus({ days: 1 }).toJSDate();
  return t.db.prisma.update.findMany({ where: { createdAt: { gte: from, lt: to } }, select: { createdAt: true, authorId: true, organisationId: true, principles: { select: { principleId: true } } } });
}

/** The dashboard's figures for `updates-by-month` as CSV rows, fetched at the links the coordinator is given. */
async function updatesByStep(typedPeriod: string): Promise<string[]> {
  const reply = await slackAnswer(await coordinator.command("insights work"));
  const found = /<(https?:\/\/[^|>]+)\|Open the dashboard>/.exec(json(reply));
  const link = new URL(found![1]!.replace(/&amp;/g, "&"));
  link.searchParams.set("period", typedPeriod);
  const page = await (await fetch(`${t.url}${link.pathname}${link.search}`)).text();
  const csvHref = /id="chart-work-updates-by-month"[\s\S]*?<a href="([^"]+)" download>/.exec(page)![1]!.replace(/&#38;/g, "&");
  const response = await fetch(`${t.url}${csvHref}`);
  expect(response.status).toBe(200);
  return (await response.text()).trim().split("\n");
}

/**
 * Every figure of the work over the period as the endpoints give it, against the updates themselves:
 * the headline in chat, the principles line, and each month's (or quarter's) count of each principle.
 */
async function expectWorkMatchesDatabase(typedPeriod: string, fromDay: string, toDay: string, step: "Month" | "Quarter") {
  const updates = await updatesBetween(fromDay, toDay);
  const reply = await slackAnswer(await coordinator.command(`insights work ${typedPeriod}`));
  const fields = fieldsOf(reply.blocks);
  expect(fields["Updates shared"]).toBe(updates.length.toLocaleString("en-GB"));
  expect(fields["Champions who shared"]).toBe(String(new Set(updates.flatMap((update) => (update.authorId ? [update.authorId] : []))).size));
  expect(fields["Organisations who shared"]).toBe(String(new Set(updates.flatMap((update) => (update.organisationId ? [update.organisationId] : []))).size));
  const tagged = (principleId: string, within = updates) => within.filter((update) => update.principles.some((link) => link.principleId === principleId)).length;
  expect(json(reply)).toContain(`By principle: ${principles.map((principle) => `${principle.name} ${tagged(principle.id)}`).join(", ")}.`);

  const stepOf = (date: Date | DateTime) => {
    const local = date instanceof Date ? DateTime.fromJSDate(date, { zone }) : date;
    return step === "Month" ? local.toFormat("LLL yyyy") : `${local.startOf("quarter").toFormat("LLL")}–${local.startOf("quarter").plus({ months: 2 }).toFormat("LLL yyyy")}`;
  };
  const steps: string[] = [];
  for (let month = DateTime.fromISO(fromDay, { zone }).startOf("month"); month <= DateTime.fromISO(toDay, { zone }); month = month.plus({ months: 1 })) {
    if (steps.at(-1) !== stepOf(month)) steps.push(stepOf(month));
  }
  const expected = [
    [step, ...principles.map((principle) => principle.name)].join(","),
    ...steps.map((label) => [label, ...principles.map((principle) => tagged(principle.id, updates.filter((update) => stepOf(update.createdAt) === label)))].join(",")),
  ];
  expect(await updatesByStep(typedPeriod)).toEqual(expected);
}

/** The periods checked after each change: two whole years month by month, and from part-way through a month and a quarter to today, quarter by quarter. */
async function expectEveryPeriodMatchesDatabase() {
  await expectWorkMatchesDatabase("01/01/2025 to 31/12/2026", "2025-01-01", "2026-12-31", "Month");
  await expectWorkMatchesDatabase("since 15/11/2024", "2024-11-15", "2026-12-06", "Quarter");
}

describe("insights over long periods", () => {
  it("counts two years month by month and longer periods quarter by quarter, each count as the updates have it", async () => {
    expect(await t.db.prisma.update.count()).toBe(sharedAt.length);
    await expectEveryPeriodMatchesDatabase();
    await expectWorkMatchesDatabase("since 15/01/2025", "2025-01-15", "2026-12-06", "Month");
    await expectWorkMatchesDatabase("01/04/2025 to 30/04/2025", "2025-04-01", "2025-04-30", "Month");
    await expectWorkMatchesDatabase("03/04/2025 to 20/04/2025", "2025-04-03", "2025-04-20", "Month");
    const longest = json(await slackAnswer(await coordinator.command("insights since 01/01/2022")));
    expect(longest).toContain("Updates per quarter, by principle tagged");
    expect(longest).toContain("Members and champions, quarter by quarter");
  });

  it("stays right as a champion shares an update on Slack", async () => {
    const before = await t.db.prisma.update.count();
    const sam = slackUser(t, { id: calder[0]!.userId, name: "Sam" });
    const shared = await sam.command("update Ran a trauma-informed supervision session #safety #trust");
    expect(shared.status).toBe(200);
    await eventually(async () => (await t.db.prisma.update.count()) === before + 1, { what: "the update stored" });
    await expectEveryPeriodMatchesDatabase();
  });

  it("stays right as champions share at once, each connection adding to its own part of the month's count", async () => {
    const before = await t.db.prisma.update.count();
    const champions = calder.map((champion, index) => slackUser(t, { id: champion.userId, name: `Champion ${index}` }));
    const shared = await Promise.all(Array.from({ length: 12 }, (_, index) => champions[index % champions.length]!.command(`update Debrief ${index} after a hard shift #safety`)));
    expect(shared.map((response) => response.status)).toEqual(shared.map(() => 200));
    await eventually(async () => (await t.db.prisma.update.count()) === before + 12, { what: "the twelve updates stored" });
    // On PostgreSQL the writers were on more than one connection, so December's count is split over slots; PGlite has one.
    const slots = await t.db.sql<{ slots: number }>`SELECT count(DISTINCT "slot")::int AS "slots" FROM "UpdateTally" WHERE "month" = '2026-12-01' AND "principleId" = ''`;
    if (t.db.kind === "postgres") expect(slots[0]!.slots).toBeGreaterThan(1);
    await expectEveryPeriodMatchesDatabase();
  });

  it("stays right as members leave, deleting their updates or keeping them without their name", async () => {
    const before = await t.db.prisma.update.count();
    const deleting = await t.db.prisma.update.count({ where: { authorId: kirklees[0]!.memberId } });
    expect(deleting).toBeGreaterThan(5);
    const leaver = slackUser(t, { id: kirklees[0]!.userId, name: "Lee" });
    await slackAnswer(await leaver.command("leave"));
    await slackAnswer(await leaver.command("leave confirm delete"));
    await eventually(async () => (await t.db.prisma.update.count()) === before - deleting, { what: "the leaver's updates deleted" });
    await expectEveryPeriodMatchesDatabase();

    const keeper = slackUser(t, { id: calder[1]!.userId, name: "Kim" });
    await slackAnswer(await keeper.command("leave"));
    await slackAnswer(await keeper.command("leave confirm keep"));
    await eventually(async () => (await t.db.prisma.member.count({ where: { id: calder[1]!.memberId } })) === 0, { what: "the keeper gone" });
    expect(await t.db.prisma.update.count()).toBe(before - deleting);
    await expectEveryPeriodMatchesDatabase();
  });

  it("stays right through writes no endpoint makes yet: principles changed, an update moved to another month, an organisation removed", async () => {
    const prisma = t.db.prisma;
    const early = await prisma.update.findMany({ where: { createdAt: { lt: new Date("2025-06-01") }, principles: { some: {} } }, orderBy: { createdAt: "asc" }, include: { principles: true } });
    const [retagged, moved] = [early[0]!, early.find((update) => update !== early[0] && !update.principles.some((link) => link.principleId === principles[5]!.id))!];
    await prisma.updatePrinciple.deleteMany({ where: { updateId: retagged.id } });
    await prisma.updatePrinciple.createMany({ data: principles.slice(3, 5).map((principle) => ({ updateId: retagged.id, principleId: principle.id })) });
    await prisma.update.update({ where: { id: moved.id }, data: { createdAt: new Date("2026-03-31T23:30:00Z") } });
    await prisma.updatePrinciple.update({ where: { updateId_principleId: { updateId: moved.id, principleId: moved.principles[0]!.principleId } }, data: { principleId: principles[5]!.id } });
    const kirkleesOrganisation = await prisma.organisation.findFirstOrThrow({ where: { name: "Kirklees Council" } });
    await prisma.organisation.delete({ where: { id: kirkleesOrganisation.id } });
    expect(await prisma.update.count({ where: { organisationId: null } })).toBeGreaterThan(0);
    await expectEveryPeriodMatchesDatabase();
  });
});
