// Slack's App Home: the Home tab shows someone's home (published on app_home_opened, and again after a
// button pressed there), and the Messages tab reads what they write as a command. Signed Events API
// callbacks and block_actions to the real /slack/events, against a real database.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { slackSigningSecret, startTestApp, type TestApp } from "./support/app.js";
import { eventually } from "./support/eventually.js";
import { signSlackRequest } from "./support/fake-slack.js";
import { seedMembers, type SeededMember } from "./support/seed.js";
import { slackButtons, slackUser, testTeam } from "./support/slack-user.js";

let t: TestApp;
let sam: SeededMember;
const json = (value: unknown) => JSON.stringify(value);

function slackEvent(event: Record<string, unknown>, eventId = `Ev${randomUUID().replace(/-/g, "").slice(0, 10).toUpperCase()}`): Promise<Response> {
  const body = json({
    token: "legacy",
    team_id: testTeam.id,
    api_app_id: "A0TI",
    event: { ...event, event_ts: `${Math.floor(Date.now() / 1000)}.000100` },
    type: "event_callback",
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
  });
  return fetch(`${t.url}/slack/events`, { method: "POST", headers: { "content-type": "application/json", ...signSlackRequest(body, slackSigningSecret) }, body });
}

const published = (since: number) => t.slack.waitFor("views.publish", { since, where: (call) => call.body.user_id === sam.userId });
const directMessage = (text: string, extra: Record<string, unknown> = {}) =>
  slackEvent({ type: "message", channel_type: "im", channel: `D${sam.userId}`, user: sam.userId, text, ts: `${Date.now() / 1000}`, client_msg_id: randomUUID(), ...extra });

beforeAll(async () => {
  t = await startTestApp({ env: { TI_SENDING_HOURS: "always" } });
  const prisma = t.db.prisma;
  sam = (await seedMembers(prisma, { slack: { count: 1 }, role: "champion", organisation: { name: "Riverside Housing", sector: "housing" } }))[0]!;
  const network = await prisma.network.findFirstOrThrow();
  const event = await prisma.networkEvent.create({
    data: { networkId: network.id, title: "Summer gathering", description: "", startsAt: new Date(Date.now() + 30 * 86_400_000), endsAt: new Date(Date.now() + 30 * 86_400_000 + 3 * 3_600_000), audience: { who: "everyone" }, invitedAt: new Date() },
  });
  await prisma.eventInvitation.create({ data: { eventId: event.id, memberId: sam.memberId } });
});

afterAll(async () => {
  await t?.close();
});

describe("the Slack Home tab", () => {
  it("publishes someone's home when they open the Home tab, with the workspace's token", async () => {
    const since = t.slack.calls.length;
    expect((await slackEvent({ type: "app_home_opened", user: sam.userId, channel: `D${sam.userId}`, tab: "home" })).status).toBe(200);
    const call = await published(since);
    expect(call.body.view.type).toBe("home");
    expect(call.token).toMatch(/^xoxb-/);
    expect(json(call.body.view.blocks)).toContain("Waiting for you");
    expect(json(call.body.view.blocks)).toContain("Summer gathering");
  });

  it("publishes nothing when the Messages tab is opened", async () => {
    const since = t.slack.calls.length;
    expect((await slackEvent({ type: "app_home_opened", user: sam.userId, channel: `D${sam.userId}`, tab: "messages" })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(t.slack.calls.slice(since).filter((call) => call.method === "views.publish")).toHaveLength(0);
  });

  it("answers an invitation pressed on the Home tab and shows the home again without it", async () => {
    let since = t.slack.calls.length;
    await slackEvent({ type: "app_home_opened", user: sam.userId, channel: `D${sam.userId}`, tab: "home" });
    const home = (await published(since)).body.view;
    const going = slackButtons(home.blocks).find((button) => button.text.text === "Going")!;
    since = t.slack.calls.length;
    const pressed = await slackUser(t, { id: sam.userId, name: "sam" }).press(going, { view: { id: "VHOME", type: "home" } });
    expect(pressed.status).toBe(200);
    const again = (await published(since)).body.view;
    expect((await t.db.prisma.eventInvitation.findFirstOrThrow({ where: { memberId: sam.memberId } })).answer).toBe("going");
    expect(json(again.blocks)).not.toContain("Summer gathering");
    // The home shows the answer: no message about it is sent as well.
    expect(t.slack.calls.slice(since).filter((call) => call.method === "chat.postMessage")).toHaveLength(0);
  });
});

describe("the Slack Messages tab", () => {
  it("saves an update written to the bot once, even when Slack delivers the event twice, and answers in the DM", async () => {
    const since = t.slack.calls.length;
    const message = { client_msg_id: randomUUID(), ts: `${Date.now() / 1000}` };
    for (let attempt = 0; attempt < 2; attempt++) expect((await directMessage("update Ran a reflective practice session #safety", message)).status).toBe(200);
    const answer = await t.slack.waitFor("chat.postMessage", { since, where: (call) => call.body.channel === sam.userId });
    expect(json(answer.body)).toContain("Safety");
    await eventually(async () => (await t.db.prisma.update.count({ where: { authorId: sam.memberId } })) === 1, { what: "the update saved" });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await t.db.prisma.update.count({ where: { authorId: sam.memberId } })).toBe(1);
  });

  it("offers a form as a button, since a message can't open one", async () => {
    const since = t.slack.calls.length;
    expect((await directMessage("checkin")).status).toBe(200);
    const answer = await t.slack.waitFor("chat.postMessage", { since, where: (call) => call.body.channel === sam.userId });
    const [open] = slackButtons(answer.body.blocks);
    expect(open?.text.text).toMatch(/^Open: /);
    expect(JSON.parse(open!.value)).toMatchObject({ verb: "checkin" });
  });

  it("ignores the bot's own messages and edits, which Slack also sends as message events", async () => {
    const since = t.slack.calls.length;
    await directMessage("update Posted by the bot itself #safety", { bot_id: "B0BOT" });
    await directMessage("update An edit #safety", { subtype: "message_changed" });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(t.slack.calls.slice(since).filter((call) => call.method === "chat.postMessage")).toHaveLength(0);
    expect(await t.db.prisma.update.count({ where: { authorId: sam.memberId } })).toBe(1);
  });
});
