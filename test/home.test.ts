// `home`: what waits for someone (the open pulse, an invitation to answer, their organisation's report),
// what's new in the network, and for coordinators the network at a glance; on Slack and on Teams, and as
// the welcome back when someone installs the bot again. Everything shown is checked against the database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "./support/app.js";
import { eventually } from "./support/eventually.js";
import { startFakeConnector, teamsBotAdded, teamsMessage, type ConnectorCall, type FakeConnector, type TeamsUser } from "./support/fake-connector.js";
import { seedMembers, type SeededMember } from "./support/seed.js";
import { slackUser } from "./support/slack-user.js";
import type { AdaptiveCard } from "../adapters/teams/render.js";
import { cardElements, cardOf, cardText } from "./support/teams-card.js";

let t: TestApp;
let connector: FakeConnector;
let sam: SeededMember;
let coordinator: TeamsUser;
const now = new Date("2026-12-07T11:00:00Z");

const json = (value: unknown) => JSON.stringify(value);
/** What a card says and its buttons' titles. */
const cardWords = (card: AdaptiveCard) => [cardText(card), ...cardElements(card).flatMap((element) => (typeof element.title === "string" ? [element.title] : []))].join("\n");
const asTeamsUser = (member: SeededMember, name: string): TeamsUser => ({ id: member.userId, aadObjectId: member.conversationId!.slice(2), name, tenantId: member.workspaceId });

async function slackHome(person: { id: string; name: string }): Promise<string> {
  const { status, answer, since } = await slackUser(t, person).command("home");
  expect(status).toBe(200);
  if (answer && json(answer) !== '""') return json(answer);
  return json((await t.slack.waitFor("response_url", { since })).body);
}

async function teamsExchange(activity: { id: string; conversation: { id: string } }): Promise<string> {
  const since = connector.calls.length;
  const response = await fetch(`${t.url}/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: json(activity) });
  expect(response.status).toBe(200);
  const answered = (call: ConnectorCall) => call.conversationId === activity.conversation.id && call.activityId === activity.id;
  return cardWords(cardOf(await eventually(async () => connector.calls.slice(since).find(answered), { what: "the reply" })));
}

beforeAll(async () => {
  connector = await startFakeConnector();
  t = await startTestApp({ now: () => now, env: { TI_SENDING_HOURS: "always" } });
  const prisma = t.db.prisma;
  const organisation = { name: "Riverside Housing", sector: "housing" as const, locality: "Kirklees" };
  sam = (await seedMembers(prisma, { slack: { count: 1 }, role: "champion", organisation }))[0]!;
  const others = await seedMembers(prisma, { slack: { count: 3 }, role: "member", organisation: { name: "Calder NHS Trust", sector: "health" } });
  coordinator = asTeamsUser((await seedMembers(prisma, { teams: { count: 1, serviceUrl: connector.url }, role: "coordinator" }))[0]!, "Casey");
  const network = await prisma.network.findFirstOrThrow();
  const riverside = await prisma.organisation.findFirstOrThrow({ where: { name: "Riverside Housing" } });
  await prisma.update.create({ data: { networkId: network.id, authorId: others[0]!.memberId, text: "Redesigned our waiting room with service users #safety", sourcePlatform: "slack", createdAt: new Date("2026-12-01T10:00:00Z") } });
  await prisma.update.create({ data: { networkId: network.id, authorId: others[1]!.memberId, text: "A note kept for my own learning", sourcePlatform: "slack", sharedWithNetwork: false, createdAt: new Date("2026-12-02T10:00:00Z") } });
  const event = await prisma.networkEvent.create({
    data: { networkId: network.id, title: "Winter gathering", description: "Our six-monthly network event", startsAt: new Date("2027-01-13T10:00:00Z"), endsAt: new Date("2027-01-13T13:00:00Z"), audience: { who: "everyone" }, invitedAt: now },
  });
  await prisma.eventInvitation.create({ data: { eventId: event.id, memberId: sam.memberId } });
  const cycle = await prisma.reportingCycle.create({ data: { networkId: network.id, label: "October to December 2026", opensOn: new Date("2026-10-01"), dueOn: new Date("2026-12-31") } });
  await prisma.reportRequest.create({ data: { cycleId: cycle.id, organisationId: riverside.id } });
});

afterAll(async () => {
  await Promise.all([t?.close(), connector?.close()]);
});

describe("home", () => {
  it("shows a champion on Slack what waits for them, and the network's latest shared updates", async () => {
    expect(await teamsExchange(teamsMessage(connector.url, coordinator, "pulse start"))).toMatch(/pulse/i);
    const round = await t.db.prisma.pulseRound.findFirstOrThrow({ include: { question: true } });
    const home = await slackHome({ id: sam.userId, name: "Sam" });
    expect(home).toContain("Waiting for you");
    expect(home).toContain(round.question.text);
    expect(home).toContain("Winter gathering");
    expect(home).toContain("Riverside Housing's milestone report for October to December 2026 is due 31 Dec 2026");
    expect(home).toContain("Redesigned our waiting room");
    // Kept to its author's profile: never on anyone else's home.
    expect(home).not.toContain("my own learning");
    // No coordinator's figures for a champion.
    expect(home).not.toContain("Running the network");
  });

  it("stops showing what has been done: an answered pulse, an answered invitation, a submitted report", async () => {
    const round = await t.db.prisma.pulseRound.findFirstOrThrow({ include: { question: true } });
    const sammy = slackUser(t, { id: sam.userId, name: "Sam" });
    expect((await sammy.command(`pulse answer ${round.number} 4`)).status).toBe(200);
    expect((await sammy.command(`event rsvp ${(await t.db.prisma.networkEvent.findFirstOrThrow()).number} going`)).status).toBe(200);
    await eventually(async () => (await t.db.prisma.pulseParticipation.count()) === 1 && (await t.db.prisma.eventInvitation.count({ where: { answer: "going" } })) === 1, { what: "the answers" });
    const request = await t.db.prisma.reportRequest.findFirstOrThrow();
    await t.db.prisma.milestoneReport.create({ data: { requestId: request.id, milestones: [], keyActionProgress: [], rag: "green", summary: "On track", status: "submitted" } });
    const home = await slackHome({ id: sam.userId, name: "Sam" });
    expect(home).not.toContain(round.question.text);
    expect(home).not.toContain("Winter gathering");
    expect(home).not.toContain("milestone report");
    expect(home).toContain("Nothing is waiting for you");
  });

  it("gives a coordinator on Teams the network at a glance, as the database counts it, and their buttons", async () => {
    const card = await teamsExchange(teamsMessage(connector.url, coordinator, "home"));
    const members = await t.db.prisma.member.count({ where: { leftAt: null } });
    const champions = await t.db.prisma.member.count({ where: { leftAt: null, role: "champion" } });
    const organisations = await t.db.prisma.organisation.count();
    expect(card).toContain("Running the network");
    expect(card).toContain(`${members} members, ${champions} of them champions, in ${organisations} organisations`);
    expect(card).toContain("2 updates shared in the last 30 days");
    for (const label of ["New broadcast", "Plan an event", "Reports"]) expect(card).toContain(label);
  });

  it("welcomes someone who hasn't joined with an invitation to, and a member who installs again with their home", async () => {
    const stranger: TeamsUser = { id: "29:1stranger", aadObjectId: "7e1b7c4c-0000-4000-8000-000000000001", name: "Alex", tenantId: coordinator.tenantId };
    const strangerHome = await teamsExchange(teamsMessage(connector.url, stranger, "home"));
    expect(strangerHome).toContain("Join the network");
    expect(strangerHome).not.toContain("Waiting for you");
    const since = connector.calls.length;
    expect((await fetch(`${t.url}/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: json(teamsBotAdded(connector.url, coordinator)) })).status).toBe(200);
    const welcome = await eventually(async () => connector.calls.slice(since).find((call) => call.conversationId === `a:${coordinator.aadObjectId}`), { what: "the welcome back" });
    expect(cardWords(cardOf(welcome))).toContain("Hello, ");
    expect(cardWords(cardOf(welcome))).toContain("Running the network");
  });
});
