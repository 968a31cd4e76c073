// Pulse rounds on their schedule, through the real scheduler and a real database: fortnightly rounds that
// rotate through the principles, opted-out members left out, one reminder held to sending hours for those
// who have not answered, results only for groups large enough (and none that subtraction would reveal),
// and a "you said" line for everyone asked when the round closes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { View } from "../src/core/kernel/view.js";
import { startTestApp, type TestApp } from "./support/app.js";
import { viewText } from "./support/bot.js";
import { seedMembers, type SeededMember } from "./support/seed.js";

let t: TestApp;
let clock = new Date("2026-01-13T09:00:00Z"); // Tuesday 13 January, 09:00 in London: a round week, before the round
let health: SeededMember[];
let housing: SeededMember[];
let police: SeededMember[];
let optedOut: SeededMember;
const coordinator = { platform: "slack" as const, workspaceId: "T0TEST", userId: "U0COORD", displayName: "Alex" };

beforeAll(async () => {
  t = await startTestApp({ now: () => clock, env: { TI_COORDINATORS: "slack:U0COORD" } });
  health = await seedMembers(t.db.prisma, { slack: { count: 6 }, organisation: { name: "Calder NHS Trust", sector: "health", locality: "Calderdale" } });
  housing = await seedMembers(t.db.prisma, { slack: { count: 5 }, organisation: { name: "Riverside Housing", sector: "housing", locality: "Kirklees" } });
  police = await seedMembers(t.db.prisma, { slack: { count: 2 }, organisation: { name: "West Yorkshire Police", sector: "police", locality: "Leeds" } });
  optedOut = (await seedMembers(t.db.prisma, { slack: { count: 1 } }))[0]!;
});

afterAll(async () => {
  await t?.close();
});

const from = (member: SeededMember) => ({ platform: member.platform, workspaceId: member.workspaceId, userId: member.userId });
const say = (who: { platform: "slack" | "teams"; workspaceId: string; userId: string }, verb: string, text = ""): Promise<View> => t.app.bot.handle({ from: who, verb, text });
const deliveries = (purposeKey: string) => t.db.prisma.delivery.findMany({ where: { purposeKey }, select: { memberId: true, nextAttemptAt: true, view: true } });

describe("scheduled pulse rounds", () => {
  it("opens a round on the scheduled slot in a round week, once, for everyone who has not opted out", async () => {
    expect(viewText(await say(from(optedOut), "pulse stop"))).toContain("I won't send you pulse questions");
    clock = new Date("2026-01-13T10:00:00Z");
    const run = await t.app.scheduler.runSlot("pulse-round", clock);
    expect(run).toMatchObject({ ran: true, outcome: "opened pulse #1 on Safety, asked 13 people" });
    const asked = await deliveries("pulse:1");
    expect(asked).toHaveLength(13);
    expect(asked.map((delivery) => delivery.memberId)).not.toContain(optedOut.memberId);
    expect(await t.app.scheduler.runSlot("pulse-round", clock)).toEqual({ ran: false, slot: "2026-01-13" });

    // A week on is not a round week.
    expect(await t.app.scheduler.runSlot("pulse-round", new Date("2026-01-20T10:00:00Z"))).toMatchObject({ ran: true, outcome: "not a round week (every 2 weeks)" });
  });

  it("takes answers, then reminds only those who have not answered, once, held to sending hours", async () => {
    const scores = { health: [4, 4, 5, 3, 4, 4], housing: [2, 3, 2, 2, 3], police: [1] };
    for (const [index, member] of health.entries()) await say(from(member), "pulse answer", `1 ${scores.health[index]}`);
    for (const [index, member] of housing.entries()) await say(from(member), "pulse answer", `1 ${scores.housing[index]}`);
    expect(viewText(await say(from(police[0]!), "pulse answer", "1 1"))).toContain("is in, without your name");
    expect(await t.db.prisma.pulseAnswer.count()).toBe(12);

    clock = new Date("2026-01-16T23:00:00Z"); // Friday night: past half way, in quiet time
    expect(await t.app.scheduler.runSlot("pulse-upkeep", clock)).toMatchObject({ outcome: "reminded 1 people, closed 0 rounds" });
    const reminders = await deliveries("pulse-reminder:1");
    expect(reminders.map((delivery) => delivery.memberId)).toEqual([police[1]!.memberId]);
    expect(reminders[0]!.nextAttemptAt.toISOString()).toBe("2026-01-19T09:00:00.000Z"); // Monday 09:00
    expect(JSON.stringify(reminders[0]!.view)).toContain("only this once");

    clock = new Date("2026-01-17T10:00:00Z");
    expect(await t.app.scheduler.runSlot("pulse-upkeep", clock)).toMatchObject({ outcome: "reminded 0 people, closed 0 rounds" });
  });

  it("shows only groups of five or more, and hides a slice whose remainder would reveal a small group", async () => {
    const results = viewText(await say(coordinator, "pulse results", "1"));
    expect(results).toContain("average 3.1 of 5 from 12 answers");
    expect(results).toContain("Health 4.0 (6)");
    expect(results).toContain("Calder NHS Trust 4.0 (6)");
    // Housing has five answers, but showing it beside Health would give away Police's one answer.
    expect(results).not.toContain("Housing");
    expect(results).not.toContain("Police");
    expect(results).not.toContain("Kirklees");

    const member = viewText(await say(from(health[0]!), "pulse results", "1"));
    expect(member).toContain("Only the network's coordinators");
  });

  it("closes the round with a 'you said' line for everyone asked, and keeps every answer", async () => {
    clock = new Date("2026-01-20T10:15:00Z");
    const resultsWhileOpen = viewText(await say(coordinator, "pulse results", "1"));
    expect(await t.app.scheduler.runSlot("pulse-upkeep", clock)).toMatchObject({ outcome: "reminded 0 people, closed 1 rounds" });
    // Closing counted the answers once into tallies, and results now read those: the same figures.
    const tallies = await t.db.prisma.pulseTally.findMany();
    expect(tallies.reduce((sum, tally) => sum + tally.answers, 0)).toBe(12);
    expect(viewText(await say(coordinator, "pulse results", "1"))).toBe(resultsWhileOpen);
    const closing = await deliveries("pulse-closed:1");
    expect(closing).toHaveLength(13);
    expect(JSON.stringify(closing[0]!.view)).toContain('You said: mostly \\"Often\\" (average 3.1 of 5, from 12 answers)');
    expect(await t.db.prisma.pulseAnswer.count()).toBe(12);
    expect(viewText(await say(from(police[1]!), "pulse answer", "1 3"))).toContain("closed");
  });

  it("rotates to the next principle, and says nothing of a round too few answered", async () => {
    expect(viewText(await say(coordinator, "pulse start"))).toMatch(/Pulse #2 on Trust is open/);
    await say(from(health[0]!), "pulse answer", "2 5");
    await say(from(housing[0]!), "pulse answer", "2 1");
    clock = new Date("2026-01-27T10:30:00Z");
    await t.app.scheduler.runSlot("pulse-upkeep", clock);
    const closing = await deliveries("pulse-closed:2");
    expect(JSON.stringify(closing[0]!.view)).toContain("Fewer than 5 people answered");
    expect(viewText(await say(coordinator, "pulse results", "2"))).toContain("Fewer than 5 people have answered");

    const trend = viewText(await say(coordinator, "pulse results"));
    expect(trend).toContain("Safety: average 3.1 of 5 from 12 answers");
    expect(trend).not.toContain("Trust:");
  });
});
