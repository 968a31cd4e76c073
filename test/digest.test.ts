// The weekly digest end to end: Monday's job queues last week's network work to every member who hasn't
// said stop, once, held to sending hours; it reaches Slack and Teams through the delivery engine; updates
// kept to a profile are never in it; "Stop these" stops it and `digest on` brings it back; a quiet week sends nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "./support/app.js";
import { eventually } from "./support/eventually.js";
import { startFakeConnector, type FakeConnector } from "./support/fake-connector.js";
import { seedMembers, type SeededMember } from "./support/seed.js";
import { slackButtons, slackUser } from "./support/slack-user.js";

let t: TestApp;
let connector: FakeConnector;
let clock = new Date("2026-12-06T12:00:00Z"); // Sunday 6 December: the digest first falls due tomorrow at 09:00
let sam: SeededMember;
let kit: SeededMember;
let teams: SeededMember;

const json = (value: unknown) => JSON.stringify(value);

beforeAll(async () => {
  connector = await startFakeConnector();
  t = await startTestApp({ now: () => clock, env: { TI_SENDING_HOURS: "Mon-Fri 09:00-17:00" } });
  const prisma = t.db.prisma;
  const slack = await seedMembers(prisma, { slack: { count: 2 }, organisation: { name: "Calder NHS Trust", sector: "health", locality: "Calderdale" } });
  [sam, kit] = [slack[0]!, slack[1]!];
  teams = (await seedMembers(prisma, { teams: { count: 1, serviceUrl: connector.url } }))[0]!;
  const network = await prisma.network.findFirstOrThrow();
  const calder = await prisma.organisation.findFirstOrThrow({ where: { name: "Calder NHS Trust" } });
  await prisma.organisation.update({ where: { id: calder.id }, data: { createdAt: new Date("2026-12-02T10:00:00Z") } });
  const safety = await prisma.principle.findFirstOrThrow({ where: { name: "Safety" } });
  const update = (text: string, createdAt: string, sharedWithNetwork = true) =>
    prisma.update.create({
      data: { networkId: network.id, authorId: sam.memberId, organisationId: calder.id, text, sourcePlatform: "slack", sharedWithNetwork, createdAt: new Date(createdAt), principles: { create: [{ principleId: safety.id }] } },
    });
  await update("Ran a reflective practice session for the ward team", "2026-12-01T14:00:00Z");
  await update("Rewrote our appointment letters with people who use the service", "2026-12-03T11:00:00Z");
  await update("A private note about my own learning", "2026-12-04T11:00:00Z", false);
  await update("Older work from the week before", "2026-11-25T11:00:00Z");
  await prisma.networkEvent.create({
    data: { networkId: network.id, title: "Network gathering", description: "Six-monthly", startsAt: new Date("2027-01-24T10:00:00Z"), endsAt: new Date("2027-01-24T13:00:00Z"), audience: {}, invitedAt: new Date("2026-11-01T10:00:00Z") },
  });
});

afterAll(async () => {
  await Promise.all([t?.close(), connector?.close()]);
});

describe("the weekly digest", () => {
  it("sends last week's shared work to every member once, on Slack and on Teams", async () => {
    clock = new Date("2026-12-07T09:00:00Z"); // Monday 7 December, 09:00 in London
    expect(await t.app.scheduler.runSlot("digest-weekly", clock)).toMatchObject({ ran: true, outcome: "digest queued to 3 members" });
    expect(await t.app.scheduler.runSlot("digest-weekly", new Date("2026-12-07T09:30:00Z"))).toMatchObject({ ran: false });
    expect(await t.db.prisma.delivery.count({ where: { purposeKey: "digest:2026-W50" } })).toBe(3);

    t.app.dispatcher.wake();
    const post = await t.slack.waitFor("chat.postMessage", { timeoutMs: 15_000, where: (call) => call.body.channel === kit.userId && json(call.body).includes("did last week") });
    const text = json(post.body);
    expect(text).toContain("30 Nov 2026 to 6 Dec 2026: 2 updates shared.");
    expect(text).toContain("Rewrote our appointment letters");
    expect(text).toContain("Ran a reflective practice session");
    expect(text).not.toContain("A private note");
    expect(text).not.toContain("Older work");
    expect(text).toContain("Welcome to Calder NHS Trust, new to the network.");
    expect(text).toContain("Next event: Network gathering");
    const teamsCall = await eventually(async () => connector.calls.find((call) => call.conversationId === teams.conversationId && json(call.activity).includes("did last week")), { what: "the Teams digest" });
    expect(json(teamsCall.activity)).toContain("Rewrote our appointment letters");

    // "Stop these" stops it for Kit alone.
    const stop = slackButtons(post.body.blocks).find((button) => button.text.text === "Stop these")!;
    const pressed = await slackUser(t, { id: kit.userId, name: "Kit" }).press(stop);
    expect(pressed.status).toBe(200);
    const answer = await t.slack.waitFor("response_url", { since: pressed.since });
    expect(json(answer.body)).toContain("no more weekly digests");
    expect(answer.body.replace_original).toBe(true);
    expect((await t.db.prisma.member.findUniqueOrThrow({ where: { id: kit.memberId } })).digestOptedOutAt).not.toBeNull();
  });

  it("skips members who said stop until they say `digest on`, and sends nothing in a quiet week", async () => {
    const prisma = t.db.prisma;
    const network = await prisma.network.findFirstOrThrow();
    await prisma.update.create({ data: { networkId: network.id, authorId: sam.memberId, text: "Shared a trauma-informed supervision guide", sourcePlatform: "slack", createdAt: new Date("2026-12-09T10:00:00Z") } });
    clock = new Date("2026-12-14T09:00:00Z");
    expect(await t.app.scheduler.runSlot("digest-weekly", clock)).toMatchObject({ outcome: "digest queued to 2 members" });
    expect(await prisma.delivery.count({ where: { purposeKey: "digest:2026-W51", memberId: kit.memberId } })).toBe(0);

    const { answer } = await slackUser(t, { id: kit.userId, name: "Kit" }).command("digest on");
    expect(json(answer)).toContain("weekly digest again");
    clock = new Date("2026-12-21T09:00:00Z");
    expect(await t.app.scheduler.runSlot("digest-weekly", clock)).toMatchObject({ outcome: "a quiet week: no digest sent" });
    await prisma.update.create({ data: { networkId: network.id, authorId: sam.memberId, text: "Ran a session", sourcePlatform: "slack", createdAt: new Date("2026-12-22T10:00:00Z") } });
    clock = new Date("2026-12-28T09:00:00Z");
    expect(await t.app.scheduler.runSlot("digest-weekly", clock)).toMatchObject({ outcome: "digest queued to 3 members" });
  });

  it("shows last week's digest now to a member who asks, and asks someone not joined to join", async () => {
    clock = new Date("2026-12-08T10:00:00Z");
    const { answer } = await slackUser(t, { id: sam.userId, name: "Sam" }).command("digest");
    expect(json(answer)).toContain("2 updates shared");
    const stranger = await slackUser(t, { id: "U0STRANGER", name: "Stranger" }).command("digest");
    expect(json(stranger.answer)).toContain("Join first");
  });
});
