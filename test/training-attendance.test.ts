// Facilitated training as network events, end to end on both platforms: a coordinator schedules a course
// through the signed Slack endpoint (the event is linked to it and invites go out through the dispatcher),
// a member who isn't the facilitator is refused the attendance list and a forged one changes nothing, the
// facilitator ticks attendees on Teams, a coordinator corrects the list on Slack (records once each, an
// unticked one taken off, a member's own record left alone), each attendee is offered a higher level once
// and keeps their profile until they say yes, and `mydata` / `leave` carry and erase what this adds.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AdaptiveCard } from "../adapters/teams/render.js";
import { startTestApp, type TestApp } from "./support/app.js";
import { eventually } from "./support/eventually.js";
import { startFakeConnector, teamsCardSubmit, teamsMessage, type ConnectorCall, type FakeConnector, type TeamsUser } from "./support/fake-connector.js";
import { seedMembers, type SeededMember } from "./support/seed.js";
import { slackButtons, slackUser, type SlackUser } from "./support/slack-user.js";
import { cardInputs, cardOf, cardSubmission, cardText } from "./support/teams-card.js";

let t: TestApp;
let connector: FakeConnector;
let clock = new Date("2026-12-07T10:00:00Z"); // Monday 7 December 2026
let coordinator: SlackUser;
let facilitator: SeededMember;
let ana: SeededMember; // Slack, says going
let ben: SeededMember; // Slack, says maybe; profile already Enhanced
let cai: SeededMember; // Teams, says going
let kit: SeededMember; // Slack, invited, not the facilitator
let skilled: { id: string; number: number };
let selfPaced: { number: number };
let eventNumber: number;

const title = "Skilled practice in multi-agency teams";
const json = (value: unknown) => JSON.stringify(value);
const teamsPerson = (seeded: SeededMember, name: string): TeamsUser => ({ id: seeded.userId, aadObjectId: seeded.userId.slice(4), name, tenantId: seeded.workspaceId });
const slackPerson = (seeded: SeededMember) => slackUser(t, { id: seeded.userId, name: `person-${seeded.userId}` });

beforeAll(async () => {
  connector = await startFakeConnector();
  t = await startTestApp({ now: () => clock, env: { TI_SENDING_HOURS: "always" } });
  const prisma = t.db.prisma;
  const [slackCoordinator] = await seedMembers(prisma, { slack: { count: 1 }, role: "coordinator" });
  coordinator = slackUser(t, { id: slackCoordinator!.userId, name: "alex" });
  facilitator = (await seedMembers(prisma, { teams: { count: 1, serviceUrl: connector.url }, role: "champion", organisation: { name: "Calder NHS Trust", sector: "health" } }))[0]!;
  [ana, ben] = (await seedMembers(prisma, { slack: { count: 2 }, role: "champion", organisation: { name: "Riverside Housing", sector: "housing" } })) as [SeededMember, SeededMember];
  cai = (await seedMembers(prisma, { teams: { count: 1, serviceUrl: connector.url }, role: "member", organisation: { name: "Hillside School", sector: "education" } }))[0]!;
  kit = (await seedMembers(prisma, { slack: { count: 1 }, role: "member" }))[0]!;
  await prisma.member.update({ where: { id: ben.memberId }, data: { trainingLevel: "enhanced" } });
  const network = await prisma.network.findFirstOrThrow();
  skilled = await prisma.trainingCourse.create({
    data: { networkId: network.id, number: 1, title, level: "skilled", format: "facilitated", provider: "Calder NHS Trust", length: "Half a day", link: "https://courses.example.org/skilled" },
  });
  selfPaced = await prisma.trainingCourse.create({ data: { networkId: network.id, number: 2, title: "TIP: an introduction", level: "informed", format: "elearning" } });
  // Cai recorded the course themselves once, elsewhere: attendance must never touch that record.
  await prisma.trainingRecord.create({ data: { memberId: cai.memberId, courseId: skilled.id, completedOn: new Date("2025-05-01T00:00:00Z") } });
});

afterAll(async () => {
  await Promise.all([t?.close(), connector?.close()]);
});

async function slackReply(user: SlackUser, typed: string) {
  const { status, answer, since } = await user.command(typed);
  expect(status).toBe(200);
  return json(answer) === '""' ? (await t.slack.waitFor("response_url", { since })).body : answer;
}

async function openModal(user: SlackUser, typed: string) {
  const { status, since } = await user.command(typed);
  expect(status).toBe(200);
  return (await t.slack.waitFor("views.open", { since })).body.view;
}

async function submitModal(user: SlackUser, modal: any, answers: Record<string, string | string[] | undefined>) {
  const { status, answer, since } = await user.submit(modal, answers);
  expect(status).toBe(200);
  return answer?.response_action ? answer : (await t.slack.waitFor("response_url", { since })).body;
}

/** Posts an activity to the real Teams endpoint and returns the card the bot answered with. */
async function teamsExchange(activity: { id: string; replyToId?: string; conversation: { id: string } }): Promise<AdaptiveCard> {
  const since = connector.calls.length;
  const response = await fetch(`${t.url}/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: json(activity) });
  expect(response.status).toBe(200);
  const answered = (call: ConnectorCall) => call.conversationId === activity.conversation.id && (call.activityId === activity.id || (call.method === "PUT" && call.activityId === activity.replyToId));
  return cardOf(await eventually(async () => connector.calls.slice(since).find(answered), { what: "the Teams reply" }));
}

const slackPosts = (member: SeededMember, about: RegExp) =>
  t.slack.calls.filter((call) => call.method === "chat.postMessage" && call.body.channel === member.userId && about.test(String(call.body.text)));
const teamsPosts = (member: SeededMember, about: RegExp) =>
  connector.calls.filter((call) => call.method === "POST" && call.conversationId === member.conversationId && about.test(String(call.activity.summary)));

async function deliveriesSettled(): Promise<void> {
  await eventually(async () => (await t.db.prisma.delivery.count({ where: { status: { in: ["queued", "sending", "retrying"] } } })) === 0, { what: "deliveries settling" });
}

const recordsFromEvent = async () => {
  const event = await t.db.prisma.networkEvent.findFirstOrThrow({ where: { number: eventNumber } });
  return t.db.prisma.trainingRecord.findMany({ where: { eventId: event.id }, orderBy: { memberId: "asc" } });
};

describe("a course scheduled as a network event", () => {
  it("explains kindly that self-paced e-learning has no session to schedule, opening no form", async () => {
    const since = t.slack.calls.length;
    const reply = json(await slackReply(coordinator, `training schedule ${selfPaced.number}`));
    expect(reply).toContain("is e-learning that people do at their own pace, so there's no session to schedule");
    expect(t.slack.calls.slice(since).filter((call) => call.method === "views.open")).toEqual([]);
    expect(json(await slackReply(slackPerson(kit), "training schedule 1"))).toContain("Only the network's coordinators can use /ti training schedule");
  });

  it("opens the event form prefilled from the course; saving links the event and invites everyone through the dispatcher", async () => {
    const modal = await openModal(coordinator, `training schedule ${skilled.number}`);
    const initial = Object.fromEntries(
      modal.blocks.filter((block: any) => block.type === "input").map((block: any) => [block.element.action_id, block.element.initial_value ?? block.element.initial_option?.value]),
    );
    expect(initial.title).toBe(title);
    expect(initial.description).toContain("Level: Skilled. Format: Facilitated, in person. Provider: Calder NHS Trust. Length: Half a day.");
    expect(initial).not.toHaveProperty("repeat");
    const facilitatorChoices = modal.blocks.find((block: any) => block.element?.action_id === "facilitator").element.options.map((option: any) => option.value);
    expect(facilitatorChoices).toContain(facilitator.memberId);
    expect(facilitatorChoices).not.toContain(kit.memberId);

    const saved = await submitModal(coordinator, modal, {
      title: initial.title,
      description: initial.description,
      facilitator: facilitator.memberId,
      "starts.date": "2026-12-14",
      "starts.time": "10:00",
      ends: "12:30",
      location: "Calder House, Halifax",
      who: "everyone",
      invite: "now",
    });
    eventNumber = Number(/Event #(\d+) is saved/.exec(json(saved))?.[1]);
    expect(json(saved)).toContain("Invites are on their way to 6 people");
    expect(json(saved)).toContain(`this session delivers course #${skilled.number}, ${title}`);
    const event = await t.db.prisma.networkEvent.findFirstOrThrow({ where: { number: eventNumber } });
    expect(event).toMatchObject({ trainingCourseId: skilled.id, facilitatorId: facilitator.memberId, seriesId: null, title });

    await eventually(async () => [ana, ben, kit].every((member) => slackPosts(member, /You're invited/).length === 1) && teamsPosts(cai, /You're invited/).length === 1, {
      what: "the invites on both platforms",
    });
    expect(json(slackPosts(ana, /You're invited/)[0]!.body.blocks)).toContain(`this session delivers course #${skilled.number}`);
    expect(json(teamsPosts(cai, /You're invited/)[0]!.activity.attachments)).toContain(`this session delivers course #${skilled.number}`);

    // Answers through the invites' own buttons.
    for (const [member, label] of [[ana, "Going"], [ben, "Maybe"]] as const) {
      const button = slackButtons(slackPosts(member, /You're invited/)[0]!.body.blocks).find((candidate) => candidate.text.text === label)!;
      const { since } = await slackPerson(member).press(button);
      await t.slack.waitFor("response_url", { since });
    }
    const going = (cardOf(teamsPosts(cai, /You're invited/)[0]!).body as any[]).flatMap((element) => (element.type === "ActionSet" ? element.actions : [])).find((action: any) => action.title === "Going");
    await teamsExchange(teamsCardSubmit(connector.url, teamsPerson(cai, "Cai"), going.data, "1:invite"));
    expect(await t.db.prisma.eventInvitation.count({ where: { eventId: event.id, answer: { in: ["going", "maybe"] } } })).toBe(3);
  });

  it("refuses attendance before the session starts", async () => {
    const card = await teamsExchange(teamsMessage(connector.url, teamsPerson(facilitator, "Fran"), `training attendance ${eventNumber}`));
    expect(cardText(card)).toContain("hasn't started yet");
    expect(cardInputs(card)).toEqual([]);
  });
});

describe("attendance", () => {
  let facilitatorCard: AdaptiveCard;

  it("refuses a member who isn't the facilitator, on both platforms, and a forged list from either changes nothing", async () => {
    clock = new Date("2026-12-14T13:00:00Z");
    const since = t.slack.calls.length;
    expect(json(await slackReply(slackPerson(kit), `training attendance ${eventNumber}`))).toContain("Only the session's facilitator or a coordinator can take attendance");
    expect(t.slack.calls.slice(since).filter((call) => call.method === "views.open")).toEqual([]);
    expect(cardText(await teamsExchange(teamsMessage(connector.url, teamsPerson(cai, "Cai"), `training attendance ${eventNumber}`)))).toContain("Only the session's facilitator");

    facilitatorCard = await teamsExchange(teamsMessage(connector.url, teamsPerson(facilitator, "Fran"), `training attendance ${eventNumber}`));
    const forged = cardSubmission(facilitatorCard, { attended: [ana.memberId, cai.memberId, kit.memberId].join(",") });
    expect(cardText(await teamsExchange(teamsCardSubmit(connector.url, teamsPerson(cai, "Cai"), forged)))).toContain("Only the session's facilitator");

    const { since: opened } = await coordinator.command(`training attendance ${eventNumber}`);
    const modal = (await t.slack.waitFor("views.open", { since: opened })).body.view;
    const asKit = { ...modal, private_metadata: JSON.stringify({ context: JSON.parse(modal.private_metadata).context, responseUrl: t.slack.responseUrl() }) };
    expect(json(await submitModal(slackPerson(kit), asKit, { attended: [ana.memberId, kit.memberId] }))).toContain("Only the session's facilitator");

    expect(await recordsFromEvent()).toEqual([]);
    expect(await t.db.prisma.auditEntry.count({ where: { action: "training.attendance" } })).toBe(0);
  });

  it("lets the facilitator tick two of three on Teams: one record each, dated the session, and each offered a higher level once", async () => {
    const fran = teamsPerson(facilitator, "Fran");
    expect(cardText(await teamsExchange(teamsMessage(connector.url, fran, "home")))).toContain(`You facilitated ${title} on 14 Dec 2026. Who took part?`);
    const choices = (cardInputs(facilitatorCard).find((input) => input.id === "attended")!.choices as { title: string; value: string }[]);
    expect(choices.slice(0, 3).map((choice) => choice.value).sort()).toEqual([ana.memberId, ben.memberId, cai.memberId].sort());
    expect(choices.find((choice) => choice.value === ana.memberId)!.title).toContain("(said going)");
    expect(choices.find((choice) => choice.value === kit.memberId)!.title).toContain("(no answer)");

    const reply = cardText(await teamsExchange(teamsCardSubmit(connector.url, teamsPerson(facilitator, "Fran"), cardSubmission(facilitatorCard, { attended: `${ana.memberId},${cai.memberId}` }))));
    expect(reply).toContain("Attendance for Skilled practice in multi-agency teams is saved: 2 people took part.");
    const records = await recordsFromEvent();
    expect(records.map((record) => record.memberId).sort()).toEqual([ana.memberId, cai.memberId].sort());
    for (const record of records) expect(record).toMatchObject({ courseId: skilled.id, completedOn: new Date("2026-12-14T00:00:00Z") });
    expect(await t.db.prisma.trainingRecord.count({ where: { memberId: cai.memberId, eventId: null } })).toBe(1);
    expect(cardText(await teamsExchange(teamsMessage(connector.url, fran, "home")))).not.toContain("You facilitated");

    await eventually(async () => slackPosts(ana, /is on your training record/).length === 1 && teamsPosts(cai, /is on your training record/).length === 1, { what: "the level suggestions" });
    const suggestion = slackPosts(ana, /is on your training record/)[0]!;
    expect(json(suggestion.body.blocks)).toContain("Your training reaches Skilled level; your profile says not set.");
    expect(slackButtons(suggestion.body.blocks).map((button) => button.text.text)).toEqual(["Yes, update my level", "Not now"]);
    expect((await t.db.prisma.member.findUniqueOrThrow({ where: { id: ana.memberId } })).trainingLevel).toBeNull();
    const audit = await t.db.prisma.auditEntry.findMany({ where: { action: "training.attendance" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ subject: `event #${eventNumber}`, detail: "course #1; 2 took part; 2 added, 0 taken off" });
  });

  it("lets a coordinator correct it on Slack: the ticked shown, an unticked record taken off, nothing duplicated, nobody offered twice", async () => {
    const before = await recordsFromEvent();
    const modal = await openModal(coordinator, `training attendance ${eventNumber}`);
    const list = modal.blocks.find((block: any) => block.element?.action_id === "attended").element;
    expect(list.initial_options.map((option: any) => option.value).sort()).toEqual([ana.memberId, cai.memberId].sort());

    const reply = await submitModal(coordinator, modal, { attended: [ana.memberId, ben.memberId] });
    expect(json(reply)).toContain("2 people took part");
    expect(json(reply)).toContain("1 person unticked had it taken off their record");
    const after = await recordsFromEvent();
    expect(after.map((record) => record.memberId).sort()).toEqual([ana.memberId, ben.memberId].sort());
    expect(after.find((record) => record.memberId === ana.memberId)!.id).toBe(before.find((record) => record.memberId === ana.memberId)!.id);
    expect(await t.db.prisma.trainingRecord.count({ where: { memberId: cai.memberId } })).toBe(1);

    // The same list again: nothing changes.
    await submitModal(coordinator, await openModal(coordinator, `training attendance ${eventNumber}`), { attended: [ana.memberId, ben.memberId] });
    expect((await recordsFromEvent()).map((record) => record.id).sort()).toEqual(after.map((record) => record.id).sort());

    await deliveriesSettled();
    expect(slackPosts(ana, /is on your training record/)).toHaveLength(1);
    expect(slackPosts(ben, /is on your training record/)).toHaveLength(0); // Enhanced already: nothing higher to offer
    expect(await t.db.prisma.auditEntry.count({ where: { action: "training.attendance" } })).toBe(3);
  });

  it("changes an attendee's level only when they say yes, and shows the session in `training mine`", async () => {
    const suggestion = slackPosts(ana, /is on your training record/)[0]!;
    const yes = slackButtons(suggestion.body.blocks).find((button) => button.text.text === "Yes, update my level")!;
    const { since } = await slackPerson(ana).press(yes);
    expect(json((await t.slack.waitFor("response_url", { since })).body)).toContain("your profile's training level is now Skilled");
    expect((await t.db.prisma.member.findUniqueOrThrow({ where: { id: ana.memberId } })).trainingLevel).toBe("skilled");
    expect(json(await slackReply(slackPerson(ana), "training mine"))).toContain(`14 Dec 2026: ${title} (#1, Skilled), attended: ${title}`);
  });
});

describe("a member's own data", () => {
  const download = async (user: SlackUser) => {
    const reply = json(await slackReply(user, "mydata"));
    const link = /(https?:\/\/[^\s"|>)\\]+\/downloads\/mydata\/[^\s"|>)\\]+)/.exec(reply)?.[1];
    expect(link, "a download link").toBeDefined();
    return (await (await fetch(link!.replace("localhost", "127.0.0.1").replaceAll("&amp;", "&"))).json()) as any;
  };

  it("mydata shows the session a record came from; leave erases the attendee's records and the facilitator's name, keeping the event", async () => {
    const file = await download(slackPerson(ana));
    expect(file.trainingRecords).toHaveLength(1);
    expect(file.trainingRecords[0]).toMatchObject({ course: { number: 1, title }, event: { number: eventNumber, title } });
    expect(json(file.explained.trainingRecords)).toContain("attended at a network training session");

    const asked = await slackReply(slackPerson(ana), "leave");
    const leave = slackButtons(asked.blocks)[0]!;
    const { since } = await slackPerson(ana).press(leave);
    expect(json((await t.slack.waitFor("response_url", { since })).body)).toContain("You've left");
    expect(await t.db.prisma.trainingRecord.count({ where: { memberId: ana.memberId } })).toBe(0);
    expect((await recordsFromEvent()).map((record) => record.memberId)).toEqual([ben.memberId]);

    const fran = teamsPerson(facilitator, "Fran");
    const mydata = JSON.stringify(await teamsExchange(teamsMessage(connector.url, fran, "mydata")));
    const franLink = /(https?:\/\/[^\s"|>)\\]+\/downloads\/mydata\/[^\s"|>)\\]+)/.exec(mydata)?.[1];
    expect(franLink, "a download link on Teams").toBeDefined();
    const franFile = (await (await fetch(franLink!.replace("localhost", "127.0.0.1").replaceAll("&amp;", "&"))).json()) as any;
    expect(franFile.eventsPlanned.map((event: any) => event.number)).toEqual([eventNumber]);

    const card = await teamsExchange(teamsMessage(connector.url, fran, "leave"));
    const leaveAction = (card.body as any[]).flatMap((element) => (element.type === "ActionSet" ? element.actions : [])).find((action: any) => /^Leave/.test(action.title));
    expect(leaveAction, "a Leave button").toBeDefined();
    expect(cardText(await teamsExchange(teamsCardSubmit(connector.url, fran, leaveAction.data, "1:leave")))).toContain("You've left");
    const event = await t.db.prisma.networkEvent.findFirstOrThrow({ where: { number: eventNumber } });
    expect(event).toMatchObject({ facilitatorId: null, trainingCourseId: skilled.id });
    expect(json(await slackReply(slackPerson(kit), `training attendance ${eventNumber}`))).toContain("Only the session's facilitator");
  });
});
