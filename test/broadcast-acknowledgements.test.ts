// Broadcasts that ask for an acknowledgement, end to end on both platforms: the form's choices, the
// buttons answered in place (Slack's response_url, Teams' updateActivity), a changed answer counted
// once, forged presses refused, status figures folded under the minimum group and checked against the
// database, names only for the author, one reminder to those who haven't answered, export, mydata,
// leave and retention.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CardElement } from "../adapters/teams/render.js";
import { applyRetention } from "../src/core/privacy/retention.js";
import { acknowledgedShareByBroadcast, foldSmallGroups } from "../src/core/broadcasts/acknowledgement-figures.js";
import { startTestApp, type TestApp } from "./support/app.js";
import { coreContext } from "./support/core-context.js";
import { eventually } from "./support/eventually.js";
import { startFakeConnector, teamsCardSubmit, type ConnectorCall, type FakeConnector, type TeamsUser } from "./support/fake-connector.js";
import { seedEngagementNetwork, slackAnswer as answerOf } from "./support/engagement-seed.js";
import type { SeededMember } from "./support/seed.js";
import { slackButtons, slackUser, type SlackUser } from "./support/slack-user.js";

let t: TestApp;
let connector: FakeConnector;
let author: SlackUser;
let colleague: SlackUser;
let authorId: string;
let riverside: SeededMember[];
let hilltop: SeededMember[];
let moor: SeededMember[];
let number: number;
let broadcastId: string;

const json = (value: unknown) => JSON.stringify(value);
const choices = ["Will attend", "Can't", "Not sure"];

beforeAll(async () => {
  connector = await startFakeConnector();
  t = await startTestApp({ env: { TI_SENDING_HOURS: "always", TI_MIN_GROUP: "5" } });
  const seeded = await seedEngagementNetwork(t, connector.url);
  ({ riverside, hilltop, moor } = seeded);
  authorId = seeded.coordinators[0]!.memberId;
  author = slackUser(t, { id: seeded.coordinators[0]!.userId, name: "alex" });
  colleague = slackUser(t, { id: seeded.coordinators[1]!.userId, name: "kim" });
});

afterAll(async () => {
  await Promise.all([t?.close(), connector?.close()]);
});

const slackAnswer = (request: Promise<{ status: number; answer?: any; since: number }>) => answerOf(t, request);

const person = (member: SeededMember) => slackUser(t, { id: member.userId, name: `person-${member.userId}` });
const postsTo = (member: SeededMember, about: RegExp) =>
  t.slack.calls.filter((call) => call.method === "chat.postMessage" && call.body.channel === member.userId && about.test(json(call.body)));

/** Presses a button on a message a Slack member received; returns what came back at the response_url. */
async function pressOn(member: SeededMember, post: { body: Record<string, any> }, label: string) {
  const button = slackButtons(post.body.blocks).find((candidate) => candidate.text.text === label);
  if (!button) throw new Error(`no ${label} button in ${json(post.body.blocks)}`);
  return slackAnswer(person(member).press(button));
}

const pressAck = (member: SeededMember, label: string) => pressOn(member, postsTo(member, /Team away day/)[0]!, label);

const ackRows = () => t.db.prisma.broadcastAcknowledgement.findMany({ where: { broadcastId }, orderBy: { at: "asc" } });

function cardActions(call: ConnectorCall): CardElement[] {
  const card = call.activity.attachments![0]!.content as unknown as { body: CardElement[] };
  return card.body.flatMap((element) => (element.type === "ActionSet" ? (element.actions as CardElement[]) : []));
}

async function rowCounts(): Promise<Record<string, number>> {
  const tables = await t.db.prisma.$queryRawUnsafe<{ name: string }[]>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'JobRun'`,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables) counts[name] = Number((await t.db.prisma.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM "${name}"`))[0]!.n);
  return counts;
}

describe("acknowledging a broadcast", () => {
  it("refuses choices that won't fit as buttons, saying which, and saves nothing", async () => {
    const { since } = await author.command("broadcast");
    const modal = (await t.slack.waitFor("views.open", { since })).body.view;
    const base = { message: "Keep this text", who: "champions", timing: "now" };
    const tooMany = await author.submit(modal, { ...base, ack: "choices", ackChoices: "Yes / No / Maybe / Later" });
    expect(tooMany.answer).toMatchObject({ response_action: "errors", errors: { ackChoices: expect.stringMatching(/3 choices at most/) } });
    const tooLong = await author.submit(modal, { ...base, ack: "choices", ackChoices: `Yes / ${"n".repeat(31)}` });
    expect(tooLong.answer.errors.ackChoices).toMatch(/30 characters or fewer/);
    const none = await author.submit(modal, { ...base, ack: "choices", ackChoices: " / " });
    expect(none.answer.errors.ackChoices).toMatch(/at least one choice/);
    const unchosen = await author.submit(modal, { ...base, ack: "gotit", ackChoices: "Yes / No" });
    expect(unchosen.answer.errors.ackChoices).toMatch(/pick "Yes, with choices I type"/);
    expect(await t.db.prisma.broadcast.count()).toBe(0);
  });

  it("sends the choices as buttons on both platforms", async () => {
    const { since } = await author.command("broadcast");
    const modal = (await t.slack.waitFor("views.open", { since })).body.view;
    const submitted = await author.submit(modal, { message: "Team away day on 3 March: can you come?", who: "champions", timing: "now", ack: "choices", ackChoices: choices.join(" / ") });
    expect(submitted.status).toBe(200);
    const preview = (await t.slack.waitFor("response_url", { since: submitted.since, where: (call) => json(call.body).includes("Preview of broadcast") })).body;
    expect(json(preview)).toContain("Asked for: Will attend / Can't / Not sure");
    const send = slackButtons(preview.blocks).find((button) => /^Send to 11 people/.test(button.text.text))!;
    expect(json(await slackAnswer(author.press(send)))).toMatch(/on its way to 11 people/);

    const broadcast = await t.db.prisma.broadcast.findFirstOrThrow({ orderBy: { number: "desc" } });
    ({ number, id: broadcastId } = broadcast);
    expect(broadcast.ackChoices).toEqual(choices);
    await eventually(async () => (await t.db.prisma.delivery.count({ where: { broadcastId, status: "sent" } })) === 11, { what: "every champion receiving it" });
    const slackPost = postsTo(riverside[0]!, /Team away day/)[0]!;
    expect(slackButtons(slackPost.body.blocks).map((button) => button.text.text)).toEqual(choices);
    const teamsPost = connector.calls.find((call) => call.conversationId === riverside[5]!.conversationId)!;
    expect(cardActions(teamsPost).map((action) => action.title)).toEqual(choices);
  });

  it("answers on Slack in place, and counts a changed answer once", async () => {
    const first = await pressAck(riverside[0]!, "Will attend");
    expect(first.replace_original).toBe(true);
    expect(json(first)).toContain("Thanks, noted: Will attend.");
    expect(json(first)).toContain("Team away day on 3 March");
    expect(slackButtons(first.blocks).map((button) => button.text.text)).toEqual(choices);

    const changed = await pressAck(riverside[0]!, "Can't");
    expect(changed.replace_original).toBe(true);
    expect(json(changed)).toContain("Thanks, noted: Can't.");
    const rows = await ackRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ memberId: riverside[0]!.memberId, choice: "Can't" });
  });

  it("answers on Teams in place by updating the card", async () => {
    const member = riverside[5]!;
    const post = connector.calls.find((call) => call.conversationId === member.conversationId && json(call.activity).includes("Team away day"))!;
    const notSure = cardActions(post).find((action) => action.title === "Not sure")!;
    const user: TeamsUser = { id: member.userId, aadObjectId: member.userId.slice(4), name: "Teams champion", tenantId: member.workspaceId };
    const before = connector.calls.length;
    const response = await fetch(`${t.url}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: json(teamsCardSubmit(connector.url, user, notSure.data as Record<string, unknown>, "1:away-day")),
    });
    expect(response.status).toBe(200);
    const updated = await eventually(async () => connector.calls.slice(before).find((call) => call.method === "PUT"), { what: "the card updated" });
    expect(updated.activityId).toBe("1:away-day");
    expect(json(updated.activity)).toContain("Thanks, noted: Not sure.");
    expect(json(updated.activity)).toContain("Team away day on 3 March");
    expect((await ackRows()).find((row) => row.memberId === member.memberId)?.choice).toBe("Not sure");
  });

  it("refuses a forged press (not a recipient, or a choice not offered) and stores nothing", async () => {
    const before = await rowCounts();
    const press = (user: SlackUser, text: string) => slackAnswer(user.press({ action_id: "ti:broadcast ack", value: json({ verb: "broadcast ack", text }) }));
    const outsider = await press(colleague, `${number} 1`);
    expect(json(outsider)).toContain("wasn't sent to you");
    expect(outsider.replace_original).not.toBe(true);
    expect(json(await press(person(hilltop[0]!), `${number} 4`))).toContain("isn't one of the answers");
    expect(json(await press(person(hilltop[0]!), `${number} 0`))).toContain("isn't one of the answers");
    expect(json(await press(person(hilltop[0]!), `${number + 1} 1`))).toContain("wasn't sent to you");
    expect(json(await press(person(hilltop[0]!), `${number}; 1`))).toContain("didn't carry an answer");
    expect(await rowCounts()).toEqual(before);
  });

  it("shows the author who hasn't answered by name and figures by organisation and sector with small groups folded", async () => {
    await pressAck(riverside[1]!, "Will attend");
    await pressAck(riverside[2]!, "Will attend");
    await pressAck(hilltop[0]!, "Will attend");
    await pressAck(moor[0]!, "Not sure");

    // The figures, counted straight from the database.
    const rows = await t.db.prisma.broadcastAcknowledgement.findMany({ where: { broadcastId }, include: { member: { include: { organisation: true } } } });
    const delivered = await t.db.prisma.delivery.count({ where: { broadcastId, status: "sent" } });
    const inRiverside = rows.filter((row) => row.member.organisation?.name === "Riverside Housing").length;
    expect([rows.length, delivered, inRiverside]).toEqual([6, 11, 4]);
    const byChoice = choices.map((choice) => `${choice} ${rows.filter((row) => row.choice === choice).length}`).join(" · ");
    expect(byChoice).toBe("Will attend 3 · Can't 1 · Not sure 2");

    const status = json(await slackAnswer(author.command(`broadcast status ${number}`)));
    expect(status).toContain("11 people");
    expect(status).toContain(`6 of 11 (55%): ${byChoice}`);
    // Riverside (6) is shown; Hilltop (2) and Moor (3) are each under 5, so only together, as "other".
    expect(status).toContain(`Riverside Housing ${inRiverside} of 6 (67%) · Other 2 of 5 (40%)`);
    expect(status).toContain("Housing 4 of 6 (67%) · Other 2 of 5 (40%)");
    expect(status).not.toMatch(/Hilltop|Moor|Education|Health 1/);
    const members = await t.db.prisma.member.findMany({ where: { id: { in: [...riverside, ...hilltop, ...moor].map((member) => member.memberId) } } });
    const answered = new Set(rows.map((row) => row.memberId));
    const waiting = members.filter((member) => !answered.has(member.id)).map((member) => member.displayName);
    expect(waiting).toHaveLength(5);
    expect(status).toContain("Not acknowledged yet (5)");
    for (const name of waiting) expect(status).toContain(name);
    for (const name of members.filter((member) => answered.has(member.id)).map((member) => member.displayName)) expect(status).not.toContain(name);

    const seenByColleague = json(await slackAnswer(colleague.command(`broadcast status ${number}`)));
    expect(seenByColleague).toContain(`6 of 11 (55%): ${byChoice}`);
    expect(seenByColleague).not.toContain("Not acknowledged yet");
    for (const name of waiting) expect(seenByColleague).not.toContain(name);
  });

  it("folds a lone group above the minimum when the remainder would be too small, as pulses do", () => {
    const total = { recipients: 8, acknowledged: 6 };
    expect(foldSmallGroups([{ name: "Riverside", recipients: 6, acknowledged: 4 }, { name: "Hilltop", recipients: 2, acknowledged: 2 }], total, 5)).toEqual({ shown: [], other: null });
    expect(foldSmallGroups([{ name: "Riverside", recipients: 8, acknowledged: 6 }], total, 5)).toEqual({ shown: [{ name: "Riverside", recipients: 8, acknowledged: 6 }], other: null });
    expect(foldSmallGroups([{ name: "Riverside", recipients: 4, acknowledged: 4 }], { recipients: 4, acknowledged: 4 }, 5)).toEqual({ shown: [], other: null });
  });

  it("exports each recipient's acknowledgement and its time", async () => {
    const reply = json(await slackAnswer(colleague.command(`broadcast export ${number}`)));
    const link = /<(http[^|>]+)\|/.exec(reply)![1]!.replace(/&amp;/g, "&").replace("localhost", "127.0.0.1");
    const lines = (await (await fetch(link)).text()).trim().split("\n");
    expect(lines[0]).toBe("broadcast,recipient,organisation,platform,status,reason,attempts,sent_at,updated_at,acknowledgement,acknowledged_at");
    expect(lines).toHaveLength(12);
    const rows = await ackRows();
    const member = await t.db.prisma.member.findUniqueOrThrow({ where: { id: riverside[0]!.memberId } });
    const line = lines.find((candidate) => candidate.includes(member.displayName))!;
    expect(line.endsWith(`,Can't,${rows.find((row) => row.memberId === member.id)!.at.toISOString()}`)).toBe(true);
    expect(lines.filter((candidate) => /,,$/.test(candidate))).toHaveLength(5);
  });

  it("reminds only those who haven't answered and can be reached, once", async () => {
    // One who hasn't answered can't be reached any more (they removed the app).
    await t.db.prisma.address.update({ where: { id: moor[2]!.addressId }, data: { active: false } });
    const expected = [riverside[3]!, riverside[4]!, hilltop[1]!, moor[1]!];
    const reply = json(await slackAnswer(author.command(`broadcast remind ${number}`)));
    expect(reply).toContain("on its way to 4 people");
    await eventually(async () => (await t.db.prisma.delivery.count({ where: { purposeKey: `broadcast:${number}:reminder`, status: "sent" } })) === 4, { what: "the reminders" });
    const reminded = await t.db.prisma.delivery.findMany({ where: { purposeKey: `broadcast:${number}:reminder` } });
    expect(reminded.map((row) => row.memberId).sort()).toEqual(expected.map((member) => member.memberId).sort());
    for (const member of expected) expect(postsTo(member, /gentle reminder/)).toHaveLength(1);
    for (const member of [riverside[0]!, riverside[1]!, hilltop[0]!, moor[0]!, moor[2]!]) expect(postsTo(member, /gentle reminder/)).toHaveLength(0);

    const again = json(await slackAnswer(colleague.command(`broadcast remind ${number}`)));
    expect(again).toContain("already had its one reminder");
    expect(await t.db.prisma.delivery.count({ where: { purposeKey: `broadcast:${number}:reminder` } })).toBe(4);
    const audit = await t.db.prisma.auditEntry.findMany({ where: { action: "broadcast.remind" }, orderBy: { createdAt: "asc" } });
    expect(audit.map((entry) => [entry.actorId, entry.detail])).toEqual([
      [authorId, "to 4 people"],
      [expect.any(String), "to 0 people"],
    ]);

    // The reminder's buttons answer too, in place.
    const answered = await pressOn(hilltop[1]!, postsTo(hilltop[1]!, /gentle reminder/)[0]!, "Will attend");
    expect(answered.replace_original).toBe(true);
    expect(json(answered)).toContain("Thanks, noted: Will attend.");
    expect(await t.db.prisma.broadcastAcknowledgement.count({ where: { broadcastId } })).toBe(7);
  });

  it("says there's nobody to remind for a broadcast that asked for nothing", async () => {
    const draft = await t.db.prisma.broadcast.create({
      data: { networkId: (await t.db.prisma.network.findFirstOrThrow()).id, authorId, text: "FYI", queuedAt: new Date(), audience: { who: "everyone" } },
    });
    expect(json(await slackAnswer(author.command(`broadcast remind ${draft.number}`)))).toContain("didn't ask people to acknowledge it");
  });

  it("gives the acknowledged share per broadcast for the network's figures, only for broadcasts reaching enough people", async () => {
    const ctx = coreContext(t.db, await t.db.prisma.network.findFirstOrThrow({ orderBy: { createdAt: "asc" } }));
    const shares = await acknowledgedShareByBroadcast(ctx);
    expect(shares).toEqual([{ number, sentAt: expect.any(Date), delivered: 11, acknowledged: 7, share: 7 / 11 }]);
  });

  it("sends no reminder to someone who said Stop these to them, until they resume", async () => {
    const stopped = riverside[3]!;
    const stopPress = await pressOn(stopped, postsTo(stopped, /gentle reminder/)[0]!, "Stop these");
    expect(stopPress.replace_original).toBe(true);
    expect(json(stopPress)).toContain("I won't remind you about announcements");
    // A later broadcast that asked for an answer, delivered to two people who haven't given one.
    const network = await t.db.prisma.network.findFirstOrThrow({ orderBy: { createdAt: "asc" } });
    const later = await t.db.prisma.broadcast.create({ data: { networkId: network.id, authorId, text: "Charter update", queuedAt: new Date(), audience: { who: "everyone" }, ackChoices: ["Got it"] } });
    for (const member of [stopped, riverside[4]!])
      await t.db.prisma.delivery.create({
        data: { networkId: network.id, purposeKey: `broadcast:${later.number}`, broadcastId: later.id, memberId: member.memberId, addressId: member.addressId, platform: member.platform, workspaceId: member.workspaceId, view: {}, status: "sent", sentAt: new Date() },
      });
    expect(json(await slackAnswer(author.command(`broadcast remind ${later.number}`)))).toContain("on its way to 1 person");
    const reminded = await t.db.prisma.delivery.findMany({ where: { purposeKey: `broadcast:${later.number}:reminder` } });
    expect(reminded.map((row) => row.memberId)).toEqual([riverside[4]!.memberId]);

    expect(json(await slackAnswer(person(stopped).command("reminders resume")))).toContain("one gentle reminder");
    expect((await t.db.prisma.member.findUniqueOrThrow({ where: { id: stopped.memberId } })).broadcastRemindersOptedOutAt).toBeNull();
  });

  it("puts a member's acknowledgements in mydata, and erases them when they leave", async () => {
    const member = riverside[1]!;
    const reply = json(await slackAnswer(person(member).command("mydata")));
    const link = /<(http[^|>]+)\|/.exec(reply)![1]!.replace(/&amp;/g, "&").replace("localhost", "127.0.0.1");
    const file = (await (await fetch(link)).json()) as { broadcastAcknowledgements: unknown };
    expect(file.broadcastAcknowledgements).toEqual([{ choice: "Will attend", at: expect.any(String), broadcast: { number } }]);

    const leave = await slackAnswer(person(member).press({ action_id: "ti:leave confirm", value: json({ verb: "leave confirm", text: "delete" }) }));
    expect(json(leave)).toMatch(/left|erased|deleted/i);
    expect(await t.db.prisma.broadcastAcknowledgement.count({ where: { memberId: member.memberId } })).toBe(0);
    expect(await t.db.prisma.broadcastAcknowledgement.count({ where: { broadcastId } })).toBe(6);
  });

  it("lets acknowledgements go with the delivery rows when retention deletes them", async () => {
    const later = new Date(Date.now() + 181 * 86_400_000);
    await applyRetention({ prisma: t.db.prisma, limits: { deliveries: 180, auditEntries: 730, checkIns: 90 }, now: () => later });
    expect(await t.db.prisma.delivery.count({ where: { broadcastId } })).toBe(0);
    expect(await t.db.prisma.broadcastAcknowledgement.count()).toBe(0);
  });
});
