// Check-ins end to end: the form's select through the signed Slack endpoint (a modal) and as a Teams card,
// a low answer met with the configured support links and nothing sent to anyone else, every error at once
// with values kept, history seen only by its owner, coordinators' counts only for groups large enough, and
// the weekly invitation on the member's own day and time, held to sending hours, answered with one tap.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "./support/app.js";
import { eventually } from "./support/eventually.js";
import { startFakeConnector, teamsCardSubmit, teamsMessage, type ConnectorCall, type FakeConnector, type TeamsUser } from "./support/fake-connector.js";
import { seedMembers, type SeededMember } from "./support/seed.js";
import { slackButtons, slackUser, type SlackUser } from "./support/slack-user.js";

let t: TestApp;
let connector: FakeConnector;
let clock = new Date("2026-03-10T10:05:00Z"); // Tuesday 10 March, 10:05 in London
let sam: SeededMember;
let kit: SeededMember;
let teams: SeededMember;

const json = (value: unknown) => JSON.stringify(value);

beforeAll(async () => {
  connector = await startFakeConnector();
  t = await startTestApp({ now: () => clock, env: { TI_COORDINATORS: "slack:U0COORD", TI_SUPPORT_LINKS: "Samaritans: call 116 123 | Calderdale EAP: 0800 000 000" } });
  const slack = await seedMembers(t.db.prisma, { slack: { count: 2 }, organisation: { name: "Calder NHS Trust", sector: "health", locality: "Calderdale" } });
  [sam, kit] = [slack[0]!, slack[1]!];
  teams = (await seedMembers(t.db.prisma, { teams: { count: 1, serviceUrl: connector.url } }))[0]!;
});

afterAll(async () => {
  await Promise.all([t?.close(), connector?.close()]);
});

const person = (member: SeededMember) => slackUser(t, { id: member.userId, name: "Person" });

async function openModal(user: SlackUser, typed: string) {
  const { status, since } = await user.command(typed);
  expect(status).toBe(200);
  return (await t.slack.waitFor("views.open", { since })).body.view;
}

async function submitModal(user: SlackUser, modal: any, answers: Record<string, string>) {
  const { status, answer, since } = await user.submit(modal, answers);
  expect(status).toBe(200);
  return answer?.response_action ? answer : (await t.slack.waitFor("response_url", { since })).body;
}

async function slackReply(user: SlackUser, typed: string) {
  const { answer, since } = await user.command(typed);
  return json(answer) === '""' ? (await t.slack.waitFor("response_url", { since })).body : answer;
}

const teamsPerson = (member: SeededMember): TeamsUser => ({ id: member.userId, aadObjectId: member.conversationId!.slice(2), name: "Person", tenantId: member.workspaceId });

async function teamsExchange(activity: unknown): Promise<ConnectorCall> {
  const since = connector.calls.length;
  const response = await fetch(`${t.url}/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: json(activity) });
  expect(response.status).toBe(200);
  return eventually(async () => connector.calls.slice(since).find((call) => call.conversationId === teams.conversationId), { what: "the Teams reply" });
}

describe("check-ins", () => {
  it("refuses a bad check-in with every error at once, keeping what was typed", async () => {
    const modal = await openModal(person(sam), "checkin");
    expect(json(modal)).toContain("How are you arriving today?");
    expect(json(modal)).toContain("only you will ever see");
    const long = "a".repeat(1_001);
    const refused = await submitModal(person(sam), modal, { score: "9", reflection: long, noticed: "kept" });
    expect(refused.response_action).toBe("errors");
    expect(refused.errors.score).toMatch(/choose/);
    expect(refused.errors.reflection).toMatch(/1,000 characters or fewer/);
    expect(await t.db.prisma.checkIn.count()).toBe(0);
  });

  it("meets a low check-in with the support links, and tells nobody", async () => {
    const [deliveries, audit] = [await t.db.prisma.delivery.count(), await t.db.prisma.auditEntry.count()];
    const modal = await openModal(person(sam), "checkin");
    const reply = await submitModal(person(sam), modal, { score: "1", reflection: "Rough night shift", noticed: "I rushed a handover" });
    expect(json(reply)).toContain("Samaritans: call 116 123");
    expect(json(reply)).toContain("Calderdale EAP: 0800 000 000");
    expect(json(reply)).toContain("Nobody else has been told");
    expect(await t.db.prisma.checkIn.findMany({ select: { memberId: true, score: true, reflection: true, noticed: true } })).toEqual([
      { memberId: sam.memberId, score: 1, reflection: "Rough night shift", noticed: "I rushed a handover" },
    ]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect([await t.db.prisma.delivery.count(), await t.db.prisma.auditEntry.count()]).toEqual([deliveries, audit]);
  });

  it("takes a check-in through a Teams card, with a kind reply and no support links for a good day", async () => {
    const formCall = await teamsExchange(teamsMessage(connector.url, teamsPerson(teams), "checkin"));
    const card = formCall.activity.attachments![0]!.content as unknown as { body: any[]; actions: any[] };
    expect(card.body.find((element) => element.id === "score").choices.map((choice: { title: string }) => choice.title)).toEqual([
      "Struggling",
      "Low",
      "Okay",
      "Good",
      "Really good",
    ]);
    const submit = card.actions.find((action) => action.type === "Action.Submit");
    const reply = await teamsExchange(teamsCardSubmit(connector.url, teamsPerson(teams), { ...submit.data, score: "4", reflection: "", noticed: "Asked before I assumed" }));
    expect(json(reply.activity)).toContain("Good to hear it");
    expect(json(reply.activity)).not.toContain("Samaritans");
  });

  it("shows history only to its owner, and coordinators no text and no figures under five people", async () => {
    const own = json(await slackReply(person(sam), "checkin history"));
    expect(own).toContain("Struggling. Rough night shift");
    expect(own).toContain("Only you can see these");
    const other = json(await slackReply(person(kit), "checkin history"));
    expect(other).toContain("You haven't checked in yet");
    expect(other).not.toContain("Rough night shift");

    const stats = json(await slackReply(slackUser(t, { id: "U0COORD", name: "Alex" }), "checkin stats"));
    expect(stats).toContain("Fewer than 5 people checked in");
    expect(stats).not.toContain("Rough night shift");
    expect(json(await slackReply(person(kit), "checkin stats"))).toContain("Only the network's coordinators");
  });

  it("invites weekly on the member's day and time, held to sending hours, and one tap opens the form with the answer chosen", async () => {
    const modal = await openModal(person(kit), "checkin weekly");
    const saved = await submitModal(person(kit), modal, { weekday: "6", time: "10:30" });
    expect(json(saved)).toContain("every Saturday at 10:30");
    expect(await t.db.prisma.member.findUniqueOrThrow({ where: { id: kit.memberId }, select: { checkInWeekday: true, checkInTime: true } })).toEqual({
      checkInWeekday: 6,
      checkInTime: "10:30",
    });

    clock = new Date("2026-03-14T10:30:00Z"); // Saturday 10:30: quiet time by default
    expect(await t.app.scheduler.runSlot("checkin-invitations", clock)).toMatchObject({ outcome: "invited 1 people to check in" });
    expect(await t.app.scheduler.runSlot("checkin-invitations", new Date("2026-03-14T11:00:00Z"))).toMatchObject({ outcome: "invited 0 people to check in" });
    const invitation = await t.db.prisma.delivery.findFirstOrThrow({ where: { purposeKey: "checkin-invite:2026-03-14" } });
    expect(invitation.memberId).toBe(kit.memberId);
    expect(invitation.nextAttemptAt.toISOString()).toBe("2026-03-16T09:00:00.000Z");

    // Monday: it goes, and "Okay" opens the form with Okay chosen.
    clock = new Date("2026-03-16T09:01:00Z");
    t.app.dispatcher.wake();
    const post = await t.slack.waitFor("chat.postMessage", { timeoutMs: 15_000, where: (call) => call.body.channel === kit.userId && json(call.body).includes("weekly check-in") });
    const okay = slackButtons(post.body.blocks).find((button) => button.text.text === "Okay")!;
    const pressed = await person(kit).press(okay);
    const opened = await t.slack.waitFor("views.open", { since: pressed.since });
    const select = opened.body.view.blocks.find((block: any) => block.element?.action_id === "score").element;
    expect(select.initial_option.value).toBe("3");
  });
});
