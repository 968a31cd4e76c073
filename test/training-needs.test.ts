// The learning-needs survey end to end on both platforms: a coordinator sends it to a chosen audience
// through the signed Slack endpoint; it waits for sending hours, goes through the real dispatcher to fake
// Slack and Teams servers once per person (a second send asks nobody twice), members answer through the
// form (bad answers come back kindly, kept), Stop these is honoured, results show counts only once
// enough have answered and never a group that subtraction would reveal, answers name nobody, and
// `mydata` / `leave` carry and erase the member's part.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AdaptiveCard } from "../adapters/teams/render.js";
import { startTestApp, type TestApp } from "./support/app.js";
import { eventually } from "./support/eventually.js";
import { startFakeConnector, teamsCardSubmit, type ConnectorCall, type FakeConnector, type TeamsUser } from "./support/fake-connector.js";
import { seedMembers, type SeededMember } from "./support/seed.js";
import { slackButtons, slackUser, type SlackUser } from "./support/slack-user.js";
import { cardInputs, cardOf, cardSubmission, cardText } from "./support/teams-card.js";

let t: TestApp;
let connector: FakeConnector;
let now = new Date("2026-12-05T10:00:00Z"); // Saturday: quiet time
const monday = new Date("2026-12-07T09:00:00Z");
let coordinator: SlackUser;
let health: SeededMember[];
let school: SeededMember[];
let housing: SeededMember;

const json = (value: unknown) => JSON.stringify(value);

beforeAll(async () => {
  connector = await startFakeConnector();
  t = await startTestApp({ now: () => now, env: { TI_SENDING_HOURS: "Mon-Fri 09:00-17:00", TI_MIN_GROUP: "5" } });
  const prisma = t.db.prisma;
  const [slackCoordinator] = await seedMembers(prisma, { slack: { count: 1 }, role: "coordinator" });
  coordinator = slackUser(t, { id: slackCoordinator!.userId, name: "alex" });
  health = await seedMembers(prisma, { slack: { count: 6 }, role: "champion", organisation: { name: "Calder NHS Trust", sector: "health" } });
  school = await seedMembers(prisma, { teams: { count: 2, serviceUrl: connector.url }, role: "member", organisation: { name: "Hillside School", sector: "education" } });
  housing = (await seedMembers(prisma, { slack: { count: 1 }, role: "member", organisation: { name: "Moor Housing", sector: "housing" } }))[0]!;
});

afterAll(async () => {
  await Promise.all([t?.close(), connector?.close()]);
});

const slackPerson = (member: SeededMember) => slackUser(t, { id: member.userId, name: "person" });
const teamsPerson = (member: SeededMember): TeamsUser => ({ id: member.userId, aadObjectId: member.conversationId!.slice(2), name: "Person", tenantId: member.workspaceId });

async function slackReply(user: SlackUser, typed: string) {
  const { answer, since } = await user.command(typed);
  return json(answer) === '""' ? (await t.slack.waitFor("response_url", { since })).body : answer;
}

async function submitModal(user: SlackUser, modal: any, answers: Record<string, string | string[]>) {
  const { status, answer, since } = await user.submit(modal, answers);
  expect(status).toBe(200);
  return answer?.response_action ? answer : (await t.slack.waitFor("response_url", { since })).body;
}

async function press(user: SlackUser, blocks: any[], label: string) {
  const button = slackButtons(blocks).find((candidate) => candidate.text.text.startsWith(label));
  expect(button, label).toBeDefined();
  const { status, since } = await user.press(button!);
  expect(status).toBe(200);
  return since;
}

/** The survey as Slack delivered it to this member. */
const slackPost = (member: SeededMember, survey: number) =>
  t.slack.calls.find((call) => call.method === "chat.postMessage" && call.body.channel === member.userId && json(call.body.blocks).includes(`\\"text\\":\\"${survey}\\"`));

async function teamsPost(activity: unknown, conversationId: string): Promise<AdaptiveCard> {
  const since = connector.calls.length;
  const response = await fetch(`${t.url}/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: json(activity) });
  expect(response.status).toBe(200);
  return cardOf(await eventually(async () => connector.calls.slice(since).find((call) => call.conversationId === conversationId), { what: "the Teams reply" }));
}

function cardActions(call: ConnectorCall): { title: string; data: any }[] {
  const content = call.activity.attachments?.[0]?.content as unknown as { body: any[]; actions?: any[] };
  const sets = content.body.filter((element) => element.type === "ActionSet").flatMap((element) => element.actions);
  return [...sets, ...(content.actions ?? [])].filter((action) => action.type === "Action.Submit");
}

async function sendSurvey(expectedPeople: number): Promise<number> {
  const { since } = await coordinator.command("needs survey");
  const modal = (await t.slack.waitFor("views.open", { since })).body.view;
  expect(json(modal)).toContain("Answers are anonymous; you see counts only, for groups of 5 or more.");
  const preview = await submitModal(coordinator, modal, { sectors: ["health", "education"], openDays: "14" });
  expect(json(preview)).toContain(`Recipients`);
  expect(json(preview)).toContain(`${expectedPeople} people (anyone who said Stop these is left out)`);
  const survey = await t.db.prisma.learningNeedsSurvey.findFirstOrThrow({ orderBy: { number: "desc" } });
  expect(survey.sentAt).toBeNull();
  const sent = await press(coordinator, preview.blocks, "Send to");
  expect(json((await t.slack.waitFor("response_url", { since: sent })).body)).toContain(`Learning-needs survey #${survey.number} is on its way to ${expectedPeople} people, in sending hours.`);
  return survey.number;
}

let first: number;

describe("sending the survey", () => {
  it("waits for sending hours, then reaches everyone in the audience once, on Slack and Teams", async () => {
    first = await sendSurvey(8);
    const deliveries = await t.db.prisma.delivery.findMany({ where: { purposeKey: `learning-needs:${first}` } });
    expect(deliveries).toHaveLength(8);
    expect(new Set(deliveries.map((delivery) => delivery.memberId))).toEqual(new Set([...health, ...school].map((member) => member.memberId)));
    expect(deliveries.every((delivery) => delivery.nextAttemptAt.getTime() === monday.getTime())).toBe(true);
    expect((await t.db.prisma.learningNeedsSurvey.findFirstOrThrow({ where: { number: first } })).closesAt).toEqual(new Date("2026-12-21T09:00:00Z"));

    t.app.dispatcher.wake();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(health.map((member) => t.slack.postCount(member.userId))).toEqual([0, 0, 0, 0, 0, 0]);

    const again = await slackReply(coordinator, `needs send ${first}`);
    expect(json(again)).toContain("has already gone to everyone in its audience, so nobody was asked twice");
    expect(await t.db.prisma.delivery.count({ where: { purposeKey: `learning-needs:${first}` } })).toBe(8);

    now = new Date("2026-12-07T09:30:00Z");
    t.app.dispatcher.wake();
    await eventually(async () => health.every((member) => t.slack.postCount(member.userId) === 1) && school.every((member) => connector.delivered(member.conversationId!) === 1), {
      what: "the survey reaching everyone",
    });
    const post = slackPost(health[0]!, first)!;
    expect(json(post.body.blocks)).toContain("Anonymous: your answers are stored without your name");
    expect(slackButtons(post.body.blocks).map((button) => button.text.text)).toEqual(["Answer", "Not now", "Stop these"]);
    expect(t.slack.postCount(housing.userId)).toBe(0);
  });

  it("Stop these is honoured: the next survey leaves them out", async () => {
    const stopper = health[0]!;
    const since = await press(slackPerson(stopper), slackPost(stopper, first)!.body.blocks, "Stop these");
    expect(json((await t.slack.waitFor("response_url", { since })).body)).toContain("I won't send you learning-needs surveys");
    expect((await t.db.prisma.member.findUniqueOrThrow({ where: { id: stopper.memberId } })).learningNeedsOptedOutAt).not.toBeNull();
    const later = await press(slackPerson(health[1]!), slackPost(health[1]!, first)!.body.blocks, "Not now");
    expect(json((await t.slack.waitFor("response_url", { since: later })).body)).toContain("It stays open until Monday 21 December");
  });
});

describe("answering", () => {
  const answerOnSlack = async (member: SeededMember, answers: Record<string, string[]>) => {
    const person = slackPerson(member);
    const since = await press(person, slackPost(member, first)!.body.blocks, "Answer");
    const modal = (await t.slack.waitFor("views.open", { since })).body.view;
    expect(json(modal)).toContain("Every one is optional");
    return submitModal(person, modal, answers);
  };

  it("takes answers through the form on Slack, stores them without the person, and refuses a second", async () => {
    const given: [number, Record<string, string[]>][] = [
      [1, { levels: ["skilled"], topics: ["Safety"], barriers: ["time", "cover"] }],
      [2, { levels: ["skilled", "enhanced"], topics: ["Safety", "Trauma and the brain"], barriers: ["time"] }],
      [3, { levels: ["informed"], topics: ["Choice"], barriers: ["cost"] }],
      [4, { topics: ["Safety"], barriers: ["time"] }],
    ];
    for (const [index, answers] of given) expect(json(await answerOnSlack(health[index]!, answers))).toContain("Your answers are in, without your name.");
    expect(await t.db.prisma.learningNeedsAnswer.findFirst({ where: { topics: { has: "Choice" } }, select: { levels: true, barriers: true, sector: true } })).toEqual({ levels: ["informed"], barriers: ["cost"], sector: "health" });
    const again = await press(slackPerson(health[1]!), slackPost(health[1]!, first)!.body.blocks, "Answer");
    expect(json((await t.slack.waitFor("response_url", { since: again })).body)).toContain("You've already answered learning-needs survey");
    expect(await t.db.prisma.learningNeedsAnswer.count()).toBe(4);
    expect(json(await slackReply(slackPerson(housing), "needs 1"))).toContain("There's no learning-needs survey for you to answer just now.");
  });

  it("shows no results until 5 have answered", async () => {
    const results = json(await slackReply(coordinator, "needs results"));
    expect(results).toContain("Fewer than 5 people have answered, so to keep answers anonymous there are no results to show yet.");
    expect(results).not.toContain("Skilled");
    expect(json(await slackReply(slackPerson(health[1]!), "needs results"))).toContain("Only the network's coordinators");
  });

  it("takes answers on Teams: nothing chosen or a forged topic comes back kindly with what was chosen kept", async () => {
    const member = school[0]!;
    const delivered = connector.calls.find((call) => call.conversationId === member.conversationId)!;
    const answer = cardActions(delivered).find((action) => action.title === "Answer")!;
    const form = await teamsPost(teamsCardSubmit(connector.url, teamsPerson(member), answer.data), member.conversationId!);
    expect(cardInputs(form).map((input) => input.id)).toEqual(["levels", "topics", "barriers"]);

    const empty = await teamsPost(teamsCardSubmit(connector.url, teamsPerson(member), cardSubmission(form, {})), member.conversationId!);
    expect(cardText(empty)).toContain("Please choose at least one answer");
    const forged = await teamsPost(teamsCardSubmit(connector.url, teamsPerson(member), cardSubmission(form, { levels: "specialist", topics: "Trust,Hacking" })), member.conversationId!);
    expect(cardText(forged)).toContain("Please choose from the list.");
    expect(Object.fromEntries(cardInputs(forged).map((input) => [input.id, input.value]))).toMatchObject({ levels: "specialist" });
    expect(await t.db.prisma.learningNeedsAnswer.count()).toBe(4);

    const done = await teamsPost(teamsCardSubmit(connector.url, teamsPerson(member), cardSubmission(form, { levels: "specialist", topics: "Trust", barriers: "other" })), member.conversationId!);
    expect(cardText(done)).toContain("Your answers are in, without your name.");
    expect(await t.db.prisma.learningNeedsAnswer.count({ where: { sector: "education" } })).toBe(1);
  });

  it("shows counts once 5 have answered, matching the database, and hides a sector that subtraction would reveal", async () => {
    expect(json(await answerOnSlack(health[5]!, { levels: ["skilled"], barriers: ["cover"] }))).toContain("Your answers are in");
    const results = json(await slackReply(coordinator, `needs results ${first}`));
    const answers = await t.db.prisma.learningNeedsAnswer.count();
    expect(answers).toBe(6);
    expect(results).toContain(`${answers} of 8 people asked have answered.`);
    const levels = { informed: "Informed", skilled: "Skilled", enhanced: "Enhanced", specialist: "Specialist" } as const;
    const levelCounts = await Promise.all(Object.entries(levels).map(async ([level, label]) => `${label} ${await t.db.prisma.learningNeedsAnswer.count({ where: { levels: { has: level as keyof typeof levels } } })}`));
    expect(levelCounts.join(" · ")).toBe("Informed 1 · Skilled 3 · Enhanced 1 · Specialist 1");
    expect(results).toContain(levelCounts.join(" · "));
    const safety = await t.db.prisma.learningNeedsAnswer.count({ where: { topics: { has: "Safety" } } });
    expect(results).toContain(`Safety ${safety}`);
    const time = await t.db.prisma.learningNeedsAnswer.count({ where: { barriers: { has: "time" } } });
    expect(results).toContain(`Time to take part ${time} · Cover for my work while I'm away 2 · Cost 1 · Something else 1`);
    // Health has 5 answers, but showing it would give away the one answer from education (6 - 5).
    expect(results).not.toContain("By sector");
    expect(results).not.toContain("Calder NHS Trust");
  });

  it("stores answers with no member, no time and no order to go by, and participation with no answer", async () => {
    const columns = (
      await t.db.prisma.$queryRaw<{ column_name: string }[]>`SELECT column_name FROM information_schema.columns WHERE table_name = 'LearningNeedsAnswer' ORDER BY column_name`
    ).map((column) => column.column_name);
    expect(columns).toEqual(["barriers", "id", "levels", "organisationId", "sector", "surveyId", "topics"]);
    const participationColumns = (
      await t.db.prisma.$queryRaw<{ column_name: string }[]>`SELECT column_name FROM information_schema.columns WHERE table_name = 'LearningNeedsParticipation' ORDER BY column_name`
    ).map((column) => column.column_name);
    expect(participationColumns).toEqual(["memberId", "surveyId"]);
  });
});

describe("a second survey, closing, and a member's own data", () => {
  it("leaves out the member who said Stop these, and closes both surveys on time", async () => {
    const second = await sendSurvey(7);
    const asked = await t.db.prisma.delivery.findMany({ where: { purposeKey: `learning-needs:${second}` }, select: { memberId: true } });
    expect(asked.map((delivery) => delivery.memberId)).not.toContain(health[0]!.memberId);
    expect(asked).toHaveLength(7);

    now = new Date("2026-12-21T10:00:00Z");
    expect(await t.app.scheduler.runSlot("learning-needs-close", now)).toMatchObject({ ran: true, outcome: "closed 2 learning-needs surveys" });
    expect(await t.db.prisma.learningNeedsSurvey.count({ where: { closedAt: null } })).toBe(0);
    expect(await t.db.prisma.learningNeedsAnswer.count()).toBe(6);
    expect(json(await slackReply(slackPerson(health[2]!), `needs ${second}`))).toContain("closed on Monday 21 December");
    expect(json(await slackReply(coordinator, `needs results ${first}`))).toContain(`survey #${first} (closed Monday 21 December)`);
  });

  it("mydata carries the surveys a member answered (never the answers), and leave erases that while the counts stay", async () => {
    const member = health[1]!;
    const person = slackPerson(member);
    const reply = json(await slackReply(person, "mydata"));
    const link = /(https?:\/\/[^\s"|>)\\]+\/downloads\/mydata\/[^\s"|>)\\]+)/.exec(reply)?.[1];
    expect(link, "a download link").toBeDefined();
    const file = (await (await fetch(link!.replace("localhost", "127.0.0.1").replaceAll("&amp;", "&"))).json()) as any;
    expect(file.learningNeedsSurveysAnswered).toEqual([{ survey: first }]);
    expect(file.explained.learningNeedsSurveysAnswered).toBeDefined();
    expect(json(file)).not.toContain("Trauma and the brain");

    const stopper = slackPerson(health[0]!);
    const stopperFile = json(await (await fetch((/(https?:\/\/[^\s"|>)\\]+\/downloads\/mydata\/[^\s"|>)\\]+)/.exec(json(await slackReply(stopper, "mydata")))![1]!).replace("localhost", "127.0.0.1").replaceAll("&amp;", "&"))).json());
    expect(stopperFile).toContain('"learningNeedsOptedOutAt":"2026-12-07T09:30:00.000Z"');

    const asked = await slackReply(person, "leave");
    const leaveButton = slackButtons(asked.blocks)[0]!;
    const { since } = await person.press(leaveButton);
    expect(json((await t.slack.waitFor("response_url", { since })).body)).toContain("You've left");
    expect(await t.db.prisma.learningNeedsParticipation.count({ where: { memberId: member.memberId } })).toBe(0);
    expect(await t.db.prisma.learningNeedsParticipation.count()).toBe(5);
    expect(await t.db.prisma.learningNeedsAnswer.count()).toBe(6);
  });
});
