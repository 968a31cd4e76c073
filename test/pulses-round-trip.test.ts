// Pulses end to end on both platforms: a coordinator opens a round through the signed Slack endpoint, the
// question goes out through the real dispatcher to fake Slack and Teams servers, members answer with one
// tap (Slack buttons, Teams Action.Submit) or through the form's select, a second answer is refused
// kindly, and what is stored holds no link from an answer to a person.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "./support/app.js";
import { eventually } from "./support/eventually.js";
import { startFakeConnector, teamsCardSubmit, teamsMessage, type ConnectorCall, type FakeConnector, type TeamsUser } from "./support/fake-connector.js";
import { seedMembers, type SeededMember } from "./support/seed.js";
import { slackButtons, slackUser, type SlackUser } from "./support/slack-user.js";

let t: TestApp;
let connector: FakeConnector;
let coordinator: SlackUser;
let members: SeededMember[];

const json = (value: unknown) => JSON.stringify(value);

beforeAll(async () => {
  connector = await startFakeConnector();
  t = await startTestApp({ env: { TI_COORDINATORS: "slack:U0COORD", TI_SENDING_HOURS: "always" } });
  coordinator = slackUser(t, { id: "U0COORD", name: "Alex Coordinator" });
  members = await seedMembers(t.db.prisma, {
    slack: { count: 2 },
    teams: { count: 2, serviceUrl: connector.url },
    organisation: { name: "Riverside Housing", sector: "housing", locality: "Kirklees" },
  });
});

afterAll(async () => {
  await Promise.all([t?.close(), connector?.close()]);
});

/** What a Slack command answered: in the ack, or later through its response_url. */
async function slackReply(user: SlackUser, typed: string) {
  const { status, answer, since } = await user.command(typed);
  expect(status).toBe(200);
  return json(answer) === '""' ? (await t.slack.waitFor("response_url", { since })).body : answer;
}

function teamsPerson(member: SeededMember): TeamsUser {
  return { id: member.userId, aadObjectId: member.conversationId!.slice(2), name: "Person", tenantId: member.workspaceId };
}

/** The next thing the bot posted to a Teams conversation after `since` calls. */
async function teamsReply(conversationId: string, since: number): Promise<ConnectorCall> {
  return eventually(async () => connector.calls.slice(since).find((call) => call.conversationId === conversationId), { what: `a reply in ${conversationId}` });
}

function cardActions(call: ConnectorCall): { title: string; data: any }[] {
  const content = call.activity.attachments?.[0]?.content as unknown as { body: any[]; actions?: any[] };
  const sets = content.body.filter((element) => element.type === "ActionSet").flatMap((element) => element.actions);
  return [...sets, ...(content.actions ?? [])].filter((action) => action.type === "Action.Submit");
}

describe("a pulse round on both platforms", () => {
  it("opens on a coordinator's word and reaches every member once, saying in the question that it is anonymous", async () => {
    const reply = await slackReply(coordinator, "pulse start choice");
    expect(json(reply)).toMatch(/Pulse #\d+ on Choice is open until/);
    expect(json(reply)).toContain("4 people");

    const slackPost = await t.slack.waitFor("chat.postMessage", { where: (call) => call.body.channel === members[0]!.userId });
    expect(json(slackPost.body.blocks)).toContain("Anonymous: your answer is stored without your name");
    expect(slackButtons(slackPost.body.blocks).map((button) => button.text.text)).toEqual(
      expect.arrayContaining(["Never", "Rarely", "Sometimes", "Often", "Always", "Answer with a comment", "Not now", "Stop these"]),
    );
    await eventually(async () => members.filter((member) => member.platform === "teams").every((member) => connector.delivered(member.conversationId!) === 1), {
      what: "the Teams members receiving it",
    });
    // Paced within the workspace's rate, the second Slack member's message may follow the Teams ones.
    await t.slack.waitFor("chat.postMessage", { where: (call) => call.body.channel === members[1]!.userId });
    expect(t.slack.postCount(members[1]!.userId)).toBe(1);
  });

  it("takes one tap on a Slack button, and refuses a second answer kindly", async () => {
    const member = members[0]!;
    const person = slackUser(t, { id: member.userId, name: "Person" });
    const post = t.slack.calls.find((call) => call.method === "chat.postMessage" && call.body.channel === member.userId)!;
    const often = slackButtons(post.body.blocks).find((button) => button.text.text === "Often")!;

    const first = await person.press(often);
    expect(first.status).toBe(200);
    const thanks = await t.slack.waitFor("response_url", { since: first.since });
    expect(json(thanks.body)).toContain("Your answer (Often) is in, without your name");

    const always = slackButtons(post.body.blocks).find((button) => button.text.text === "Always")!;
    const second = await person.press(always);
    const refused = await t.slack.waitFor("response_url", { since: second.since });
    expect(json(refused.body)).toContain("already answered this one");

    expect(await t.db.prisma.pulseAnswer.findMany({ select: { score: true, sector: true, locality: true } })).toEqual([{ score: 4, sector: "housing", locality: "Kirklees" }]);
  });

  it("takes one tap on a Teams card's Action.Submit", async () => {
    const member = members[2]!;
    const delivered = connector.calls.find((call) => call.conversationId === member.conversationId)!;
    const sometimes = cardActions(delivered).find((action) => action.title === "Sometimes")!;
    const since = connector.calls.length;
    const response = await fetch(`${t.url}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: json(teamsCardSubmit(connector.url, teamsPerson(member), sometimes.data)),
    });
    expect(response.status).toBe(200);
    const reply = await teamsReply(member.conversationId!, since);
    expect(json(reply.activity)).toContain("Your answer (Sometimes) is in");
  });

  it("answers through the form on Teams: a select of the scale's words and an optional comment, every error at once with values kept", async () => {
    const member = members[3]!;
    const post = (body: unknown) => fetch(`${t.url}/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: json(body) });
    let since = connector.calls.length;
    expect((await post(teamsMessage(connector.url, teamsPerson(member), "pulse"))).status).toBe(200);
    const formCall = await teamsReply(member.conversationId!, since);
    const card = formCall.activity.attachments![0]!.content as unknown as { body: any[]; actions: any[] };
    const select = card.body.find((element) => element.id === "score");
    expect(select.type).toBe("Input.ChoiceSet");
    expect(select.choices.map((choice: { title: string }) => choice.title)).toEqual(["Never", "Rarely", "Sometimes", "Often", "Always"]);
    const submit = card.actions.find((action) => action.type === "Action.Submit");

    since = connector.calls.length;
    const long = "x".repeat(501);
    await post(teamsCardSubmit(connector.url, teamsPerson(member), { ...submit.data, score: "9", comment: long }));
    const refused = json((await teamsReply(member.conversationId!, since)).activity);
    expect(refused).toContain("Please choose");
    expect(refused).toContain("500 characters or fewer");
    expect(refused).toContain(long);
    expect(await t.db.prisma.pulseAnswer.count()).toBe(2);

    since = connector.calls.length;
    await post(teamsCardSubmit(connector.url, teamsPerson(member), { ...submit.data, score: "2", comment: "Hard week on the wards" }));
    expect(json((await teamsReply(member.conversationId!, since)).activity)).toContain("Your answer (Rarely) is in");
    expect(await t.db.prisma.pulseAnswer.count({ where: { comment: "Hard week on the wards" } })).toBe(1);
  });

  it("stores answers with no member reference and no time, and participation with no answer", async () => {
    const columns = async (table: string) =>
      (
        await t.db.prisma.$queryRaw<{ column_name: string; data_type: string }[]>`
          SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ${table} ORDER BY column_name`
      ).map((column) => `${column.column_name}:${column.data_type}`);
    expect(await columns("PulseAnswer")).toEqual(["comment:text", "id:text", "locality:text", "organisationId:text", "roundId:text", "score:integer", "sector:USER-DEFINED"]);
    expect(await columns("PulseParticipation")).toEqual(["memberId:text", "roundId:text"]);
    const foreignKeys = await t.db.prisma.$queryRaw<{ target: string }[]>`
      SELECT ccu.table_name AS target FROM information_schema.table_constraints tc
      JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name
      WHERE tc.table_name = 'PulseAnswer' AND tc.constraint_type = 'FOREIGN KEY' ORDER BY target`;
    expect(foreignKeys.map((key) => key.target)).toEqual(["Organisation", "PulseRound"]);

    // Whatever is stored, no answer row carries any member's id or any address's id.
    const memberIds = members.map((member) => member.memberId);
    const answers = await t.db.prisma.$queryRaw<{ row: string }[]>`SELECT row_to_json(a)::text AS row FROM "PulseAnswer" a`;
    expect(answers).toHaveLength(3);
    for (const { row } of answers) for (const id of [...memberIds, ...members.map((member) => member.addressId)]) expect(row).not.toContain(id);
    expect(await t.db.prisma.pulseParticipation.count()).toBe(3);
  });
});
