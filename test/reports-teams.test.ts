// Reports on Microsoft Teams through POST /api/messages with real Bot Framework activities: a coordinator
// opens a cycle from its card; a champion's report card comes back with every error beside its input
// and everything typed kept, is saved as a draft, resumed and submitted; the nudge arrives as a
// proactive card with its four buttons, and Stop these answers kindly.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AdaptiveCard, CardElement } from "../adapters/teams/render.js";
import { startTestApp, type TestApp } from "./support/app.js";
import { cardInputs, cardOf, cardSubmission, errorsUnder } from "./support/teams-card.js";
import { startFakeConnector, teamsCardSubmit, teamsMessage, teamsUser, type ConnectorCall, type FakeConnector, type TeamsUser } from "./support/fake-connector.js";
import { eventually } from "./support/eventually.js";
import { seedMembers } from "./support/seed.js";

let app: TestApp;
let connector: FakeConnector;
let coordinator: TeamsUser;
let champion: TeamsUser;
let championConversation: string;
// Monday 23 November 2026, 10:00 in London.
let clock = new Date("2026-11-23T10:00:00Z");

beforeAll(async () => {
  coordinator = teamsUser("Alex Coordinator");
  connector = await startFakeConnector();
  app = await startTestApp({ env: { TI_COORDINATORS: `teams:${coordinator.id}`, TI_SENDING_HOURS: "always" }, now: () => clock });
  const [seeded] = await seedMembers(app.db.prisma, { teams: { count: 1, serviceUrl: connector.url }, role: "champion", organisation: { name: "Calder NHS Trust", sector: "health", locality: "Calderdale" } });
  champion = { id: seeded!.userId, aadObjectId: seeded!.conversationId!.slice(2), name: "Jo Nurse", tenantId: seeded!.workspaceId };
  championConversation = seeded!.conversationId!;
});

afterAll(async () => {
  await Promise.all([app?.close(), connector?.close()]);
});

/** The first call the connector received, or receives, that matches: other features speak proactively too. */
function callWhere(match: (call: ConnectorCall) => boolean): Promise<ConnectorCall> {
  return eventually(async () => connector.calls.find(match), { what: "the bot's message" });
}

async function exchange(activity: { id: string; conversation: { id: string } }): Promise<AdaptiveCard> {
  const response = await fetch(`${app.url}/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(activity) });
  expect(response.status).toBe(200);
  const call = await callWhere((candidate) => candidate.activityId === activity.id);
  expect(call.conversationId).toBe(activity.conversation.id);
  return cardOf(call);
}


const cardJson = (card: AdaptiveCard) => JSON.stringify(card).replace(/\\\\(.)/g, "$1");



const send = (user: TeamsUser, typed: string) => exchange(teamsMessage(connector.url, user, typed));
const fill = (user: TeamsUser, card: AdaptiveCard, answers: Record<string, string>) => exchange(teamsCardSubmit(connector.url, user, cardSubmission(card, answers)));

describe("reports on Teams", () => {
  it("opens a cycle from the coordinator's card", async () => {
    const form = await send(coordinator, "cycle");
    const reply = await fill(coordinator, form, { dueOn: "2026-12-04", cadence: "3" });
    expect(cardJson(reply)).toMatch(/Cycle #\d+ \(November to December 2026\) is open: 1 organisation/);
  });

  it("sends the report card back with every error beside its input and everything typed kept", async () => {
    const form = await send(champion, "report");
    expect(cardJson(form)).toContain("Calder NHS Trust: milestone report for November to December 2026");
    const refused = await fill(champion, form, {
      rag: "purple",
      summary: "",
      successes: "Our ED team finished the training",
      challengeBudget: "Funding ends in March",
      milestones: "30/06/2027 Launch the navigator role",
      maturity_oversight: "sometimes",
      action: "submit",
    });
    expect(Object.keys(errorsUnder(refused)).sort()).toEqual(["maturity_oversight", "milestones", "rag", "summary"]);
    const kept = Object.fromEntries(cardInputs(refused).map((input) => [input.id, input.value]));
    expect(kept).toMatchObject({ successes: "Our ED team finished the training", challengeBudget: "Funding ends in March", milestones: "30/06/2027 Launch the navigator role" });
    expect(await app.db.prisma.milestoneReport.count()).toBe(0);

    const draft = await fill(champion, refused, { rag: "", maturity_oversight: "", milestones: "30/06/2027 - Launch the navigator role", action: "draft" });
    expect(cardJson(draft)).toContain("draft of Calder NHS Trust's report is saved");

    const resumed = await send(champion, "report");
    const resumedValues = Object.fromEntries(cardInputs(resumed).map((input) => [input.id, input.value]));
    expect(resumedValues).toMatchObject({ successes: "Our ED team finished the training", milestones: "30 Jun 2027 - Launch the navigator role", action: "submit" });
    const done = await fill(champion, resumed, { rag: "amber", summary: "Training done in ED; funding is the worry." });
    expect(cardJson(done)).toContain("report for November to December 2026 is in");
    expect(await app.db.prisma.milestoneReport.findFirstOrThrow()).toMatchObject({ status: "submitted", rag: "amber", challengeBudget: "Funding ends in March" });
  });

  it("nudges a champion on Teams with the four buttons, and Stop these answers kindly", async () => {
    const other = await seedMembers(app.db.prisma, { teams: { count: 1, serviceUrl: connector.url }, role: "champion", organisation: { name: "Pennine Council", sector: "local_authority" } });
    await app.db.prisma.reportRequest.create({ data: { cycleId: (await app.db.prisma.reportingCycle.findFirstOrThrow()).id, organisationId: (await app.db.prisma.organisation.findFirstOrThrow({ where: { name: "Pennine Council" } })).id } });
    clock = new Date("2026-12-04T10:00:00Z");
    const run = await app.app.scheduler.runSlot("reports-nudges", clock);
    expect(run).toMatchObject({ ran: true, outcome: "queued 1 nudges for 1 open reports" });
    const call = await callWhere((candidate) => candidate.conversationId === other[0]!.conversationId && JSON.stringify(candidate.activity).includes("milestone report"));
    const nudge = cardOf(call);
    expect(cardJson(nudge)).toContain("Pennine Council's milestone report for November to December 2026 is due today");
    const buttons = (nudge.actions ?? []).concat(nudge.body.flatMap((element) => (element.actions as CardElement[]) ?? []));
    expect(buttons.map((button) => button.title)).toEqual(["Fill in now", "Not now", "Someone else is doing this", "Stop these"]);
    // Calder's report is in, so its champion is not nudged.
    expect(connector.calls.filter((candidate) => candidate.conversationId === championConversation && JSON.stringify(candidate.activity).includes("Fill in now"))).toEqual([]);

    const pennine: TeamsUser = { id: other[0]!.userId, aadObjectId: other[0]!.conversationId!.slice(2), name: "Sam Officer", tenantId: other[0]!.workspaceId };
    const stop = buttons.find((button) => button.title === "Stop these")!;
    const activity = teamsCardSubmit(connector.url, pennine, stop.data as Record<string, unknown>);
    const response = await fetch(`${app.url}/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(activity) });
    expect(response.status).toBe(200);
    // A reply, or the nudge replaced in place where the adapter does that: either way, in their chat.
    const toChampion = await callWhere((candidate) => JSON.stringify(candidate.activity).includes("no more reminders to you about Pennine Council's report this cycle"));
    expect(toChampion.conversationId).toBe(other[0]!.conversationId);
    const toCoordinator = await callWhere((candidate) => JSON.stringify(candidate.activity).includes("has paused reminders"));
    expect(toCoordinator.conversationId).toBe(`a:${coordinator.aadObjectId}`);
  });
});
