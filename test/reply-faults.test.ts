// The platform failing on an answer: Slack's response_url and Web API answering 500, Teams' connector
// answering 503 past botbuilder's retries. The person's work is saved once, and the answer reaches
// them anyway: as a DM, or through the delivery engine once the platform takes it again.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "./support/app.js";
import { eventually } from "./support/eventually.js";
import { startFakeConnector, teamsMessage, type FakeConnector, type TeamsUser } from "./support/fake-connector.js";
import { seedMembers } from "./support/seed.js";
import { slackButtons, slackUser, type SlackUser } from "./support/slack-user.js";

let t: TestApp;
let connector: FakeConnector;
let sam: SlackUser;
let kit: TeamsUser;

beforeAll(async () => {
  [t, connector] = await Promise.all([startTestApp({ env: { TI_SENDING_HOURS: "always" } }), startFakeConnector()]);
  const organisation = { name: "Riverside Housing", sector: "housing" as const };
  const [slackChampion] = await seedMembers(t.db.prisma, { slack: { count: 1 }, role: "champion", organisation });
  const [teamsChampion] = await seedMembers(t.db.prisma, { teams: { count: 1, serviceUrl: connector.url }, role: "champion", organisation });
  sam = slackUser(t, { id: slackChampion!.userId, name: "sam" });
  kit = { id: teamsChampion!.userId, aadObjectId: teamsChampion!.userId.slice(4), name: "Kit", tenantId: teamsChampion!.workspaceId };
});

afterAll(async () => {
  await Promise.all([t?.close(), connector?.close()]);
});

const text = (value: unknown) => JSON.stringify(value);

/** Opens the update form with `/ti update` and submits it; Slack then posts the answer wherever it can. */
async function shareThroughForm(words: string): Promise<number> {
  const { since } = await sam.command("update");
  const modal = (await t.slack.waitFor("views.open", { since })).body.view;
  const submitted = await sam.submit(modal, { text: words });
  expect(submitted.status).toBe(200);
  return submitted.since;
}

describe("Slack refusing an answer", () => {
  it("sends the answer as a DM when the response_url answers 500", async () => {
    t.slack.httpErrorNext("response_url", 500);
    const since = await shareThroughForm("Ran a reflective practice session #trust");
    const dm = await t.slack.waitFor("chat.postMessage", { since, where: (call) => text(call.body).includes("Your update is saved") });
    expect(dm.body.channel).toBe(sam.person.id);
    expect(await t.db.prisma.update.count({ where: { text: { startsWith: "Ran a reflective practice session" } } })).toBe(1);
  });

  it("hands the answer to the delivery engine when the DM fails too, and it arrives once", async () => {
    const before = t.slack.postCount(sam.person.id);
    t.slack.httpErrorNext("response_url", 500);
    // The Web API client tries three times before giving up.
    for (let attempt = 0; attempt < 3; attempt++) t.slack.httpErrorNext("chat.postMessage", 500);
    await shareThroughForm("Trained ten housing officers #safety");
    await eventually(async () => t.slack.postCount(sam.person.id) === before + 1, { what: "the answer to arrive" });
    const answer = t.slack.calls.filter((call) => call.method === "chat.postMessage" && text(call.body).includes("Trained ten housing officers")).at(-1);
    expect(text(answer!.body)).toContain("Your update is saved");
    expect(await t.db.prisma.update.count({ where: { text: { startsWith: "Trained ten housing officers" } } })).toBe(1);
    await eventually(async () => (await t.db.prisma.delivery.count({ where: { purposeKey: { startsWith: "answer:" }, status: "sent" } })) === 1, { what: "the delivery recorded as sent" });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(t.slack.postCount(sam.person.id)).toBe(before + 1);
  });

  it("offers a button to open the form when Slack won't open it", async () => {
    for (let attempt = 0; attempt < 3; attempt++) t.slack.httpErrorNext("views.open", 500);
    const { since } = await sam.command("update");
    const offer = await t.slack.waitFor("response_url", { since });
    expect(text(offer.body)).toContain("Sorry, I couldn't open the form in time. Nothing you typed was lost");
    expect(slackButtons(offer.body.blocks).map((button) => button.text.text)).toEqual(["Open the form"]);
  });
});

describe("Teams' connector refusing an answer", () => {
  it("saves the update, and the delivery engine brings the answer once the connector takes it again", async () => {
    // botbuilder's connector client tries a reply four times on a 5xx.
    for (let attempt = 0; attempt < 4; attempt++) connector.failNext(503);
    const activity = teamsMessage(connector.url, kit, "update Co-designed a calmer reception area with tenants #choice");
    const response = await fetch(`${t.url}/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(activity) });
    expect(response.status).toBeLessThan(500);
    expect(await t.db.prisma.update.count({ where: { text: { startsWith: "Co-designed a calmer reception area" } } })).toBe(1);
    const later = await eventually(async () => connector.calls.find((call) => call.status === 200 && !call.activityId && text(call.activity).includes("Your update is saved")), {
      what: "the answer through the delivery engine",
    });
    expect(later.conversationId).toBe(activity.conversation.id);
    expect(connector.calls.filter((call) => call.status === 200 && text(call.activity).includes("Co-designed a calmer reception area")).length).toBe(1);
  }, 30_000);
});
