// Counted links in broadcasts, end to end on both platforms: each recipient's links go through the bot's
// signed redirect (`/l/…`), a click is counted once per person and link however often pressed, a forged
// or altered link goes nowhere, an expired one shows a kind page with the original link, status shows
// counts only (small groups folded), mydata and leave follow the delivery, and the network's figures
// match the database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clickedShareByBroadcast } from "../src/core/broadcasts/click-figures.js";
import { acknowledgedShareByBroadcast } from "../src/core/broadcasts/acknowledgement-figures.js";
import { startTestApp, type TestApp } from "./support/app.js";
import { coreContext } from "./support/core-context.js";
import { eventually } from "./support/eventually.js";
import { startFakeConnector, type FakeConnector } from "./support/fake-connector.js";
import { seedEngagementNetwork, slackAnswer as answerOf } from "./support/engagement-seed.js";
import type { SeededMember } from "./support/seed.js";
import { slackButtons, slackUser, type SlackUser } from "./support/slack-user.js";

let t: TestApp;
let connector: FakeConnector;
let author: SlackUser;
let colleague: SlackUser;
let riverside: SeededMember[];
let hilltop: SeededMember[];
let moor: SeededMember[];
let number: number;
let broadcastId: string;
let shiftMs = 0;

const json = (value: unknown) => JSON.stringify(value);
const charter = "https://ti.example.org/charter";
const map = "https://maps.example.org/where?area=north&zoom=3";
const text = `The charter has changed: read [the new charter](${charter}) and [where the hubs are](${map}).\n\n- [the charter again](${charter})\n- [an old page](http://old.example.org/page)`;
const countedLink = /https:\/\/ti\.example\.org\/l\/[^\s|>)"\\]+/g;

beforeAll(async () => {
  connector = await startFakeConnector();
  t = await startTestApp({
    env: { TI_SENDING_HOURS: "always", TI_MIN_GROUP: "5", TI_PUBLIC_URL: "https://ti.example.org" },
    now: () => new Date(Date.now() + shiftMs),
  });
  const seeded = await seedEngagementNetwork(t, connector.url);
  ({ riverside, hilltop, moor } = seeded);
  author = slackUser(t, { id: seeded.coordinators[0]!.userId, name: "alex" });
  colleague = slackUser(t, { id: seeded.coordinators[1]!.userId, name: "kim" });
});

afterAll(async () => {
  await Promise.all([t?.close(), connector?.close()]);
});

const slackAnswer = (request: Promise<{ status: number; answer?: any; since: number }>) => answerOf(t, request);

const person = (member: SeededMember) => slackUser(t, { id: member.userId, name: `person-${member.userId}` });

/** The counted links in the announcement a member received, in the order they appear. */
function linksFor(member: SeededMember): string[] {
  const slack = t.slack.calls.find((call) => call.method === "chat.postMessage" && call.body.channel === member.userId && json(call.body).includes("charter has changed"));
  const teams = connector.calls.find((call) => call.conversationId === member.conversationId && json(call.activity).includes("charter has changed"));
  const body = json(slack?.body ?? teams?.activity).replace(/&amp;/g, "&");
  return body.match(countedLink) ?? [];
}

/** Opens a counted link against the bot itself (its public address is the test's name for it). */
const open = (link: string, init: RequestInit = {}) => fetch(link.replace("https://ti.example.org", t.url), { redirect: "manual", ...init });
const clickRows = () => t.db.prisma.broadcastClick.findMany({ include: { delivery: true, link: true } });

describe("counted links in a broadcast", () => {
  it("gives every recipient, on Slack and on Teams, their own counted links", async () => {
    const { since } = await author.command("broadcast");
    const modal = (await t.slack.waitFor("views.open", { since })).body.view;
    const submitted = await author.submit(modal, { message: text, who: "champions", timing: "now", ack: "none" });
    const preview = (await t.slack.waitFor("response_url", { since: submitted.since, where: (call) => json(call.body).includes("Preview of broadcast") })).body;
    // The preview shows the links as written: nothing is counted before it is sent.
    expect(json(preview)).toContain(charter);
    const send = slackButtons(preview.blocks).find((button) => /^Send to 11 people/.test(button.text.text))!;
    expect(json(await slackAnswer(author.press(send)))).toMatch(/on its way to 11 people/);
    const broadcast = await t.db.prisma.broadcast.findFirstOrThrow({ orderBy: { number: "desc" } });
    ({ number, id: broadcastId } = broadcast);
    await eventually(async () => (await t.db.prisma.delivery.count({ where: { broadcastId, status: "sent" } })) === 11, { what: "every champion receiving it" });

    expect(await t.db.prisma.broadcastLink.findMany({ where: { broadcastId }, orderBy: { position: "asc" }, select: { position: true, url: true } })).toEqual([
      { position: 1, url: charter },
      { position: 2, url: map },
    ]);
    const deliveries = await t.db.prisma.delivery.findMany({ where: { broadcastId } });
    const everyone = [...riverside, ...hilltop, ...moor];
    const all = new Set<string>();
    for (const member of everyone) {
      const links = linksFor(member);
      const delivery = deliveries.find((row) => row.memberId === member.memberId)!;
      // The charter twice (the same link, link 1) and the map once; the http link goes as written.
      expect(links.map((link) => new URL(link).pathname)).toEqual([`/l/${number}/1/${delivery.id}`, `/l/${number}/2/${delivery.id}`, `/l/${number}/1/${delivery.id}`]);
      for (const link of links) all.add(link);
    }
    expect(all.size).toBe(22);
    const teamsBody = json(connector.calls.find((call) => call.conversationId === riverside[5]!.conversationId)!.activity);
    expect(teamsBody).toContain("[the new charter](https://ti.example.org/l/");
    expect(teamsBody).not.toContain(`(${charter})`);
    // The notification line names the links by their labels only.
    expect(teamsBody).toContain("read the new charter and where the hubs are");
    expect(teamsBody).toContain("http://old.example.org/page");
  });

  it("redirects at once to the original link and counts a click once per person and link, however often pressed", async () => {
    const [first, second] = linksFor(riverside[0]!);
    for (let press = 0; press < 3; press++) {
      const response = await open(first!);
      expect(response.status).toBe(302);
      expect(response.headers.get("location")).toBe(charter);
    }
    const toMap = await open(second!);
    expect([toMap.status, toMap.headers.get("location")]).toEqual([302, map]);
    // A link preview fetching it is sent on but not counted as a click.
    const preview = await open(linksFor(riverside[1]!)[0]!, { headers: { "user-agent": "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)" } });
    expect(preview.status).toBe(302);
    const rows = await clickRows();
    expect(rows.map((row) => [row.delivery.memberId, row.link.position]).sort()).toEqual([
      [riverside[0]!.memberId, 1],
      [riverside[0]!.memberId, 2],
    ]);
  });

  it("refuses a forged or altered link with no redirect, and counts nothing", async () => {
    const link = new URL(linksFor(riverside[2]!)[0]!);
    const other = await t.db.prisma.delivery.findFirstOrThrow({ where: { broadcastId, memberId: riverside[3]!.memberId } });
    const signature = link.searchParams.get("signature")!;
    const altered = [
      link.href.replace(`signature=${signature}`, `signature=${signature.slice(0, -1)}${signature.endsWith("A") ? "B" : "A"}`),
      link.href.replace(/\/l\/(\d+)\/1\//, "/l/$1/2/"),
      link.href.replace(/\/l\/\d+\/1\/[^?]+/, `/l/${number}/1/${other.id}`),
      link.href.replace(/expires=\d+/, `expires=${Math.floor(Date.now() / 1000) + 400 * 86_400}`),
      `https://ti.example.org/l/${number}/1/${other.id}`,
      `https://ti.example.org/l/${number}/1/https%3A%2F%2Fevil.example.com?expires=9999999999&signature=x`,
    ];
    for (const forged of altered) {
      const response = await open(forged);
      expect(response.status, forged).toBe(403);
      expect(response.headers.get("location")).toBeNull();
      expect(await response.text()).not.toContain(charter);
    }
    expect(await t.db.prisma.broadcastClick.count()).toBe(2);
  });

  it("shows clicks in status as counts only, by link, organisation and sector, with small groups folded", async () => {
    for (const member of [riverside[1]!, riverside[2]!, hilltop[0]!, moor[0]!]) expect((await open(linksFor(member)[0]!)).status).toBe(302);
    expect((await open(linksFor(riverside[5]!)[1]!)).status).toBe(302);
    expect((await open(linksFor(moor[1]!)[1]!)).status).toBe(302);

    // The figures, counted straight from the database.
    const rows = await clickRows();
    const clickers = new Set(rows.map((row) => row.delivery.memberId));
    const perLink = (position: number) => new Set(rows.filter((row) => row.link.position === position).map((row) => row.delivery.memberId)).size;
    const inRiverside = riverside.filter((member) => clickers.has(member.memberId)).length;
    expect([clickers.size, perLink(1), perLink(2), inRiverside]).toEqual([7, 5, 3, 4]);

    for (const viewer of [author, colleague]) {
      const status = json(await slackAnswer(viewer.command(`broadcast status ${number}`)));
      expect(status).toContain("Clicked a link");
      expect(status).toContain(`${clickers.size} of 11 (64%)`);
      expect(status).toContain(`5 people: ${charter}`);
      expect(status).toContain("3 people: https://maps.example.org/where?area=north&amp;zoom=3");
      // Riverside (6) is shown; Hilltop (2) and Moor (3) only together, as "other".
      expect(status).toContain(`Riverside Housing ${inRiverside} of 6 (67%) · Other 3 of 5 (60%)`);
      expect(status).toContain(`Housing ${inRiverside} of 6 (67%) · Other 3 of 5 (60%)`);
      expect(status).not.toMatch(/Hilltop|Moor|Education|Health/);
      const members = await t.db.prisma.member.findMany({ where: { id: { in: [...riverside, ...hilltop, ...moor].map((member) => member.memberId) } } });
      for (const member of members) expect(status).not.toContain(member.displayName);
    }
  });

  it("gives the clicked and acknowledged shares for the network's figures, matching the database", async () => {
    const ctx = coreContext(t.db, await t.db.prisma.network.findFirstOrThrow({ orderBy: { createdAt: "asc" } }));
    const rows = await clickRows();
    const clicked = new Set(rows.map((row) => row.delivery.memberId)).size;
    expect(await clickedShareByBroadcast(ctx)).toEqual([{ number, sentAt: expect.any(Date), delivered: 11, clicked, share: clicked / 11 }]);
    expect(await acknowledgedShareByBroadcast(ctx)).toEqual([]);
    const insights = json(await slackAnswer(colleague.command("insights")));
    expect(insights).toContain("Announcements");
    expect(insights).toContain(`${clicked} of 11`);
  });

  it("puts a member's clicks in mydata, and erases them with their messages when they leave", async () => {
    const member = riverside[0]!;
    const reply = json(await slackAnswer(person(member).command("mydata")));
    const link = /<(http[^|>]+)\|/.exec(reply)![1]!.replace(/&amp;/g, "&").replace("https://ti.example.org", t.url);
    const file = (await (await fetch(link)).json()) as { broadcastLinkClicks: unknown };
    expect(file.broadcastLinkClicks).toEqual([
      { at: expect.any(String), link: { position: 1, url: charter, broadcast: { number } } },
      { at: expect.any(String), link: { position: 2, url: map, broadcast: { number } } },
    ]);
    const before = await t.db.prisma.broadcastClick.count();
    const leave = await slackAnswer(person(member).press({ action_id: "ti:leave confirm", value: json({ verb: "leave confirm", text: "delete" }) }));
    expect(json(leave)).toMatch(/left|erased|deleted/i);
    expect(await t.db.prisma.broadcastClick.count({ where: { delivery: { memberId: member.memberId } } })).toBe(0);
    expect(await t.db.prisma.broadcastClick.count()).toBe(before - 2);
    // Their link still leads where it did, uncounted: nothing of theirs is left to count it against.
    const response = await open(linksFor(member)[0]!);
    expect([response.status, response.headers.get("location")]).toEqual([302, charter]);
    expect(await t.db.prisma.broadcastClick.count()).toBe(before - 2);
  });

  it("after 90 days shows a kind page with the original link instead of redirecting, and counts nothing", async () => {
    const before = await t.db.prisma.broadcastClick.count();
    shiftMs = 91 * 86_400_000;
    try {
      const response = await open(linksFor(moor[2]!)[1]!);
      expect(response.status).toBe(410);
      expect(response.headers.get("location")).toBeNull();
      const page = await response.text();
      expect(page).toContain("This link has expired");
      expect(page).toContain(`<a href="https://maps.example.org/where?area=north&#38;zoom=3"`);
    } finally {
      shiftMs = 0;
    }
    expect(await t.db.prisma.broadcastClick.count()).toBe(before);
  });

  it("keeps the person's own counted links when an acknowledgement replaces the message in place", async () => {
    const { since } = await author.command("broadcast");
    const modal = (await t.slack.waitFor("views.open", { since })).body.view;
    const submitted = await author.submit(modal, { message: `Please read [the plan](${charter}/plan) before Friday.`, who: "champions", timing: "now", ack: "gotit" });
    const preview = (await t.slack.waitFor("response_url", { since: submitted.since, where: (call) => json(call.body).includes("Preview of broadcast") })).body;
    const send = slackButtons(preview.blocks).find((button) => /^Send to/.test(button.text.text))!;
    await slackAnswer(author.press(send));
    const second = await t.db.prisma.broadcast.findFirstOrThrow({ orderBy: { number: "desc" } });
    const member = hilltop[1]!;
    await eventually(async () => (await t.db.prisma.delivery.count({ where: { broadcastId: second.id, memberId: member.memberId, status: "sent" } })) === 1, { what: "the second broadcast" });
    const delivery = await t.db.prisma.delivery.findFirstOrThrow({ where: { broadcastId: second.id, memberId: member.memberId } });
    const post = t.slack.calls.find((call) => call.method === "chat.postMessage" && call.body.channel === member.userId && json(call.body).includes("before Friday"))!;
    const sentLink = json(post.body).replace(/&amp;/g, "&").match(countedLink)![0];
    expect(new URL(sentLink).pathname).toBe(`/l/${second.number}/1/${delivery.id}`);
    const gotIt = slackButtons(post.body.blocks).find((button) => button.text.text === "Got it")!;
    const answered = await slackAnswer(person(member).press(gotIt));
    expect(answered.replace_original).toBe(true);
    const kept = json(answered).replace(/&amp;/g, "&").match(countedLink)!;
    expect(kept.map((link) => new URL(link).pathname)).toEqual([`/l/${second.number}/1/${delivery.id}`]);
    expect(json(answered)).not.toContain(`${charter}/plan|`);
  });
});
