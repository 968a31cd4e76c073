// Everywhere a button answers, the message pressed is replaced by the answer, on both platforms: a pulse
// answered with one tap, a report reminder's Not now and Stop these, a weekly check-in invitation's Not
// now. Slack: a post to the press's response_url with replace_original; Teams: a PUT to the card pressed.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "./support/app.js";
import { eventually } from "./support/eventually.js";
import { startFakeConnector, teamsCardSubmit, teamsMessage, type FakeConnector, type TeamsUser } from "./support/fake-connector.js";
import { seedMembers, type SeededMember } from "./support/seed.js";
import { slackUser } from "./support/slack-user.js";

let t: TestApp;
let connector: FakeConnector;
let slackChampion: SeededMember;
let teamsChampion: TeamsUser;
let coordinator: TeamsUser;
let requestId: string;
const json = (value: unknown) => JSON.stringify(value);
const asTeamsUser = (member: SeededMember, name: string): TeamsUser => ({ id: member.userId, aadObjectId: member.conversationId!.slice(2), name, tenantId: member.workspaceId });

/** A `ti:` button pressed in a Slack message: Slack gives the press a response_url of its own. */
async function slackPress(member: SeededMember, verb: string, text: string): Promise<{ replaced: boolean; body: Record<string, unknown> }> {
  const responseUrl = t.slack.responseUrl(randomUUID());
  const responseId = responseUrl.split("/").at(-1);
  const since = t.slack.calls.length;
  const response = await slackUser(t, { id: member.userId, name: "sam" }).press({ action_id: `ti:${verb}`, value: json({ verb, text }) }, { responseUrl });
  expect(response.status).toBe(200);
  const answer = await t.slack.waitFor("response_url", { since, where: (call) => call.responseId === responseId });
  return { replaced: answer.body.replace_original === true, body: answer.body };
}

/** A button pressed on a Teams card: the answer should be a PUT to that card, not a new message. */
async function teamsPress(user: TeamsUser, verb: string, text: string): Promise<{ method: string; activityId?: string; body: string }> {
  const card = `1:${randomUUID()}`;
  const activity = teamsCardSubmit(connector.url, user, { ti: { kind: "button", verb, text } }, card);
  const since = connector.calls.length;
  const response = await fetch(`${t.url}/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: json(activity) });
  expect(response.status).toBe(200);
  const call = await eventually(async () => connector.calls.slice(since).find((candidate) => candidate.conversationId === activity.conversation.id), { what: "the answer" });
  return { method: call.method, ...(call.activityId ? { activityId: call.activityId } : {}), body: json(call.activity) };
}

beforeAll(async () => {
  connector = await startFakeConnector();
  t = await startTestApp({ env: { TI_SENDING_HOURS: "always" } });
  const prisma = t.db.prisma;
  const organisation = { name: "Riverside Housing", sector: "housing" as const };
  slackChampion = (await seedMembers(prisma, { slack: { count: 1 }, role: "champion", organisation }))[0]!;
  teamsChampion = asTeamsUser((await seedMembers(prisma, { teams: { count: 1, serviceUrl: connector.url }, role: "champion", organisation }))[0]!, "Robin");
  coordinator = asTeamsUser((await seedMembers(prisma, { teams: { count: 1, serviceUrl: connector.url }, role: "coordinator" }))[0]!, "Casey");
  const network = await prisma.network.findFirstOrThrow();
  const riverside = await prisma.organisation.findFirstOrThrow({ where: { name: organisation.name } });
  const cycle = await prisma.reportingCycle.create({ data: { networkId: network.id, label: "October to December 2026", opensOn: new Date("2026-10-01"), dueOn: new Date("2027-12-31") } });
  requestId = (await prisma.reportRequest.create({ data: { cycleId: cycle.id, organisationId: riverside.id } })).id;
  await fetch(`${t.url}/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: json(teamsMessage(connector.url, coordinator, "pulse start")) });
  await eventually(async () => (await prisma.pulseRound.count()) === 1, { what: "the pulse round" });
});

afterAll(async () => {
  await Promise.all([t?.close(), connector?.close()]);
});

describe("a button's answer replaces the message pressed", () => {
  it("a pulse answered with one tap", async () => {
    const round = await t.db.prisma.pulseRound.findFirstOrThrow();
    const slack = await slackPress(slackChampion, "pulse answer", `${round.number} 4`);
    expect(slack.replaced).toBe(true);
    const teams = await teamsPress(teamsChampion, "pulse answer", `${round.number} 2`);
    expect(teams.method).toBe("PUT");
    expect(await t.db.prisma.pulseParticipation.count({ where: { roundId: round.id } })).toBe(2);
  });

  it("a report reminder's Not now and Stop these", async () => {
    expect((await slackPress(slackChampion, "report snooze", requestId)).replaced).toBe(true);
    expect((await teamsPress(teamsChampion, "report snooze", requestId)).method).toBe("PUT");
    expect((await slackPress(slackChampion, "report stop", requestId)).replaced).toBe(true);
    expect((await teamsPress(teamsChampion, "report stop", requestId)).method).toBe("PUT");
    expect(await t.db.prisma.reportNudgeState.count({ where: { requestId, stoppedAt: { not: null } } })).toBe(2);
  });

  it("a pulse's Not now", async () => {
    const round = await t.db.prisma.pulseRound.findFirstOrThrow();
    expect((await slackPress(slackChampion, "pulse later", String(round.number))).replaced).toBe(true);
    expect((await teamsPress(teamsChampion, "pulse later", String(round.number))).method).toBe("PUT");
  });

  it("a weekly check-in invitation's Not now", async () => {
    expect((await slackPress(slackChampion, "checkin later", "")).replaced).toBe(true);
    expect((await teamsPress(teamsChampion, "checkin later", "")).method).toBe("PUT");
  });
});
