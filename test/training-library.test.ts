// The resource library and coverage targets end to end, through the signed Slack endpoint and Teams
// activities: coordinators add, edit and retire resources (bad input comes back kindly with what was
// typed), a new one can be announced through a broadcast, members find them by principle, level and
// kind a page at a time, and targets set per organisation show in `training map` with figures that
// match the database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AdaptiveCard } from "../adapters/teams/render.js";
import { startTestApp, type TestApp } from "./support/app.js";
import { eventually } from "./support/eventually.js";
import { startFakeConnector, teamsCardSubmit, teamsMessage, type FakeConnector, type TeamsUser } from "./support/fake-connector.js";
import { seedMembers, type SeededMember } from "./support/seed.js";
import { slackButtons, slackUser, type SlackUser } from "./support/slack-user.js";
import { cardInputs, cardOf, cardSubmission, cardText, errorsUnder } from "./support/teams-card.js";

let t: TestApp;
let connector: FakeConnector;
const clock = new Date("2026-12-07T10:00:00Z");
let coordinator: SlackUser;
let teamsCoordinator: TeamsUser;
let sam: SeededMember;
let samSlack: SlackUser;
let principleIds: Record<string, string>;

const json = (value: unknown) => JSON.stringify(value);

beforeAll(async () => {
  connector = await startFakeConnector();
  t = await startTestApp({ now: () => clock, env: { TI_SENDING_HOURS: "always" } });
  const prisma = t.db.prisma;
  const [slackCoordinator, teamsCoord] = await seedMembers(prisma, { slack: { count: 1 }, teams: { count: 1, serviceUrl: connector.url }, role: "coordinator" });
  coordinator = slackUser(t, { id: slackCoordinator!.userId, name: "alex" });
  teamsCoordinator = { id: teamsCoord!.userId, aadObjectId: teamsCoord!.userId.slice(4), name: "Alex", tenantId: teamsCoord!.workspaceId };
  sam = (await seedMembers(prisma, { slack: { count: 1 }, role: "champion", organisation: { name: "Calder NHS Trust", sector: "health" } }))[0]!;
  samSlack = slackUser(t, { id: sam.userId, name: "sam" });
  const principles = await prisma.principle.findMany();
  principleIds = Object.fromEntries(principles.map((principle) => [principle.name, principle.id]));
});

afterAll(async () => {
  await Promise.all([t?.close(), connector?.close()]);
});

async function openModal(user: SlackUser, typed: string) {
  const { status, since } = await user.command(typed);
  expect(status).toBe(200);
  return (await t.slack.waitFor("views.open", { since })).body.view;
}

async function submitModal(user: SlackUser, modal: any, answers: Record<string, string | string[]>) {
  const { status, answer, since } = await user.submit(modal, answers);
  expect(status).toBe(200);
  return answer?.response_action ? answer : (await t.slack.waitFor("response_url", { since })).body;
}

async function slackReply(user: SlackUser, typed: string) {
  const { answer, since } = await user.command(typed);
  return json(answer) === '""' ? (await t.slack.waitFor("response_url", { since })).body : answer;
}

async function teamsExchange(activity: { id: string; conversation: { id: string } }): Promise<AdaptiveCard> {
  const since = connector.calls.length;
  const response = await fetch(`${t.url}/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: json(activity) });
  expect(response.status).toBe(200);
  return cardOf(await eventually(async () => connector.calls.slice(since).find((call) => call.activityId === activity.id), { what: "the Teams reply" }));
}

const addResource = async (answers: Record<string, string | string[]>) => submitModal(coordinator, await openModal(coordinator, "resource add"), answers);

describe("the resource library", () => {
  it("refuses over-long text, a link that isn't https and an unknown level on Teams, keeping everything typed", async () => {
    const card = await teamsExchange(teamsMessage(connector.url, teamsCoordinator, "resource add"));
    expect(cardText(card)).toContain("New resource");
    const typed = { title: "T".repeat(121), link: "http://toolkits.example.org/language", kind: "toolkit", level: "expert", principles: principleIds.Safety! };
    const refused = await teamsExchange(teamsCardSubmit(connector.url, teamsCoordinator, cardSubmission(card, typed)));
    expect(errorsUnder(refused)).toMatchObject({
      title: "Please keep the title to 120 characters or fewer.",
      link: expect.stringContaining("https://"),
      level: "Please choose from the list.",
    });
    const kept = Object.fromEntries(cardInputs(refused).map((input) => [input.id, input.value]));
    expect(kept).toMatchObject({ title: typed.title, link: typed.link, kind: "toolkit", principles: principleIds.Safety });
    expect(await t.db.prisma.trainingResource.count()).toBe(0);

    const saved = await teamsExchange(
      teamsCardSubmit(connector.url, teamsCoordinator, cardSubmission(refused, { title: "Trauma-informed language toolkit", link: "https://toolkits.example.org/language", level: "informed" })),
    );
    expect(cardText(saved)).toContain("Resource #1 is in the library.");
    const stored = await t.db.prisma.trainingResource.findFirstOrThrow({ where: { number: 1 }, include: { principles: true } });
    expect(stored).toMatchObject({ title: "Trauma-informed language toolkit", link: "https://toolkits.example.org/language", kind: "toolkit", level: "informed" });
    expect(stored.principles.map((tag) => tag.principleId)).toEqual([principleIds.Safety]);
  });

  it("adds resources on Slack, each audited, and offers to announce a new one through a broadcast form already written", async () => {
    const refused = await addResource({ title: "Safe spaces", link: "https://exa mple.org", kind: "video", level: "skilled" });
    expect(refused).toMatchObject({ response_action: "errors", errors: { link: expect.stringContaining("no spaces") } });

    const reply = await addResource({ title: "Making choices real: a video", link: "https://videos.example.org/choice", kind: "video", level: "skilled", principles: [principleIds.Choice!, principleIds.Safety!] });
    expect(json(reply)).toContain("Resource #2 is in the library.");
    expect(json(reply)).toContain("#2 Making choices real: a video · Video · Skilled · Safety, Choice · https://videos.example.org/choice");
    await addResource({ title: "Safety planning policy template", link: "https://policies.example.org/safety", kind: "policy", level: "enhanced", principles: [principleIds.Safety!] });
    await addResource({ title: "Trust in teams: reading list", link: "https://reading.example.org/trust", kind: "reading", principles: [principleIds.Trust!] });

    const announce = slackButtons(reply.blocks).find((button) => button.text.text === "Announce it");
    expect(announce).toBeDefined();
    const { since } = await coordinator.press(announce!);
    const modal = (await t.slack.waitFor("views.open", { since })).body.view;
    expect(modal.callback_id).toBe("ti:broadcast");
    const messageBox = modal.blocks.find((block: any) => block.block_id === "message");
    expect(messageBox.element.initial_value).toContain("**Making choices real: a video**");
    expect(messageBox.element.initial_value).toContain("[Open it](https://videos.example.org/choice)");
    expect(await t.db.prisma.broadcast.count()).toBe(0);

    const trail = await t.db.prisma.auditEntry.findMany({ where: { action: { startsWith: "training.resource" } } });
    expect(trail.map((entry) => entry.action)).toEqual(["training.resource.add", "training.resource.add", "training.resource.add", "training.resource.add"]);
  });

  it("refuses a member's resource add, typed or sent as a form, storing nothing", async () => {
    const before = await t.db.prisma.trainingResource.count();
    expect(json(await slackReply(samSlack, "resource add"))).toContain("Only the network's coordinators can use /ti resource add");
    const forged = { type: "modal", callback_id: "ti:resource", private_metadata: json({ context: {}, responseUrl: t.slack.responseUrl() }), blocks: [{ type: "input", block_id: "title", element: { type: "plain_text_input", action_id: "title" } }] };
    const { answer, since } = await samSlack.submit(forged, { title: "Sneaky" });
    const said = answer?.response_action ? answer : (await t.slack.waitFor("response_url", { since })).body;
    expect(json(said)).toContain("Only the network's coordinators can send that form");
    expect(await t.db.prisma.trainingResource.count()).toBe(before);
  });

  it("finds resources by principle, level and kind, and answers a word it doesn't know with what was typed", async () => {
    const safety = json(await slackReply(samSlack, "resources #safety"));
    expect(safety).toContain("Resources: #Safety");
    for (const title of ["Trauma-informed language toolkit", "Making choices real: a video", "Safety planning policy template"]) expect(safety).toContain(title);
    expect(safety).not.toContain("Trust in teams");

    const skilled = json(await slackReply(samSlack, "resources skilled"));
    expect(skilled).toContain("Making choices real");
    expect(skilled).not.toContain("Safety planning policy");
    expect(json(await slackReply(samSlack, "resources #safety policy"))).toContain("1 resource matching #Safety, policies");
    expect(json(await slackReply(samSlack, "resources #trust skilled"))).toContain("No resources in the library match #Trust, Skilled yet.");

    const unknown = json(await slackReply(samSlack, "resources expert"));
    expect(unknown).toContain(`I don't know \\"expert\\" as a principle, a level or a kind of resource.`);
    expect(unknown).toContain("You typed: /ti resources expert");
    expect(json(await slackReply(samSlack, "resources #bravery"))).toContain(`I don't know a principle called \\"#bravery\\"`);
    expect(json(await slackReply(slackUser(t, { id: "U0STRANGER", name: "stranger" }), "resources"))).toContain("Join the network");
  });

  it("edits and retires a resource, and the library shows the change", async () => {
    const editing = await openModal(coordinator, "resource edit 3");
    expect(json(editing)).toContain("Safety planning policy template");
    const edited = await submitModal(coordinator, editing, { title: "Safety planning: a policy template", link: "https://policies.example.org/safety-v2", kind: "policy", level: "enhanced", principles: [principleIds.Safety!, principleIds.Trust!] });
    expect(json(edited)).toContain("Resource #3 is saved.");
    expect(json(edited)).not.toContain("Announce it");
    expect(json(await slackReply(samSlack, "resources #trust"))).toContain("Safety planning: a policy template");

    expect(json(await slackReply(coordinator, "resource retire 4"))).toContain("Resource #4, Trust in teams: reading list, is retired.");
    expect(json(await slackReply(coordinator, "resource retire 4"))).toContain("already retired");
    expect(json(await slackReply(samSlack, "resources"))).not.toContain("Trust in teams");
    expect(json(await slackReply(coordinator, "resource edit 99"))).toContain("I can't find resource #99");
  });

  it("shows a large library a page at a time, newest first, with a button for more", async () => {
    const network = await t.db.prisma.network.findFirstOrThrow();
    await t.db.prisma.trainingResource.createMany({
      data: Array.from({ length: 20 }, (_, index) => ({ networkId: network.id, number: 100 + index, title: `Reading ${index + 1}`, link: `https://reading.example.org/${index + 1}`, kind: "reading" as const })),
    });
    const total = await t.db.prisma.trainingResource.count({ where: { retiredAt: null } });
    const first = await slackReply(samSlack, "resources");
    expect(json(first)).toContain(`Showing 1 to 15 of ${total}, newest first.`);
    expect(json(first)).toContain("Reading 20");
    expect(json(first)).not.toContain("Reading 5 ");
    const more = slackButtons(first.blocks).find((button) => button.text.text === "More")!;
    const { since } = await samSlack.press(more);
    const second = json((await t.slack.waitFor("response_url", { since })).body);
    expect(second).toContain(`Showing 16 to ${total} of ${total}`);
    expect(second).toContain("Trauma-informed language toolkit");
    expect(json(await slackReply(samSlack, "resources reading page 2"))).toContain("Showing 16 to 20 of 20");
  });
});

describe("coverage targets", () => {
  it("a coordinator sets targets on Teams and Slack; a bad figure comes back with what was typed; a member is refused", async () => {
    const more = await seedMembers(t.db.prisma, { slack: { count: 3 }, role: "member", organisation: { name: "Calder NHS Trust", sector: "health" } });
    await t.db.prisma.member.update({ where: { id: more[0]!.memberId }, data: { trainingLevel: "informed" } });
    await t.db.prisma.member.update({ where: { id: more[1]!.memberId }, data: { trainingLevel: "enhanced" } });
    const school = await seedMembers(t.db.prisma, { slack: { count: 2 }, role: "member", organisation: { name: "Hillside School", sector: "education" } });
    await t.db.prisma.member.update({ where: { id: school[0]!.memberId }, data: { trainingLevel: "skilled" } });
    await seedMembers(t.db.prisma, { slack: { count: 1 }, role: "member", organisation: { name: "Moor Housing", sector: "housing" } });

    const card = await teamsExchange(teamsMessage(connector.url, teamsCoordinator, "training target calder nhs trust"));
    const calder = await t.db.prisma.organisation.findFirstOrThrow({ where: { name: "Calder NHS Trust" } });
    expect(cardInputs(card).find((input) => input.id === "organisation")?.value).toBe(calder.id);
    const refused = await teamsExchange(teamsCardSubmit(connector.url, teamsCoordinator, cardSubmission(card, { measure: "percent", figure: "120", level: "informed", scope: "all front-line staff" })));
    expect(errorsUnder(refused)).toMatchObject({ figure: "A percentage goes up to 100." });
    expect(Object.fromEntries(cardInputs(refused).map((input) => [input.id, input.value]))).toMatchObject({ figure: "120", scope: "all front-line staff", measure: "percent" });
    expect(await t.db.prisma.coverageTarget.count()).toBe(0);
    const saved = await teamsExchange(teamsCardSubmit(connector.url, teamsCoordinator, cardSubmission(refused, { figure: "75" })));
    expect(cardText(saved)).toContain("Calder NHS Trust's training target: Informed or above for 75% of its members (all front-line staff).");

    const hillside = await t.db.prisma.organisation.findFirstOrThrow({ where: { name: "Hillside School" } });
    const modal = await openModal(coordinator, "training target");
    const typo = await submitModal(coordinator, modal, { organisation: hillside.id, measure: "people", figure: "two", level: "skilled" });
    expect(typo).toMatchObject({ response_action: "errors", errors: { figure: expect.stringContaining("whole number") } });
    expect(json(await submitModal(coordinator, modal, { organisation: hillside.id, measure: "people", figure: "2", level: "skilled" }))).toContain("Skilled or above for 2 people");
    expect(await t.db.prisma.coverageTarget.findUniqueOrThrow({ where: { organisationId: hillside.id } })).toMatchObject({ level: "skilled", measure: "people", figure: 2, scope: null });

    expect(json(await slackReply(samSlack, "training target"))).toContain("Only the network's coordinators can use /ti training target");
    const trail = await t.db.prisma.auditEntry.findMany({ where: { action: "training.target.set" }, orderBy: { createdAt: "asc" } });
    expect(trail.map((entry) => entry.subject)).toEqual(["Calder NHS Trust", "Hillside School"]);
  });

  it("training map shows each organisation against its target and each sector's targets reached, matching the database", async () => {
    const map = json(await slackReply(coordinator, "training map"));
    const ranks = ["informed", "skilled", "enhanced", "specialist"] as const;
    const standing = async (name: string) => {
      const target = await t.db.prisma.coverageTarget.findFirstOrThrow({ where: { organisation: { name } } });
      const where = { organisation: { name }, leftAt: null };
      const members = await t.db.prisma.member.count({ where });
      const reached = await t.db.prisma.member.count({ where: { ...where, trainingLevel: { in: [...ranks.slice(ranks.indexOf(target.level))] } } });
      const needed = target.measure === "percent" ? Math.ceil((target.figure * members) / 100) : target.figure;
      return { members, reached, needed };
    };
    const calder = await standing("Calder NHS Trust");
    expect(calder).toEqual({ members: 4, reached: 2, needed: 3 });
    expect(map).toContain(`; target Informed or above for 75% of its members (all front-line staff): ${calder.reached} of ${calder.members} members now (50%), ${calder.needed - calder.reached} more to reach it`);
    const hillside = await standing("Hillside School");
    expect(hillside).toEqual({ members: 2, reached: 1, needed: 2 });
    expect(map).toContain(`Hillside School: Informed 0, Skilled 1, Enhanced 0, Specialist 0, not set 1; 0 completed in 12 months; target Skilled or above for 2 people: ${hillside.reached} now, 1 more to reach it`);
    expect(map).toMatch(/Health: [^"]*; targets reached 0 of 1/);
    expect(map).toMatch(/Education: [^"]*; targets reached 0 of 1/);
    expect(map).not.toMatch(/Housing: [^"]*targets/);

    await t.db.prisma.member.updateMany({ where: { organisation: { name: "Hillside School" }, trainingLevel: null }, data: { trainingLevel: "specialist" } });
    const after = json(await slackReply(coordinator, "training map"));
    expect(after).toContain("target Skilled or above for 2 people: 2 now, reached");
    expect(after).toMatch(/Education: [^"]*; targets reached 1 of 1/);

    const removed = await submitModal(coordinator, await openModal(coordinator, "training target Hillside School"), { organisation: (await t.db.prisma.organisation.findFirstOrThrow({ where: { name: "Hillside School" } })).id, measure: "none" });
    expect(json(removed)).toContain("Hillside School has no training target now.");
    expect(json(await slackReply(coordinator, "training map"))).not.toContain("Skilled or above for 2 people");
  });
});
