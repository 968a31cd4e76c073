// Network events end to end on both platforms: the form through the real Slack endpoint, invites through
// the real dispatcher to fake Slack and Teams servers, RSVP buttons answered in place (Slack's
// response_url, Teams' updateActivity), the waiting list, edits and cancellation told once, the calendar file.
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CardElement } from "../adapters/teams/render.js";
import { startTestApp, type TestApp } from "./support/app.js";
import { eventually } from "./support/eventually.js";
import { startFakeConnector, teamsCardSubmit, teamsMessage, type ConnectorCall, type FakeConnector, type TeamsUser } from "./support/fake-connector.js";
import { seedMembers, type SeededMember } from "./support/seed.js";
import { slackButtons, slackUser, type SlackUser } from "./support/slack-user.js";

let t: TestApp;
let connector: FakeConnector;
let coordinator: SlackUser;
let slackMembers: SeededMember[];
let teamsMember: SeededMember;

const title = "Winter network gathering";
const json = (value: unknown) => JSON.stringify(value);
const localDay = (days: number) => DateTime.now().setZone("Europe/London").plus({ days }).toISODate()!;

beforeAll(async () => {
  connector = await startFakeConnector();
  t = await startTestApp({ env: { TI_COORDINATORS: "slack:U0COORD", TI_SENDING_HOURS: "always" } });
  coordinator = slackUser(t, { id: "U0COORD", name: "Alex Coordinator" });
  const organisation = { name: "Riverside Housing", sector: "housing" as const, locality: "Taunton" };
  slackMembers = await seedMembers(t.db.prisma, { slack: { count: 3 }, role: "champion", organisation });
  teamsMember = (await seedMembers(t.db.prisma, { teams: { count: 1, serviceUrl: connector.url }, role: "member", organisation }))[0]!;
});

afterAll(async () => {
  await Promise.all([t?.close(), connector?.close()]);
});

/** Slack posts to a member about this event (other features may message them too). */
const slackPosts = (member: SeededMember, about: RegExp) =>
  t.slack.calls.filter((call) => call.method === "chat.postMessage" && call.body.channel === member.userId && about.test(String(call.body.text)));
const teamsPosts = (about: RegExp) =>
  connector.calls.filter((call) => call.method === "POST" && call.conversationId === teamsMember.conversationId && about.test(String(call.activity.summary)));

function cardActions(call: ConnectorCall): CardElement[] {
  const card = call.activity.attachments![0]!.content as unknown as { body: CardElement[] };
  return card.body.flatMap((element) => (element.type === "ActionSet" ? (element.actions as CardElement[]) : []));
}

async function openEventForm(typed = "event new") {
  const { status, since } = await coordinator.command(typed);
  expect(status).toBe(200);
  return (await t.slack.waitFor("views.open", { since })).body.view;
}

async function answerOf(since: number, includes: string) {
  return (await t.slack.waitFor("response_url", { since, where: (call) => json(call.body).includes(includes) })).body;
}

/** Posts an activity to the real Teams endpoint, as the Bot Framework would. */
const postActivity = (activity: unknown) => fetch(`${t.url}/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: json(activity) });

const slackPerson = (member: SeededMember) => slackUser(t, { id: member.userId, name: `Person ${member.userId}` });

async function pressOn(member: SeededMember, post: { body: Record<string, any> }, label: string) {
  const button = slackButtons(post.body.blocks).find((candidate) => candidate.text.text === label);
  if (!button) throw new Error(`no ${label} button in ${json(post.body.blocks)}`);
  const { status, since } = await slackPerson(member).press(button);
  expect(status).toBe(200);
  return (await t.slack.waitFor("response_url", { since })).body;
}

let eventNumber: number;

describe("network events on Slack and Teams", () => {
  it("refuses a form with every problem at once and keeps what was typed", async () => {
    const modal = await openEventForm();
    const empty = await coordinator.submit(modal, { who: "everyone", invite: "now" });
    expect(empty.answer.response_action).toBe("errors");
    expect(Object.keys(empty.answer.errors).sort()).toEqual(["ends", "location", "starts", "title"]);

    const bad = await coordinator.submit(modal, {
      title,
      "starts.date": "2020-01-01",
      "starts.time": "10:00",
      ends: "09:00",
      joinUrl: "not a link",
      capacity: "0",
      who: "everyone",
      invite: "later",
    });
    expect(bad.answer.response_action).toBe("errors");
    expect(bad.answer.errors.starts).toMatch(/already passed/);
    expect(bad.answer.errors.joinUrl).toMatch(/web link/);
    expect(bad.answer.errors.capacity).toMatch(/at least 1/);
    expect(bad.answer.errors.inviteOn).toMatch(/when to send/);

    // Slack's pickers send only real days and times; a forged or garbled one is still refused kindly.
    const unreadable = await coordinator.submit(modal, { title: "t".repeat(121), "starts.date": "2027-02-30", "starts.time": "10:00", ends: "13:00", location: "Taunton", who: "nobody-in-particular", repeat: "weekly", invite: "now" });
    expect(unreadable.answer.errors).toMatchObject({
      title: "Please keep the title to 120 characters or fewer.",
      starts: expect.stringMatching(/couldn't read that as a date/),
      who: "Please choose from the list.",
      repeat: "Please choose from the list.",
    });
    expect(await t.db.prisma.networkEvent.count()).toBe(0);
  });

  it("creates an event, invites everyone once on both platforms, with times each reader sees in their own zone", async () => {
    const modal = await openEventForm();
    const { status, since } = await coordinator.submit(modal, {
      title,
      description: "Our six-monthly gathering: stories from the network.",
      "starts.date": localDay(30),
      "starts.time": "10:00",
      ends: "13:00",
      location: "Taunton Library",
      joinUrl: "https://meet.example.org/winter",
      capacity: "1",
      who: "everyone",
      invite: "now",
    });
    expect(status).toBe(200);
    const saved = await answerOf(since, "is saved");
    eventNumber = Number(/Event #(\d+) is saved/.exec(json(saved))![1]);
    expect(json(saved)).toContain("Invites are on their way to 4 people");

    await eventually(async () => slackMembers.every((member) => slackPosts(member, /You're invited/).length === 1) && teamsPosts(/You're invited/).length === 1, {
      what: "every invitee receiving the invite",
    });
    const invite = slackPosts(slackMembers[0]!, /You're invited/)[0]!;
    expect(json(invite.body.blocks)).toMatch(/<!date\^\d+\^\{date_long_pretty\}, \{time\}\|[^>]+10:00>/);
    expect(slackButtons(invite.body.blocks).map((button) => button.text.text)).toEqual(["Going", "Maybe", "Can't make it"]);
    const card = teamsPosts(/You're invited/)[0]!;
    expect(json(card.activity.attachments)).toMatch(/\{\{DATE\(\d{4}-\d\d-\d\dT\d\d:00:00Z, LONG\)\}\}/);
    expect(json(card.activity.attachments)).toContain("Add to calendar");
  });

  it("answers on Slack in place, puts the second 'going' on the waiting list, and gives them the place when it frees", async () => {
    const [first, second] = slackMembers as [SeededMember, SeededMember];
    const going = await pressOn(first, slackPosts(first, /You're invited/)[0]!, "Going");
    expect(going.replace_original).toBe(true);
    expect(json(going)).toContain("You said you're going");

    const waiting = await pressOn(second, slackPosts(second, /You're invited/)[0]!, "Going");
    expect(waiting.replace_original).toBe(true);
    expect(json(waiting)).toContain("waiting list");

    const declined = await pressOn(first, slackPosts(first, /You're invited/)[0]!, "Can't make it");
    expect(json(declined)).toContain("You said you can't make it");
    await eventually(async () => slackPosts(second, /A place came up/).length === 1, { what: "the waiting member being told of the place" });
    const invitation = await t.db.prisma.eventInvitation.findFirstOrThrow({ where: { memberId: second.memberId } });
    expect(invitation).toMatchObject({ answer: "going", waitlistedAt: null });
  });

  it("sends the answer as a DM when Slack won't let it replace the invite (an expired response_url)", async () => {
    // The member who now holds the place says "Going" again: nothing changes but the answer's route.
    const holder = slackMembers[1]!;
    const going = slackButtons(slackPosts(holder, /You're invited/)[0]!.body.blocks).find((button) => button.text.text === "Going")!;
    t.slack.expireNextResponseUrl();
    const { status, since } = await slackPerson(holder).press(going);
    expect(status).toBe(200);
    const refused = await t.slack.waitFor("response_url", { since });
    expect(refused.body.replace_original).toBe(true);
    const dm = await t.slack.waitFor("chat.postMessage", { since, where: (call) => call.body.channel === holder.userId && json(call.body).includes("You said you're going") });
    expect(dm.body.channel).toBe(holder.userId);
    expect(await t.db.prisma.eventInvitation.findFirstOrThrow({ where: { memberId: holder.memberId } })).toMatchObject({ answer: "going", waitlistedAt: null });
  });

  it("answers on Teams in place by updating the card, and sends a new card if Teams won't update it", async () => {
    const invite = teamsPosts(/You're invited/)[0]!;
    const maybe = cardActions(invite).find((action) => action.title === "Maybe")!;
    const user: TeamsUser = { id: teamsMember.userId, aadObjectId: "aad-teams-member", name: "Teams member", tenantId: teamsMember.workspaceId };
    const before = connector.calls.length;
    const response = await postActivity(teamsCardSubmit(connector.url, user, maybe.data as Record<string, unknown>, "1:invite-card"));
    expect(response.status).toBe(200);
    const updated = await eventually(async () => connector.calls.slice(before).find((call) => call.method === "PUT"), { what: "the card updated" });
    expect(updated.activityId).toBe("1:invite-card");
    expect(json(updated.activity)).toContain("You said maybe");

    connector.failNext(404);
    const again = connector.calls.length;
    const declined = cardActions(invite).find((action) => action.title === "Can't make it")!;
    await postActivity(teamsCardSubmit(connector.url, user, declined.data as Record<string, unknown>, "1:gone"));
    const fallback = await eventually(async () => connector.calls.slice(again).find((call) => call.method === "POST" && json(call.activity).includes("can't make it")), { what: "a new card instead" });
    expect(fallback.conversationId).toBe(`a:${user.aadObjectId}`);
    const answer = await t.db.prisma.eventInvitation.findFirstOrThrow({ where: { memberId: teamsMember.memberId } });
    expect(answer.answer).toBe("declined");

    // From the events list, the answer shows the whole list again in place: the one place is taken.
    const typed = connector.calls.length;
    await postActivity(teamsMessage(connector.url, user, "events"));
    const list = await eventually(async () => connector.calls.slice(typed).find((call) => json(call.activity).includes("Your upcoming events")), { what: "the events list" });
    expect(json(list.activity)).toContain("You said you can't make it");
    const going = cardActions(list).find((action) => action.title === "Going")!;
    const pressed = connector.calls.length;
    await postActivity(teamsCardSubmit(connector.url, user, going.data as Record<string, unknown>, "1:events-list"));
    const relisted = await eventually(async () => connector.calls.slice(pressed).find((call) => call.method === "PUT"), { what: "the list updated" });
    expect(relisted.activityId).toBe("1:events-list");
    expect(json(relisted.activity)).toContain("Your upcoming events");
    expect(json(relisted.activity)).toContain("waiting list");
    await postActivity(teamsCardSubmit(connector.url, user, declined.data as Record<string, unknown>, "1:events-list"));
    await eventually(async () => (await t.db.prisma.eventInvitation.findFirstOrThrow({ where: { memberId: teamsMember.memberId } })).answer === "declined", { what: "declined again" });
  });

  it("shows coordinators the counts by organisation and sector, and the answers as CSV", async () => {
    const { answer, since } = await coordinator.command("events");
    const list = json(answer) === '""' ? (await t.slack.waitFor("response_url", { since })).body : answer;
    expect(json(list)).toContain("1 of 1 places going · 0 maybe · 2 can't make it · 1 no answer");
    expect(json(list)).toContain("Riverside Housing: 1 going");
    expect(json(list)).toContain("Sector Housing: 1 going");

    const exported = await coordinator.command(`event export ${eventNumber}`);
    const reply = json(exported.answer) === '""' ? (await t.slack.waitFor("response_url", { since: exported.since })).body : exported.answer;
    const link = /<(http[^|>]+)\|/.exec(json(reply))![1]!.replace(/&amp;/g, "&").replace("localhost", "127.0.0.1");
    const csv = await (await fetch(link)).text();
    const lines = csv.trim().split("\n");
    expect(lines[0]).toBe("event,title,member,organisation,sector,answer,waiting_list,answered_at,invited_at");
    expect(lines).toHaveLength(5);
    expect(lines.filter((line) => line.includes(",going,"))).toHaveLength(1);
  });

  it("tells invitees who haven't declined of a change once, with a calendar file of a higher sequence", async () => {
    const modal = await openEventForm(`event edit ${eventNumber}`);
    const values = Object.fromEntries(
      modal.blocks
        .filter((block: any) => block.type === "input")
        .map((block: any) => [
          block.element.action_id,
          block.element.initial_value ?? block.element.initial_date ?? block.element.initial_time ?? block.element.initial_option?.value ?? (block.element.initial_options ?? []).map((option: any) => option.value),
        ]),
    );
    expect(values).toMatchObject({ title, "starts.date": localDay(30), "starts.time": "10:00", ends: "13:00" });
    const { since } = await coordinator.submit(modal, { ...values, "starts.date": localDay(31), "starts.time": "11:00", ends: "14:00" });
    const saved = await answerOf(since, "is saved");
    expect(json(saved)).toContain("2 people who hadn't declined will be told that the time changed");
    const [first, second, third] = slackMembers as [SeededMember, SeededMember, SeededMember];
    await eventually(async () => slackPosts(second, /^Changed:/).length === 1 && slackPosts(third, /^Changed:/).length === 1, { what: "the change notices" });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(slackPosts(first, /^Changed:/)).toHaveLength(0);
    expect(teamsPosts(/^Changed:/)).toHaveLength(0);

    const notice = slackPosts(second, /^Changed:/)[0]!;
    const calendar = /<(http[^|>]+\.ics[^|>]*)\|Add to calendar/.exec(json(notice.body.blocks))![1]!.replace(/&amp;/g, "&").replace("localhost", "127.0.0.1");
    const ics = await (await fetch(calendar)).text();
    expect(ics).toContain("SEQUENCE:1");
    expect(ics).toMatch(new RegExp(`UID:event-${eventNumber}-[0-9a-f-]+@ti-champions`));
    expect(ics).toMatch(/DTSTART:\d{8}T\d{6}Z/);
  });

  it("cancels after asking, tells those not declined once, and answers a late RSVP kindly", async () => {
    const asked = await coordinator.command(`event cancel ${eventNumber}`);
    const question = json(asked.answer) === '""' ? (await t.slack.waitFor("response_url", { since: asked.since })).body : asked.answer;
    expect(json(question)).toContain("2 people who haven't declined will be told");
    const yes = slackButtons(question.blocks).find((button) => button.text.text === "Yes, cancel it")!;
    const pressed = await coordinator.press(yes);
    expect(json(await answerOf(pressed.since, "is cancelled"))).toContain("2 people who hadn't declined will be told");
    const [first, second, third] = slackMembers as [SeededMember, SeededMember, SeededMember];
    await eventually(async () => slackPosts(second, /^Cancelled:/).length === 1 && slackPosts(third, /^Cancelled:/).length === 1, { what: "the cancellations" });
    expect(slackPosts(first, /^Cancelled:/)).toHaveLength(0);

    const late = await pressOn(third, slackPosts(third, /You're invited/)[0]!, "Going");
    expect(late.replace_original).toBe(false);
    expect(json(late)).toContain("was cancelled");
    const again = await coordinator.command(`event cancel ${eventNumber} confirm`);
    const refusal = json(again.answer) === '""' ? (await t.slack.waitFor("response_url", { since: again.since })).body : again.answer;
    expect(json(refusal)).toContain("was cancelled, so it can't be changed");
  });
});
