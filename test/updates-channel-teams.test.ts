// The network's Teams updates channel: a coordinator chooses it from the channel itself
// (`@bot updates channel here`), each update shared with the network is then posted there once, through
// the delivery engine; and in a channel the bot keeps personal things to the one-to-one chat.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "./support/app.js";
import { eventually } from "./support/eventually.js";
import {
  startFakeConnector,
  teamsBotAddedToTeam,
  teamsChannel,
  teamsChannelMessage,
  teamsMessage,
  type FakeConnector,
  type TeamsUser,
} from "./support/fake-connector.js";
import { seedMembers, type SeededMember } from "./support/seed.js";
import { slackSigningSecret } from "./support/app.js";
import { postToSlackEndpoint } from "./support/fake-slack.js";
import { slashCommandFields } from "./support/slack-user.js";

let t: TestApp;
let connector: FakeConnector;
let coordinator: TeamsUser;
let champion: TeamsUser;
let slackChampion: SeededMember;
const channel = teamsChannel("Calder Network", "Good practice");
const json = (value: unknown) => JSON.stringify(value);

const asTeamsUser = (member: SeededMember, name: string): TeamsUser => ({ id: member.userId, aadObjectId: member.conversationId!.slice(2), name, tenantId: member.workspaceId });
const post = (activity: unknown) =>
  fetch(`${t.url}/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: json(activity) });
const toChannel = () => connector.calls.filter((call) => call.conversationId === channel.id);
const shareFromSlack = (text: string, trigger: string) =>
  postToSlackEndpoint(t.url, { ...slashCommandFields({ id: slackChampion.userId, name: "Sam" }, `update ${text}`, t.slack.responseUrl()), trigger_id: trigger }, { signingSecret: slackSigningSecret });

beforeAll(async () => {
  connector = await startFakeConnector();
  t = await startTestApp({ env: { TI_SENDING_HOURS: "always" } });
  const [casey] = await seedMembers(t.db.prisma, { teams: { count: 1, serviceUrl: connector.url }, role: "coordinator", organisation: { name: "Calder Council", sector: "local_authority" } });
  const [robin] = await seedMembers(t.db.prisma, { teams: { count: 1, serviceUrl: connector.url }, organisation: { name: "Riverside Housing", sector: "housing" } });
  slackChampion = (await seedMembers(t.db.prisma, { slack: { count: 1 }, organisation: { name: "Calder NHS Trust", sector: "health" } }))[0]!;
  coordinator = asTeamsUser(casey!, "Casey");
  champion = asTeamsUser(robin!, "Robin");
});

afterAll(async () => {
  await Promise.all([t?.close(), connector?.close()]);
});

describe("the network's Teams updates channel", () => {
  it("says hello in the channel when the app is added to a team, pointing to the one-to-one chat", async () => {
    const response = await post(teamsBotAddedToTeam(connector.url, coordinator, channel));
    expect(response.status).toBe(200);
    await eventually(async () => toChannel().length === 1, { what: "the hello in the channel" });
    const hello = json(toChannel()[0]!.activity);
    expect(hello).toContain("one-to-one chat");
    // A coordinator added it, so the hello names what coordinators can do in a channel.
    expect(hello).toContain("updates channel");
  });

  it("answers a member's personal question in a channel with an invitation to the one-to-one chat, not their profile", async () => {
    const before = connector.calls.length;
    expect((await post(teamsChannelMessage(connector.url, champion, channel, "me"))).status).toBe(200);
    await eventually(async () => connector.calls.length > before, { what: "the answer in the channel" });
    const answer = connector.calls.slice(before).find((call) => call.conversationId.startsWith(channel.id))!;
    expect(json(answer.activity)).toContain("one-to-one chat");
    expect(json(answer.activity)).not.toContain("Riverside Housing");
    // Their address keeps the personal chat's reference: later messages to them stay private.
    const address = await t.db.prisma.address.findFirstOrThrow({ where: { userId: champion.id } });
    expect(json(address.conversationRef)).toContain(`"conversationType":"personal"`);
  });

  it("refuses a member who asks to post updates in the channel", async () => {
    const before = connector.calls.length;
    await post(teamsChannelMessage(connector.url, champion, channel, "updates channel here"));
    await eventually(async () => connector.calls.length > before, { what: "the refusal" });
    expect(json(connector.calls.at(-1)!.activity)).toMatch(/coordinator/i);
    const network = await t.db.prisma.network.findFirstOrThrow();
    expect(network.teamsUpdatesAddressId).toBeNull();
  });

  it("lets a coordinator choose the channel from the channel itself, audited", async () => {
    const before = connector.calls.length;
    expect((await post(teamsChannelMessage(connector.url, coordinator, channel, "updates channel here"))).status).toBe(200);
    await eventually(async () => connector.calls.length > before, { what: "the confirmation" });
    expect(json(connector.calls.at(-1)!.activity)).toContain("posted in this channel");
    const network = await t.db.prisma.network.findFirstOrThrow();
    const channelAddress = await t.db.prisma.address.findUniqueOrThrow({ where: { id: network.teamsUpdatesAddressId! } });
    // The channel itself, not the thread the command was typed in.
    expect(channelAddress).toMatchObject({ platform: "teams", workspaceId: coordinator.tenantId, userId: channel.id, displayName: "Calder Network › Good practice" });
    expect(json(channelAddress.conversationRef)).toContain(`"id":"${channel.id}"`);
    expect(await t.db.prisma.auditEntry.count({ where: { action: "updates.channel", subject: "Calder Network › Good practice" } })).toBe(1);
    const coordinatorAddress = await t.db.prisma.address.findFirstOrThrow({ where: { userId: coordinator.id } });
    expect(json(coordinatorAddress.conversationRef)).toContain(`"conversationType":"personal"`);
  });

  it("posts each update shared on Slack or on Teams in the channel once, even when Slack sends the command twice", async () => {
    for (let attempt = 0; attempt < 2; attempt++) expect((await shareFromSlack("Ran a reflective practice session #safety", "trigger-teams-channel-1")).status).toBe(200);
    expect((await post(teamsMessage(connector.url, champion, "update Rewrote our tenancy letters #choice"))).status).toBe(200);
    const updatePosts = () => toChannel().filter((call) => call.method === "POST" && call.conversationId === channel.id && json(call.activity).includes("New update"));
    await eventually(async () => updatePosts().length >= 2, { what: "two updates posted in the channel" });
    // Give a duplicate the time to arrive, were there one.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const posts = updatePosts();
    expect(posts).toHaveLength(2);
    expect(json(posts.map((call) => call.activity))).toContain("Ran a reflective practice session");
    expect(json(posts.map((call) => call.activity))).toContain("Riverside Housing · Choice");
    expect(await t.db.prisma.delivery.count({ where: { purposeKey: { startsWith: "update-channel:" }, address: { userId: channel.id } } })).toBe(2);
  });

  it("stops posting when a coordinator turns the channel off", async () => {
    const before = connector.calls.length;
    await post(teamsMessage(connector.url, coordinator, "updates channel off"));
    await eventually(async () => connector.calls.length > before, { what: "the answer" });
    expect(json(connector.calls.at(-1)!.activity)).toContain("won't be posted in Calder Network › Good practice");
    expect((await t.db.prisma.network.findFirstOrThrow()).teamsUpdatesAddressId).toBeNull();
    expect((await shareFromSlack("Trained reception staff #trust", "trigger-teams-channel-2")).status).toBe(200);
    await eventually(async () => (await t.db.prisma.update.count({ where: { text: { contains: "Trained reception staff" } } })) === 1, { what: "the update saved" });
    expect(await t.db.prisma.delivery.count({ where: { address: { userId: channel.id }, view: { string_contains: "reception staff" } } })).toBe(0);
  });
});
