// When a platform says the bot lost someone: Slack's app_uninstalled and tokens_revoked as signed
// Events API callbacks to /slack/events, Teams' installationUpdate "remove" to /api/messages. Their
// addresses go inactive, a later broadcast passes them by, and coordinators see them in `unreachable`.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { slackSigningSecret, startTestApp, type TestApp } from "./support/app.js";
import { eventually } from "./support/eventually.js";
import { startFakeConnector, teamsInstallationUpdate, type FakeConnector, type TeamsUser } from "./support/fake-connector.js";
import { signSlackRequest } from "./support/fake-slack.js";
import { seedMembers, type SeededMember } from "./support/seed.js";
import { slackButtons, slackUser, type SlackUser } from "./support/slack-user.js";

let t: TestApp;
let connector: FakeConnector;
let coordinator: SlackUser;
/** Added to the clock, to look at the network two weeks on. */
let clockAheadMs = 0;

// Champions on a workspace that uninstalls the app, one whose bot token is revoked, and the
// coordinator's own workspace (where one person's user token is revoked); two on Teams.
let uninstalled: SeededMember[];
let botRevoked: SeededMember[];
let home: SeededMember[];
let teams: SeededMember[];

beforeAll(async () => {
  connector = await startFakeConnector();
  t = await startTestApp({
    env: { TI_COORDINATORS: "slack:U0COORD", TI_SENDING_HOURS: "always" },
    now: () => new Date(Date.now() + clockAheadMs),
  });
  coordinator = slackUser(t, { id: "U0COORD", name: "Alex Coordinator" });
  const organisation = { name: "Riverside Housing", sector: "housing" as const };
  uninstalled = await seedMembers(t.db.prisma, { slack: { count: 2, workspaceId: "T0GONE" }, role: "champion", organisation });
  botRevoked = await seedMembers(t.db.prisma, { slack: { count: 1, workspaceId: "T0REVOKED" }, role: "champion", organisation });
  home = await seedMembers(t.db.prisma, { slack: { count: 3 }, role: "champion", organisation });
  teams = await seedMembers(t.db.prisma, { teams: { count: 2, serviceUrl: connector.url }, role: "champion", organisation });
});

afterAll(async () => {
  await Promise.all([t?.close(), connector?.close()]);
});

const text = (value: unknown) => JSON.stringify(value);

/** Posts an Events API callback as Slack does: JSON, signed. */
function slackEvent(teamId: string, event: Record<string, unknown>, signingSecret = slackSigningSecret): Promise<Response> {
  const body = JSON.stringify({
    token: "legacy",
    team_id: teamId,
    api_app_id: "A0TI",
    event: { ...event, event_ts: `${Math.floor(Date.now() / 1000)}.000100` },
    type: "event_callback",
    event_id: `Ev${randomUUID().replace(/-/g, "").slice(0, 10).toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
  });
  return fetch(`${t.url}/slack/events`, { method: "POST", headers: { "content-type": "application/json", ...signSlackRequest(body, signingSecret) }, body });
}

function teamsActivity(activity: unknown): Promise<Response> {
  return fetch(`${t.url}/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(activity) });
}

/** The seeded Teams member as Teams names them in activities. */
function asTeamsUser(member: SeededMember): TeamsUser {
  return { id: member.userId, aadObjectId: randomUUID(), name: "Jo Teams", tenantId: member.workspaceId };
}

const active = async (members: SeededMember[]) =>
  (await t.db.prisma.address.findMany({ where: { id: { in: members.map((member) => member.addressId) } }, orderBy: { userId: "asc" } })).map(
    (address) => address.active,
  );
const received = (member: SeededMember) => (member.platform === "slack" ? t.slack.postCount(member.userId) : connector.delivered(member.conversationId!));

/** The reply to a command: in the ack, or through the response_url if the ack came first. */
async function reply(user: SlackUser, typed: string) {
  const { answer, since } = await user.command(typed);
  return text(answer) === '""' ? (await t.slack.waitFor("response_url", { since })).body : answer;
}

describe("platform removal", () => {
  it("ignores an app_uninstalled that isn't signed by Slack", async () => {
    const forged = await slackEvent("T0GONE", { type: "app_uninstalled" }, "not-the-secret");
    expect(forged.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await active(uninstalled)).toEqual([true, true]);
  });

  it("marks everyone in a workspace unreachable when Slack says the app was uninstalled there, and nobody else", async () => {
    expect((await slackEvent("T0GONE", { type: "app_uninstalled" })).status).toBe(200);
    await eventually(async () => (await active(uninstalled)).every((flag) => !flag), { what: "the uninstalled workspace going inactive" });
    expect(await active([...home, ...botRevoked, ...teams])).toEqual([true, true, true, true, true, true]);
  });

  it("on tokens_revoked, loses the whole workspace for the bot's token and only the named people for user tokens", async () => {
    const revokedPerson = home[0]!;
    expect((await slackEvent("T0TEST", { type: "tokens_revoked", tokens: { oauth: [revokedPerson.userId] } })).status).toBe(200);
    await eventually(async () => !(await active([revokedPerson]))[0], { what: "the revoked user going inactive" });
    expect(await active(home.slice(1))).toEqual([true, true]);

    expect((await slackEvent("T0REVOKED", { type: "tokens_revoked", tokens: { oauth: [], bot: ["U0BOT"] } })).status).toBe(200);
    await eventually(async () => !(await active(botRevoked))[0], { what: "the workspace whose bot token was revoked going inactive" });
    expect(await active(home.slice(1))).toEqual([true, true]);
  });

  it("marks a Teams member unreachable when they remove the app from their chat, not when it leaves a team", async () => {
    const [removing, staying] = teams as [SeededMember, SeededMember];
    const fromTeam = teamsInstallationUpdate(connector.url, asTeamsUser(staying), "remove");
    const teamRemoval = { ...fromTeam, conversation: { conversationType: "channel", tenantId: staying.workspaceId, id: "19:general@thread.tacv2" } };
    expect((await teamsActivity(teamRemoval)).status).toBe(200);
    expect((await teamsActivity(teamsInstallationUpdate(connector.url, asTeamsUser(removing), "remove"))).status).toBe(200);
    // The turn finishes before Teams is answered: no waiting needed.
    expect(await active([removing])).toEqual([false]);
    expect(await active([staying])).toEqual([true]);
    await connector.expectQuiet();
  });

  it("leaves them out of a later broadcast", async () => {
    const { since } = await coordinator.command("broadcast");
    const modal = (await t.slack.waitFor("views.open", { since })).body.view;
    const submitted = await coordinator.submit(modal, { message: "Network meeting on Thursday", who: "champions", timing: "now" });
    expect(submitted.status).toBe(200);
    const preview = (await t.slack.waitFor("response_url", { since: submitted.since, where: (call) => text(call.body).includes("Preview of broadcast") })).body;
    expect(text(preview)).toContain("3 people: 2 on Slack, 1 on Teams");

    const send = slackButtons(preview.blocks).find((button) => /^Send to 3 people/.test(button.text.text))!;
    expect((await coordinator.press(send)).status).toBe(200);
    const reachable = [home[1]!, home[2]!, teams[1]!];
    await eventually(async () => reachable.every((member) => received(member) === 1), { what: "the reachable champions receiving it" });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect([...uninstalled, ...botRevoked, home[0]!, teams[0]!].map(received)).toEqual([0, 0, 0, 0, 0]);
  });

  it("lists them for coordinators once they have been unreachable for two weeks", async () => {
    expect(text(await reply(coordinator, "unreachable"))).toContain("Everyone in the network can be reached");

    clockAheadMs = 15 * 86_400_000;
    const listed = text(await reply(coordinator, "unreachable"));
    expect(listed).toContain("5 members the bot can't reach");
    const names = await t.db.prisma.member.findMany({ where: { id: { in: [...uninstalled, ...botRevoked, home[0]!, teams[0]!].map((member) => member.memberId) } } });
    for (const { displayName } of names) expect(listed).toContain(displayName);
    const reachable = await t.db.prisma.member.findMany({ where: { id: { in: [home[1]!, home[2]!, teams[1]!].map((member) => member.memberId) } } });
    for (const { displayName } of reachable) expect(listed).not.toContain(displayName);
  });

  it("makes a Teams member reachable again when they add the app back", async () => {
    const removed = teams[0]!;
    expect((await teamsActivity(teamsInstallationUpdate(connector.url, asTeamsUser(removed), "add"))).status).toBe(200);
    expect(await active([removed])).toEqual([true]);
    const listed = text(await reply(coordinator, "unreachable"));
    expect(listed).toContain("4 members the bot can't reach");
  });
});
