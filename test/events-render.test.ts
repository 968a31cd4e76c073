// What events look like on each platform: the 'when' block in each reader's own time zone (Slack's date
// tokens, Adaptive Cards' DATE/TIME), within Block Kit's limits; and the calendar file's content.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { slackLimits } from "../adapters/slack/block-kit.js";
import { renderMessage } from "../adapters/slack/render.js";
import { renderCard } from "../adapters/teams/render.js";
import type { CoreContext } from "../src/core/kernel/context.js";
import { calendarLink, inviteMessage, type EventFacts } from "../src/core/events/event-card.js";
import { calendarUid, eventCalendarFile } from "../src/core/events/calendar-file.js";
import { ensureNetwork } from "../src/core/network.js";
import { describeWhen, message, type WhenBlock } from "../src/core/kernel/view.js";
import { createSignedLinks } from "../src/http/signed-links.js";
import { createTestDatabase, type TestDatabase } from "./support/database.js";
import { coreContext } from "./support/core-context.js";

const winter: WhenBlock = { type: "when", label: "When", start: "2027-01-24T10:00:00Z", end: "2027-01-24T13:00:00Z", timeZone: "Europe/London" };
const summer: WhenBlock = { ...winter, start: "2027-07-24T09:00:00Z", end: "2027-07-25T15:30:00Z" };
const json = (value: unknown) => JSON.stringify(value);
/** The mrkdwn of the first section a message renders to on Slack. */
const firstSection = (block: WhenBlock) => (renderMessage(message("When", block)).blocks[0] as unknown as { text: { text: string } }).text.text;

describe("the when block", () => {
  it("reads in the network's zone, with the zone's name, for readers whose platform can't localise", () => {
    expect(describeWhen(winter)).toMatchObject({ text: "Sunday, 24 January 2027, 10:00 to 13:00 GMT", sameDay: true });
    expect(describeWhen(summer).text).toBe("Saturday, 24 July 2027, 10:00 to Sunday, 25 July 2027, 16:30 BST");
  });

  it("renders on Slack as date tokens each reader sees in their own zone, with the network's time as fallback", () => {

    const start = Date.parse(winter.start) / 1000;
    const end = Date.parse(winter.end) / 1000;
    expect(firstSection(winter)).toBe(`*When:* <!date^${start}^{date_long_pretty}, {time}|Sunday, 24 January 2027, 10:00> to <!date^${end}^{time}|13:00 GMT>`);
    expect(firstSection(summer)).toContain(`^{date_long_pretty}, {time}|Sunday, 25 July 2027, 16:30 BST>`);
    expect(firstSection({ ...winter, label: "<!channel>" })).toMatch(/^\*&lt;!channel&gt;:\*/);
  });

  it("renders on Teams with DATE and TIME on strict RFC 3339 times, no spaces inside the braces", () => {
    const card = renderCard(message("When", winter)).card;
    expect(card.body[0]).toEqual({
      type: "TextBlock",
      wrap: true,
      text: "**When:** {{DATE(2027-01-24T10:00:00Z, LONG)}}, {{TIME(2027-01-24T10:00:00Z)}} to {{TIME(2027-01-24T13:00:00Z)}}",
    });
    expect(json(renderCard(message("When", summer)).card)).toContain("{{DATE(2027-07-25T15:30:00Z, LONG)}}, {{TIME(2027-07-25T15:30:00Z)}}");
  });
});

describe("the invite and its calendar file", () => {
  let db: TestDatabase;
  let ctx: CoreContext;
  let clock = new Date("2026-11-23T10:00:00Z");
  const links = createSignedLinks("test-secret", () => "https://bot.example.org", () => clock);

  beforeAll(async () => {
    db = await createTestDatabase();
    const network = await ensureNetwork(db.prisma, { name: "Somerset network", timeZone: "Europe/London", sendingHours: "always" });
    ctx = coreContext(db, network, { timeZone: "Europe/London", now: () => clock, links });
  });

  afterAll(async () => {
    await db?.destroy();
  });

  const facts = (number: number): EventFacts => ({
    number,
    title: "Network gathering ".repeat(6).trim(),
    description: "x".repeat(2_000),
    startsAt: new Date("2027-01-24T10:00:00Z"),
    endsAt: new Date("2027-01-24T13:00:00Z"),
    location: "Taunton [Library] *main hall*",
    joinUrl: "https://meet.example.org/winter",
    capacity: null,
    sequence: 0,
    status: "scheduled",
  });

  it("fits Slack's limits with the longest title and description, and keeps the place's markup literal", () => {
    const rendered = renderMessage(inviteMessage(ctx, facts(4)));
    expect(rendered.blocks.length).toBeLessThanOrEqual(slackLimits.messageBlocks);
    for (const block of rendered.blocks as { text?: { text: string } }[]) expect((block.text?.text ?? "").length).toBeLessThanOrEqual(slackLimits.sectionText);
    expect(json(rendered)).toContain("*Where:* Taunton Library main hall");
  });

  it("is signed to work until a week after the event ends, not an hour", () => {
    const link = new URL(calendarLink(ctx, facts(4))!);
    expect(link.pathname).toBe("/downloads/events/4.ics");
    clock = new Date("2027-01-30T12:00:00Z");
    expect(links.check(link)).toMatchObject({ ok: true });
    clock = new Date("2027-02-01T12:00:00Z");
    expect(links.check(link)).toMatchObject({ ok: false, status: 410 });
    clock = new Date("2026-11-23T10:00:00Z");
  });

  it("keeps one UID, raises SEQUENCE with each change, gives times in UTC, and cancels with METHOD:CANCEL", async () => {
    const event = await db.prisma.networkEvent.create({
      data: { networkId: ctx.networkId, title: "Winter gathering", description: "Stories", startsAt: new Date("2027-07-24T09:00:00Z"), endsAt: new Date("2027-07-24T12:00:00Z"), location: "Taunton", audience: {} },
    });
    const first = (await eventCalendarFile(ctx, event.number))!;
    expect(first).toMatchObject({ kind: "file", filename: `event-${event.number}.ics`, contentType: "text/calendar; charset=utf-8" });
    const body = first.kind === "file" ? first.body : "";
    expect(body).toContain(`UID:${calendarUid(ctx, event.number)}`);
    expect(body).toContain("SEQUENCE:0");
    expect(body).toContain("METHOD:PUBLISH");
    expect(body).toContain("DTSTART:20270724T090000Z");
    expect(body).toContain("DTEND:20270724T120000Z");

    await db.prisma.networkEvent.update({ where: { id: event.id }, data: { status: "cancelled", sequence: 2 } });
    const cancelled = (await eventCalendarFile(ctx, event.number))!;
    const cancelledBody = cancelled.kind === "file" ? cancelled.body : "";
    expect(cancelledBody).toContain(`UID:${calendarUid(ctx, event.number)}`);
    expect(cancelledBody).toContain("SEQUENCE:2");
    expect(cancelledBody).toContain("METHOD:CANCEL");
    expect(cancelledBody).toContain("STATUS:CANCELLED");

    await db.prisma.networkEvent.update({ where: { id: event.id }, data: { status: "draft" } });
    expect(await eventCalendarFile(ctx, event.number)).toBeNull();
    expect(await eventCalendarFile(ctx, 999_999)).toBeNull();
  });
});
