// Two members of one organisation leaving at the same moment, both deleting their updates. Each update is
// counted out of the monthly tally as it is deleted, in the order the updates are stored; stored in opposite
// month orders, two leavers at once would each hold a month's count the other needs next, and PostgreSQL
// would fail one of them as a deadlock. Leaving takes its turn (src/core/privacy/member-records.ts).
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "./support/app.js";
import { eventually } from "./support/eventually.js";
import { seedMembers, type SeededMember } from "./support/seed.js";
import { slackUser } from "./support/slack-user.js";

const months = 120;

describe("members of one organisation leaving together", () => {
  let t: TestApp;
  let leavers: SeededMember[];
  let stayer: SeededMember[];

  beforeAll(async () => {
    t = await startTestApp({ now: () => new Date("2026-12-06T10:00:00Z") });
    const organisation = { name: "Calder NHS Trust", sector: "health" as const };
    leavers = await seedMembers(t.db.prisma, { slack: { count: 2 }, role: "champion", organisation });
    stayer = await seedMembers(t.db.prisma, { slack: { count: 1, workspaceId: "T1" }, role: "champion", organisation });
    const network = await t.db.prisma.network.findFirstOrThrow();
    const { organisationId } = await t.db.prisma.member.findUniqueOrThrow({ where: { id: stayer[0]!.memberId } });
    const principles = await t.db.prisma.principle.findMany({ orderBy: { position: "asc" }, take: 2 });
    const monthOf = (index: number) => DateTime.fromISO("2022-11-15T12:00:00Z").plus({ months: index }).toJSDate();
    // Stored alternately: the first leaver's from the oldest month on, the second's from the newest back,
    // and the one who stays has one in every month.
    const rows = Array.from({ length: months }, (_, index) => [
      { id: `first-${index}`, authorId: leavers[0]!.memberId, createdAt: monthOf(index) },
      { id: `second-${index}`, authorId: leavers[1]!.memberId, createdAt: monthOf(months - 1 - index) },
      { id: `stays-${index}`, authorId: stayer[0]!.memberId, createdAt: monthOf(index) },
    ]).flat();
    await t.db.prisma.update.createMany({
      data: rows.map((row) => ({ ...row, networkId: network.id, organisationId, text: `Update ${row.id}`, sourcePlatform: "slack" as const })),
    });
    await t.db.prisma.updatePrinciple.createMany({ data: rows.flatMap((row) => principles.map((principle) => ({ updateId: row.id, principleId: principle.id }))) });
  });
  afterAll(async () => t?.close());

  /** The organisation's count of updates over every month, and of each principle, as the tally the figures read has them. */
  const tallied = async () =>
    t.db.sql<{ principleId: string; updates: number }>`
      SELECT "principleId", sum("updates")::int AS "updates" FROM "UpdateTally" WHERE "organisationId" <> '' GROUP BY 1 ORDER BY 1`;

  it("lets both leave, deleting their updates, and every count stays right", async () => {
    const principles = await t.db.prisma.principle.findMany({ orderBy: { position: "asc" }, take: 2 });
    expect(await tallied()).toEqual([{ principleId: "", updates: 3 * months }, ...principles.map((principle) => ({ principleId: principle.id, updates: 3 * months })).sort((a, b) => a.principleId.localeCompare(b.principleId))]);

    const users = leavers.map((leaver, index) => slackUser(t, { id: leaver.userId, name: `Leaver ${index}` }));
    for (const user of users) await user.command("leave");
    const answers = await Promise.all(users.map((user) => user.command("leave confirm delete")));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    await eventually(async () => (await t.db.prisma.member.count({ where: { id: { in: leavers.map((leaver) => leaver.memberId) } } })) === 0, {
      what: "both leavers gone",
    });
    expect(await t.db.prisma.update.count()).toBe(months);
    expect(await tallied()).toEqual([{ principleId: "", updates: months }, ...principles.map((principle) => ({ principleId: principle.id, updates: months })).sort((a, b) => a.principleId.localeCompare(b.principleId))]);
    expect(await t.db.prisma.auditEntry.count({ where: { action: "member.leave" } })).toBe(2);
  });
});
