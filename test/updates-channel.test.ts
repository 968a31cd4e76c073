// The network's Slack channel (TI_SLACK_UPDATES_CHANNEL): each update shared with the network is posted
// there once, through the delivery engine, from Slack and from Teams; an update kept to its author's
// profile never is, and a redelivered request posts nothing twice.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { startTestApp, type TestApp } from "./support/app.js";
import { eventually } from "./support/eventually.js";
import { startFakeConnector, teamsMessage, type FakeConnector } from "./support/fake-connector.js";
import { seedMembers, type SeededMember } from "./support/seed.js";
import { slackUser, slashCommandFields } from "./support/slack-user.js";
import { postToSlackEndpoint } from "./support/fake-slack.js";
import { slackSigningSecret } from "./support/app.js";

let t: TestApp;
let connector: FakeConnector;
let sam: SeededMember;
let teams: SeededMember;
const channel = "C0UPDATES";
const json = (value: unknown) => JSON.stringify(value);
const channelPosts = () => t.slack.calls.filter((call) => call.method === "chat.postMessage" && call.body.channel === channel);

beforeAll(async () => {
  connector = await startFakeConnector();
  t = await startTestApp({ env: { TI_SLACK_UPDATES_CHANNEL: channel, TI_SENDING_HOURS: "always" } });
  sam = (await seedMembers(t.db.prisma, { slack: { count: 1 }, organisation: { name: "Calder NHS Trust", sector: "health" } }))[0]!;
  teams = (await seedMembers(t.db.prisma, { teams: { count: 1, serviceUrl: connector.url }, organisation: { name: "Riverside Housing", sector: "housing" } }))[0]!;
});

afterAll(async () => {
  await Promise.all([t?.close(), connector?.close()]);
});

describe("the network's updates channel", () => {
  it("posts an update shared on Slack to the channel once, even when Slack sends the command again", async () => {
    const fields = slashCommandFields({ id: sam.userId, name: "Sam" }, "update Ran a reflective practice session #safety", t.slack.responseUrl());
    for (let attempt = 0; attempt < 2; attempt++) {
      const response = await postToSlackEndpoint(t.url, { ...fields, trigger_id: "trigger-channel-1" }, { signingSecret: slackSigningSecret });
      expect(response.status).toBe(200);
    }
    const post = await t.slack.waitFor("chat.postMessage", { timeoutMs: 15_000, where: (call) => call.body.channel === channel });
    expect(json(post.body)).toContain("Ran a reflective practice session");
    expect(json(post.body)).toContain("Calder NHS Trust · Safety");
    // Queued in the same request that saved the update: one row, so one post.
    expect(await t.db.prisma.delivery.count({ where: { purposeKey: { startsWith: "update-channel:" } } })).toBe(1);
    expect(channelPosts()).toHaveLength(1);
  });

  it("posts an update shared on Teams to the same workspace's channel", async () => {
    const response = await fetch(`${t.url}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: json(teamsMessage(connector.url, { id: teams.userId, aadObjectId: teams.conversationId!.slice(2), name: "Robin", tenantId: teams.workspaceId }, "update Rewrote our tenancy letters #choice")),
    });
    expect(response.status).toBe(200);
    const post = await t.slack.waitFor("chat.postMessage", { timeoutMs: 15_000, where: (call) => call.body.channel === channel && json(call.body).includes("tenancy letters") });
    expect(json(post.body)).toContain("Riverside Housing · Choice");
    const address = await t.db.prisma.address.findFirstOrThrow({ where: { userId: channel } });
    expect(address).toMatchObject({ platform: "slack", workspaceId: sam.workspaceId, memberId: null });
  });

  it("never posts an update kept to its author's profile", async () => {
    const { since } = await slackUser(t, { id: sam.userId, name: "Sam" }).command("update");
    const modal = (await t.slack.waitFor("views.open", { since })).body.view;
    const submitted = await slackUser(t, { id: sam.userId, name: "Sam" }).submit(modal, { text: "A note for my own learning", sharing: "profile" });
    expect(submitted.status).toBe(200);
    await eventually(async () => (await t.db.prisma.update.count({ where: { text: "A note for my own learning", sharedWithNetwork: false } })) === 1, { what: "the private update" });
    // The channel post is queued in the request that saves an update, so by now it would be there.
    const queued = await t.db.prisma.delivery.findMany({ where: { purposeKey: { startsWith: "update-channel:" } } });
    expect(queued).toHaveLength(2);
    expect(queued.some((delivery) => json(delivery.view).includes("own learning"))).toBe(false);
  });

  it("takes only a Slack channel id", () => {
    expect(() => loadConfig({ TI_SLACK_UPDATES_CHANNEL: "#general" })).toThrow(/TI_SLACK_UPDATES_CHANNEL/);
    expect(loadConfig({ TI_SLACK_UPDATES_CHANNEL: "C0123ABCD" }).TI_SLACK_UPDATES_CHANNEL).toBe("C0123ABCD");
  });
});
