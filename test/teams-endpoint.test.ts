import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AdaptiveCard } from "../adapters/teams/render.js";
import { startTestApp, type TestApp } from "./support/app.js";
import { cardElements, cardInputs, cardOf, cardSubmission, cardText, errorsUnder } from "./support/teams-card.js";
import {
  startFakeConnector,
  teamsBotAdded,
  teamsCardSubmit,
  teamsInstallationUpdate,
  teamsMessage,
  teamsUser,
  type FakeConnector,
  type TeamsUser,
} from "./support/fake-connector.js";

let app: TestApp;
let connector: FakeConnector;

beforeAll(async () => {
  [app, connector] = await Promise.all([startTestApp(), startFakeConnector()]);
});

afterAll(async () => {
  await Promise.all([app?.close(), connector?.close()]);
});

function post(body: unknown, url = app.url, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${url}/api/messages`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** Sends an activity, expects 200, and returns the card the bot replied with. */
async function exchange(activity: { id: string; conversation: { id: string } }): Promise<AdaptiveCard> {
  const response = await post(activity);
  expect(response.status).toBe(200);
  const call = await connector.nextCall();
  expect(call).toMatchObject({ method: "POST", conversationId: activity.conversation.id, activityId: activity.id });
  return cardOf(call);
}







async function sendText(user: TeamsUser, typed: string): Promise<AdaptiveCard> {
  return exchange(teamsMessage(connector.url, user, typed));
}

describe("Teams through POST /api/messages", () => {
  const sam = teamsUser("Sam Jones");
  let joinCard: AdaptiveCard;

  it("answers someone who has not joined with the join card, keeping what they typed", async () => {
    joinCard = await sendText(sam, "update Ran a workshop #choice");
    expect(cardText(joinCard)).toContain("Ran a workshop #choice");
    expect(cardInputs(joinCard).map((input) => input.id)).toEqual(
      expect.arrayContaining(["displayName", "newOrganisation", "sector", "locality", "trainingLevel"]),
    );
    expect(cardInputs(joinCard).find((input) => input.id === "displayName")?.value).toBe("Sam Jones");
    expect(await app.db.prisma.update.count()).toBe(0);
  });

  it("stores the conversation reference on the address", async () => {
    const address = await app.db.prisma.address.findFirstOrThrow({ where: { platform: "teams", userId: sam.id } });
    expect(address).toMatchObject({ workspaceId: sam.tenantId, displayName: "Sam Jones" });
    expect(address.conversationRef).toMatchObject({
      serviceUrl: connector.url,
      channelId: "msteams",
      conversation: { id: `a:${sam.aadObjectId}`, tenantId: sam.tenantId },
      user: { id: sam.id },
    });
  });

  it("sends the join card back with errors and the typed values when answers are missing or wrong", async () => {
    const refused = await exchange(
      teamsCardSubmit(connector.url, sam, cardSubmission(joinCard, { displayName: " ", newOrganisation: "Riverside Housing", sector: "spaceships", locality: "Kirklees" })),
    );
    const errors = errorsUnder(refused);
    expect(Object.keys(errors)).toEqual(expect.arrayContaining(["displayName", "sector"]));
    const kept = Object.fromEntries(cardInputs(refused).map((input) => [input.id, input.value]));
    expect(kept).toMatchObject({ newOrganisation: "Riverside Housing", locality: "Kirklees" });
    expect(cardText(refused)).toContain("Ran a workshop #choice");
    expect(await app.db.prisma.member.count()).toBe(0);
    expect(await app.db.prisma.organisation.count()).toBe(0);
    expect(await app.db.prisma.update.count()).toBe(0);
    joinCard = refused;
  });

  it("stores the member when the card is submitted correctly, shares the kept update and confirms", async () => {
    const confirmation = await exchange(
      teamsCardSubmit(
        connector.url,
        sam,
        cardSubmission(joinCard, {
          displayName: "Sam Jones",
          newOrganisation: "Riverside Housing",
          sector: "housing",
          locality: "Kirklees",
          role: "champion",
          trainingLevel: "skilled",
        }),
      ),
    );
    const member = await app.db.prisma.member.findFirstOrThrow({ include: { organisation: true, addresses: true } });
    expect(member).toMatchObject({ displayName: "Sam Jones", role: "champion", trainingLevel: "skilled", organisation: { name: "Riverside Housing" } });
    expect(member.addresses.map((address) => address.userId)).toEqual([sam.id]);
    expect(cardText(confirmation)).toContain("Sam Jones");
    const updates = await app.db.prisma.update.findMany({ include: { principles: { include: { principle: true } } } });
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({ text: "Ran a workshop #choice", sourcePlatform: "teams" });
    expect(updates[0]!.principles.map((link) => link.principle.name)).toEqual(["Choice"]);
  });

  it.each([
    ["update Co-facilitated a debrief #safety #trust", "Co-facilitated a debrief"],
    ["ti update Reviewed our letters #choice", "Reviewed our letters"],
    ["/ti update Changed the waiting room #safety", "Changed the waiting room"],
  ])("stores `%s` and confirms with its principles", async (typed, stored) => {
    const before = await app.db.prisma.update.count();
    const confirmation = await sendText(sam, typed);
    expect(await app.db.prisma.update.count()).toBe(before + 1);
    const update = await app.db.prisma.update.findFirstOrThrow({
      where: { text: { startsWith: stored } },
      include: { principles: { include: { principle: true } } },
    });
    const tags = update.principles.map((link) => link.principle.name);
    expect(tags.length).toBeGreaterThan(0);
    const said = cardText(confirmation);
    for (const tag of tags) expect(said).toContain(tag);
  });

  it("shows the profile and the latest updates for `me`", async () => {
    const profile = await sendText(sam, "me");
    const said = cardText(profile);
    expect(said).toContain("Sam Jones");
    expect(said).toContain("Riverside Housing");
    expect(said).toContain("Changed the waiting room");
  });

  it("stores nothing twice when Teams redelivers an activity", async () => {
    const activity = teamsMessage(connector.url, sam, "update Ran a second workshop #collaboration");
    await exchange(activity);
    const before = await app.db.prisma.update.count();
    const again = await exchange(activity);
    expect(await app.db.prisma.update.count()).toBe(before);
    expect(cardText(again)).toContain("Ran a second workshop");
  });

  it("welcomes someone who installs the bot once, and only records the installationUpdate", async () => {
    const alex = teamsUser("Alex Smith");
    expect((await post(teamsInstallationUpdate(connector.url, alex))).status).toBe(200);
    await connector.expectQuiet();
    expect(await app.db.prisma.address.count({ where: { userId: alex.id } })).toBe(1);
    const welcome = await exchange(teamsBotAdded(connector.url, alex));
    expect(cardText(welcome)).toContain("Hello!");
    await connector.expectQuiet();
    expect(await app.db.prisma.address.count({ where: { userId: alex.id } })).toBe(1);

    const join = cardElements(welcome).find((element) => element.type === "Action.Submit" && element.title === "Join the network");
    const form = await exchange(teamsCardSubmit(connector.url, alex, join!.data as Record<string, unknown>));
    expect(cardInputs(form).map((input) => input.id)).toContain("displayName");
  });

  it("ignores activity types it does not use", async () => {
    const typing = { ...teamsMessage(connector.url, sam, ""), type: "typing" };
    expect((await post(typing)).status).toBe(200);
    const invoke = { ...teamsMessage(connector.url, sam, ""), type: "invoke", name: "config/fetch" };
    expect((await post(invoke)).status).toBe(200);
    await connector.expectQuiet();
  });

  it("leaves a throttled reply to botbuilder's connector client, retried when Teams says when; else the delivery engine sends it once", async () => {
    connector.failNext(429, { "retry-after": "1" });
    const activity = teamsMessage(connector.url, sam, "me");
    expect((await post(activity)).status).toBe(200);
    const throttled = await connector.nextCall();
    const retried = await connector.nextCall(3_000);
    expect(retried.activity).toEqual(throttled.activity);

    connector.failNext(429);
    const unsaid = teamsMessage(connector.url, sam, "me");
    expect((await post(unsaid)).status).toBe(200);
    const refused = await connector.nextCall();
    expect(refused).toMatchObject({ status: 429, activityId: unsaid.id });
    const later = await connector.nextCall(5_000);
    expect(later).toMatchObject({ method: "POST", status: 200, conversationId: unsaid.conversation.id });
    expect(later.activityId).toBeUndefined();
    expect(later.activity.attachments).toEqual(refused.activity.attachments);
    await connector.expectQuiet(1_000);
  });

  it("works with the Agents Playground and the Emulator, which send no tenant", async () => {
    const visitor = teamsUser("Playground User");
    const { channelData: _channelData, ...activity } = teamsMessage(connector.url, visitor, "help");
    const { tenantId: _tenantId, ...conversation } = activity.conversation;
    await exchange({ ...activity, conversation });
    const address = await app.db.prisma.address.findFirstOrThrow({ where: { userId: visitor.id } });
    expect(address.workspaceId).toBe("local");
  });

  it("answers 400 to malformed JSON and to JSON that is not an activity, 413 to a huge body", async () => {
    expect((await post("{ not json")).status).toBe(400);
    expect((await post({ hello: "world" })).status).toBe(400);
    expect((await post({ ...teamsMessage(connector.url, sam, "x".repeat(2 * 1024 * 1024)) })).status).toBe(413);
  });
});

describe("Teams with a Microsoft App ID", () => {
  let secured: TestApp;

  beforeAll(async () => {
    secured = await startTestApp({ env: { MICROSOFT_APP_ID: "00000000-0000-0000-0000-000000000001", MICROSOFT_APP_PASSWORD: "not-a-real-secret" } });
  });

  afterAll(async () => {
    await secured?.close();
  });

  it("refuses an unauthenticated activity with 401 and stores nothing", async () => {
    const sam = teamsUser("Sam Jones");
    const response = await post(teamsMessage(connector.url, sam, "update Ran a workshop #choice"), secured.url);
    expect(response.status).toBe(401);
    await connector.expectQuiet();
    expect(await secured.db.prisma.address.count()).toBe(0);
    expect(await secured.db.prisma.update.count()).toBe(0);
  });

  it("refuses an activity with a forged token with 401 and stores nothing", async () => {
    const sam = teamsUser("Sam Jones");
    const forged = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJhdWQiOiIwMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDEifQ.";
    const response = await post(teamsMessage(connector.url, sam, "update Ran a workshop #choice"), secured.url, { authorization: `Bearer ${forged}` });
    expect(response.status).toBe(401);
    await connector.expectQuiet();
    expect(await secured.db.prisma.address.count()).toBe(0);
  });
});

describe("Teams when our side fails", () => {
  let broken: TestApp;

  beforeAll(async () => {
    broken = await startTestApp();
    // A real failure of our own database, not a stand-in: the core can no longer record addresses.
    await broken.db.prisma.$executeRawUnsafe('ALTER TABLE "Address" RENAME TO "AddressElsewhere"');
  });

  afterAll(async () => {
    await broken?.close();
  });

  it("says sorry kindly and gives back what was typed", async () => {
    const sam = teamsUser("Sam Jones");
    const response = await post(teamsMessage(connector.url, sam, "update Ran a *workshop* #choice"), broken.url);
    expect(response.status).toBe(200);
    const said = cardText(cardOf(await connector.nextCall()));
    expect(said).toContain("Sorry, something went wrong on our side; nothing you typed was lost.");
    expect(said).toContain("update Ran a *workshop* #choice");
  });

  it("gives back a form's answers too", async () => {
    const sam = teamsUser("Sam Jones");
    const value = { ti: { kind: "form", verb: "join", context: {}, multiSelect: [] }, displayName: "Sam Jones", newOrganisation: "Riverside Housing", locality: "" };
    expect((await post(teamsCardSubmit(connector.url, sam, value), broken.url)).status).toBe(200);
    const said = cardText(cardOf(await connector.nextCall()));
    expect(said).toContain("nothing you typed was lost");
    expect(said).toContain("Sam Jones");
    expect(said).toContain("Riverside Housing");
  });
});
