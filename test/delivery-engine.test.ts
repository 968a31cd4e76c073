// The delivery engine against fake Slack and Teams servers that throttle, fail and refuse: every
// recipient gets exactly one message, or ends in a state that says why not.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Address } from "../src/core/kernel/interaction.js";
import { startTestApp, type TestApp } from "./support/app.js";
import { viewText } from "./support/bot.js";
import { eventually } from "./support/eventually.js";
import { startFakeConnector, type FakeConnector } from "./support/fake-connector.js";
import { seedMembers, type SeededMember } from "./support/seed.js";

const coordinator: Address = { platform: "slack", workspaceId: "T0TEST", userId: "U0COORD", displayName: "Alex" };

/** A broadcast from the coordinator through the core's own form and Send button; returns its number. */
async function broadcast(t: TestApp, values: Record<string, string | string[]>): Promise<number> {
  const preview = await t.app.bot.handle({ from: coordinator, verb: "broadcast", text: "", form: { values: { who: "everyone", timing: "now", ...values }, context: {} } });
  const number = /Preview of broadcast #(\d+)/.exec(viewText(preview))?.[1];
  if (!number) throw new Error(`no preview: ${viewText(preview)}`);
  const sent = await t.app.bot.handle({ from: coordinator, verb: "broadcast send", text: number });
  expect(viewText(sent)).toContain("on its way");
  return Number(number);
}

async function deliveries(t: TestApp, number: number) {
  const rows = await t.db.prisma.delivery.findMany({ where: { purposeKey: `broadcast:${number}` }, include: { address: true } });
  return new Map(rows.map((row) => [row.address.userId, row]));
}

async function settled(t: TestApp, number: number) {
  return eventually(
    async () => {
      const rows = [...(await deliveries(t, number)).values()];
      return rows.every((row) => !["queued", "sending", "retrying"].includes(row.status)) && rows;
    },
    { timeoutMs: 20_000, what: `broadcast #${number} settling` },
  );
}

describe("the delivery engine", () => {
  let t: TestApp;
  let connector: FakeConnector;
  let people: SeededMember[];
  const received = (member: SeededMember) => (member.platform === "slack" ? t.slack.postCount(member.userId) : connector.delivered(member.conversationId!));

  beforeAll(async () => {
    connector = await startFakeConnector();
    t = await startTestApp({ env: { TI_COORDINATORS: "slack:U0COORD", TI_SENDING_HOURS: "always", TI_DELIVERY_MAX_ATTEMPTS: "3" } });
    people = await seedMembers(t.db.prisma, { slack: { count: 6 }, teams: { count: 4, serviceUrl: connector.url } });
  });

  afterAll(async () => {
    await Promise.all([t?.close(), connector?.close()]);
  });

  it("rides out a storm of 429s and 5xx: later, but each person gets exactly one message", async () => {
    for (let index = 0; index < 4; index++) t.slack.rateLimitNext("chat.postMessage", 1);
    t.slack.httpErrorNext("chat.postMessage", 503);
    connector.failNext(429, { "retry-after": "1" });
    connector.failNext(503);
    const number = await broadcast(t, { message: "Storm test" });
    const rows = await settled(t, number);
    expect(rows.map((row) => row.status)).toEqual(rows.map(() => "sent"));
    expect(people.map(received)).toEqual(people.map(() => 1));
    // The 429s paused the workspace for every replica, in the database.
    expect(await t.db.prisma.deliveryPause.count({ where: { platform: "slack", workspaceId: "T0TEST" } })).toBe(1);
    // A 429 is not a failure; a 503 is, and is counted. Teams' 503 always meets a delivery; Slack's meets
    // either a delivery or the coordinator's progress line (not a delivery), whichever posts first.
    const attempts = rows.reduce((sum, row) => sum + row.attempts, 0);
    expect(attempts).toBeGreaterThanOrEqual(1);
    expect(attempts).toBeLessThanOrEqual(2);
  });

  it("marks permanent refusals gone, deactivates the address and skips it next time", async () => {
    const [inactive, , , , , , blocked] = people;
    t.slack.failFor(inactive!.userId, "account_inactive");
    connector.failFor(blocked!.conversationId!, 403, {}, { error: { code: "ConversationBlockedByUser", message: "User blocked the conversation with the bot." } });
    const first = await broadcast(t, { message: "Who is still here?" });
    const rows = await deliveries(t, first);
    await settled(t, first);
    const after = await deliveries(t, first);
    expect(after.get(inactive!.userId)).toMatchObject({ status: "gone", lastError: expect.stringContaining("account_inactive") });
    expect(after.get(blocked!.userId)).toMatchObject({ status: "gone", lastError: expect.stringContaining("ConversationBlockedByUser") });
    expect([...after.values()].filter((row) => row.status === "sent")).toHaveLength(rows.size - 2);
    const addresses = await t.db.prisma.address.findMany({ where: { id: { in: [inactive!.addressId, blocked!.addressId] } } });
    expect(addresses.map((address) => address.active)).toEqual([false, false]);

    const callsBefore = t.slack.calls.length;
    const second = await broadcast(t, { message: "Second round" });
    await settled(t, second);
    const secondRows = await deliveries(t, second);
    expect(secondRows.has(inactive!.userId)).toBe(false);
    expect(secondRows.has(blocked!.userId)).toBe(false);
    expect(t.slack.calls.slice(callsBefore).some((call) => call.body.channel === inactive!.userId)).toBe(false);
  });

  it("gives up after the configured attempts on a server that keeps failing, and says so", async () => {
    const failing = people[8]!;
    connector.failFor(failing.conversationId!, 502);
    const before = connector.calls.filter((call) => call.conversationId === failing.conversationId).length;
    const number = await broadcast(t, { message: "Are you there?", platforms: ["teams"] });
    await settled(t, number);
    const row = (await deliveries(t, number)).get(failing.userId)!;
    expect(row).toMatchObject({ status: "failed", attempts: 3, lastError: expect.stringContaining("502") });
    expect(connector.calls.filter((call) => call.conversationId === failing.conversationId).length - before).toBe(3);
  });
});

describe("quiet hours, leaving and cancelling", () => {
  let t: TestApp;
  let clock = new Date("2026-11-28T12:00:00Z"); // a Saturday
  let people: SeededMember[];

  beforeAll(async () => {
    t = await startTestApp({ env: { TI_COORDINATORS: "slack:U0COORD", TI_SENDING_HOURS: "Mon-Fri 09:00-17:00" }, now: () => clock });
    people = await seedMembers(t.db.prisma, { slack: { count: 4 } });
  });

  afterAll(async () => {
    await t?.close();
  });

  it("holds a normal broadcast until the sending hours, then sends it; who left or joined meanwhile gets nothing", async () => {
    const preview = await t.app.bot.handle({ from: coordinator, verb: "broadcast", text: "", form: { values: { message: "Monday news", who: "everyone", timing: "hours" }, context: {} } });
    expect(viewText(preview)).toContain("it's quiet time now, so it starts Monday 30 November at 09:00");
    const number = Number(/#(\d+)/.exec(viewText(preview))![1]);
    await t.app.bot.handle({ from: coordinator, verb: "broadcast send", text: String(number) });
    await eventually(async () => [...(await deliveries(t, number)).values()].every((row) => row.status === "queued" && row.nextAttemptAt.toISOString() === "2026-11-30T09:00:00.000Z"), {
      what: "deliveries held until Monday 09:00",
    });
    expect(people.map((member) => t.slack.postCount(member.userId))).toEqual([0, 0, 0, 0]);

    await t.db.prisma.member.update({ where: { id: people[0]!.memberId }, data: { leftAt: clock } });
    const [latecomer] = await seedMembers(t.db.prisma, { slack: { count: 1 } });
    clock = new Date("2026-11-30T09:30:00Z");
    t.app.dispatcher.wake();
    const rows = await settled(t, number);
    expect(rows.find((row) => row.memberId === people[0]!.memberId)).toMatchObject({ status: "cancelled", lastError: "the member left the network" });
    expect(people.map((member) => t.slack.postCount(member.userId))).toEqual([0, 1, 1, 1]);
    // Someone who joined after it was sent doesn't get it.
    expect(rows.some((row) => row.memberId === latecomer!.memberId)).toBe(false);
    expect(t.slack.postCount(latecomer!.userId)).toBe(0);
  });

  it("sends a coordinator's 'now' in quiet time, and cancel stops a held broadcast", async () => {
    clock = new Date("2026-11-28T20:00:00Z");
    const urgent = await broadcast(t, { message: "Urgent: venue changed", timing: "now" });
    await settled(t, urgent);
    expect(people.slice(1).map((member) => t.slack.postCount(member.userId))).toEqual([2, 2, 2]);

    const held = await broadcast(t, { message: "Held until Monday", timing: "hours" });
    const cancelled = await t.app.bot.handle({ from: coordinator, verb: "broadcast cancel", text: String(held) });
    expect(viewText(cancelled)).toContain("4 that hadn't gone yet won't be sent");
    clock = new Date("2026-11-30T10:00:00Z");
    t.app.dispatcher.wake();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(people.slice(1).map((member) => t.slack.postCount(member.userId))).toEqual([2, 2, 2]);
    expect([...(await deliveries(t, held)).values()].map((row) => row.status)).toEqual(["cancelled", "cancelled", "cancelled", "cancelled"]);
  });
});

describe("fair shares between workspaces", () => {
  let t: TestApp;
  let connector: FakeConnector;

  beforeAll(async () => {
    connector = await startFakeConnector();
    // A slow Slack workspace and a small dispatcher: without shares, Slack's waiting messages would fill it.
    t = await startTestApp({
      env: { TI_COORDINATORS: "slack:U0COORD", TI_SENDING_HOURS: "always", TI_SLACK_WORKSPACE_RATE: "2", TI_DELIVERY_CONCURRENCY: "8" },
    });
  });

  afterAll(async () => {
    await Promise.all([t?.close(), connector?.close()]);
  });

  it("doesn't let a workspace held back by its limit hold up another", async () => {
    const slackPeople = await seedMembers(t.db.prisma, { slack: { count: 30 } });
    const teamsPeople = await seedMembers(t.db.prisma, { teams: { count: 30, serviceUrl: connector.url } });
    await broadcast(t, { message: "Fair shares" });
    await eventually(async () => teamsPeople.every((person) => connector.delivered(person.conversationId!) === 1), {
      timeoutMs: 4_000,
      what: "every Teams recipient served while Slack is still pacing",
    });
    // Thirty at two a second takes about fifteen seconds: Slack is still going.
    expect(slackPeople.filter((person) => t.slack.postCount(person.userId) === 1).length).toBeLessThan(30);
    await eventually(async () => slackPeople.every((person) => t.slack.postCount(person.userId) === 1), { timeoutMs: 25_000, what: "Slack finishing" });
  });
});
