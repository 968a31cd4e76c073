// Every way in is authorised, on both platforms, through the real endpoints: a member sends each
// coordinator-only verb (typed, and as a button) and each coordinator-only form (exactly as a
// coordinator's card or modal would send it) and is refused kindly, with every table unchanged and
// nothing sent to anyone else. Then hidden context a card carries back, tampered with.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AdaptiveCard } from "../adapters/teams/render.js";
import { features } from "../src/core/features.js";
import { message } from "../src/core/kernel/view.js";
import { catalogue } from "../src/core/kernel/catalogue.js";

const { verbs: verbCatalogue, commands, forms: formCatalogue } = catalogue(features);
import { startTestApp, type TestApp } from "./support/app.js";
import { eventually } from "./support/eventually.js";
import { startFakeConnector, teamsCardSubmit, teamsMessage, type ConnectorCall, type FakeConnector, type TeamsUser } from "./support/fake-connector.js";
import { seedMembers, type SeededMember } from "./support/seed.js";
import { slackUser, type SlackUser } from "./support/slack-user.js";
import { cardInputs, cardOf, cardSubmission, cardText } from "./support/teams-card.js";

/** The forms anyone who has joined may send; each checks the rest itself (a champion's own report, say). */
const formsForAnyone = ["checkin", "checkin weekly", "join", "keyactions", "needs", "pulse", "report", "training attendance", "training done", "update", "updates"];

/** How a coordinator opens each coordinator-only form, and answers that make it do something. */
const coordinatorForms: Record<string, { opens: string; answers: Record<string, string> }> = {
  broadcast: { opens: "broadcast", answers: { message: "The network event has moved to the town hall.", timing: "now" } },
  event: { opens: "event new", answers: { title: "Winter gathering", "starts.date": "2027-01-13", "starts.time": "10:00", ends: "13:00", location: "Town hall", invite: "now" } },
  organisation: { opens: "org add", answers: { name: "Hilltop School", sector: "education" } },
  cycle: { opens: "cycle", answers: {} },
  "pulse question": { opens: "pulse add", answers: { text: "This week, how often did you offer someone a real choice?" } },
  "training course": { opens: "training add", answers: { title: "Trauma-informed practice: an introduction", level: "informed", format: "online" } },
  // Course #1, added by the "training course" round trip above, run as a session; titled as the event form's
  // event, since a later test looks the newest event up by that title.
  "training schedule": { opens: "training schedule 1", answers: { title: "Winter gathering", "starts.date": "2027-01-20", "starts.time": "10:00", ends: "12:00", location: "Town hall", invite: "now" } },
  "training target": { opens: "training target", answers: { measure: "percent", figure: "80", level: "informed", scope: "all front-line staff" } },
  resource: { opens: "resource add", answers: { title: "Trauma-informed language toolkit", link: "https://toolkits.example.org/language", kind: "toolkit", level: "any" } },
  "needs survey": { opens: "needs survey", answers: {} },
};

/** Arguments that would make a coordinator's verb change something, were it carried out. */
const verbArguments: Record<string, () => string> = {
  role: () => `@${slackMember.person.name} coordinator`,
  "broadcast send": () => String(draftNumber),
  "broadcast edit": () => String(draftNumber),
  "broadcast discard": () => String(draftNumber),
  "broadcast cancel": () => String(draftNumber),
  "broadcast remind": () => String(draftNumber),
  "event cancel": () => "1",
  "event stop": () => "1",
  "event confirm": () => "1",
  "event skip": () => "1",
  "pulse retire": () => "1",
  "pulse start": () => "",
};

let t: TestApp;
let connector: FakeConnector;
let slackCoordinator: SlackUser;
let slackMember: SlackUser;
let teamsCoordinator: TeamsUser;
let teamsMember: TeamsUser;
let riverside: SeededMember[];
let hillside: SeededMember[];
let draftNumber = 0;

function teamsPerson(seeded: SeededMember, name: string): TeamsUser {
  return { id: seeded.userId, aadObjectId: seeded.userId.slice(4), name, tenantId: seeded.workspaceId };
}

beforeAll(async () => {
  [t, connector] = await Promise.all([startTestApp({ env: { TI_SENDING_HOURS: "always" } }), startFakeConnector()]);
  const prisma = t.db.prisma;
  const organisation = { name: "Riverside Housing", sector: "housing" as const, locality: "Kirklees" };
  const [coordinators, members] = await Promise.all([
    seedMembers(prisma, { slack: { count: 1 }, teams: { count: 1, serviceUrl: connector.url }, role: "coordinator" }),
    seedMembers(prisma, { slack: { count: 1 }, teams: { count: 1, serviceUrl: connector.url }, role: "member", organisation }),
  ]);
  riverside = await seedMembers(prisma, { slack: { count: 2 }, role: "champion", organisation });
  hillside = await seedMembers(prisma, { slack: { count: 1 }, role: "champion", organisation: { name: "Hillside School", sector: "education" } });
  slackCoordinator = slackUser(t, { id: coordinators[0]!.userId, name: "alex" });
  teamsCoordinator = teamsPerson(coordinators[1]!, "Alex Coordinator");
  slackMember = slackUser(t, { id: members[0]!.userId, name: "sam" });
  teamsMember = teamsPerson(members[1]!, "Kit Member");
});

afterAll(async () => {
  await Promise.all([t?.close(), connector?.close()]);
});

/**
 * Every table's row count, so a refusal can be shown to have stored nothing anywhere. `JobRun` is left
 * out: the scheduler claims its slots on its own clock, whatever requests arrive.
 */
async function rowCounts(): Promise<Record<string, number>> {
  countEveryTable ??= (async () => {
    const tables = await t.db.prisma.$queryRawUnsafe<{ name: string }[]>(
      `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'JobRun' ORDER BY 1`,
    );
    return tables.map(({ name }) => `SELECT '${name}' AS name, count(*) AS count FROM "${name}"`).join(" UNION ALL ");
  })();
  const rows = await t.db.prisma.$queryRawUnsafe<{ name: string; count: bigint }[]>(await countEveryTable);
  return Object.fromEntries(rows.map((row) => [row.name, Number(row.count)]));
}

let countEveryTable: Promise<string> | undefined;

/** Posts an activity and returns the card the bot answered it with (a reply, or the pressed card replaced). */
async function teamsExchange(activity: { id: string; replyToId?: string; conversation: { id: string } }): Promise<AdaptiveCard> {
  const since = connector.calls.length;
  const response = await fetch(`${t.url}/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(activity) });
  expect(response.status).toBe(200);
  const answered = (call: ConnectorCall) =>
    call.conversationId === activity.conversation.id && (call.activityId === activity.id || (call.method === "PUT" && call.activityId === activity.replyToId));
  return cardOf(await eventually(async () => connector.calls.slice(since).find(answered), { timeoutMs: 5_000, what: "the reply" }));
}

/** Waits until the dispatcher has nothing left to send, so what a test counts is its own doing. */
async function deliveriesSettled(): Promise<void> {
  await eventually(async () => (await t.db.prisma.delivery.count({ where: { status: { in: ["queued", "sending", "retrying"] } } })) === 0, { what: "deliveries settling" });
}

const teamsSay = (user: TeamsUser, typed: string) => teamsExchange(teamsMessage(connector.url, user, typed));
const teamsPress = (user: TeamsUser, verb: string, text = "") => teamsExchange(teamsCardSubmit(connector.url, user, { ti: { kind: "button", verb, text } }));

/** What the bot answered a Slack request with: the ack's body, or what it posted to the response_url. */
async function slackAnswer(request: Promise<{ status: number; answer?: any; since: number }>): Promise<string> {
  const { status, answer, since } = await request;
  expect(status).toBe(200);
  if (answer && JSON.stringify(answer) !== '""') return JSON.stringify(answer);
  return JSON.stringify((await t.slack.waitFor("response_url", { since })).body);
}

/** Slack's answers for a modal the bot opened: the given ones, else what it shows, else a select's first option. */
function slackAnswers(view: any, answers: Record<string, string>): Record<string, string | string[] | undefined> {
  const filled: Record<string, string | string[] | undefined> = {};
  for (const block of view.blocks.filter((candidate: any) => candidate.type === "input")) {
    const element = block.element;
    const id: string = element.action_id;
    const options = element.options ?? element.option_groups?.flatMap((group: any) => group.options) ?? [];
    filled[id] = answers[id] ?? element.initial_value ?? element.initial_option?.value ?? (element.type === "static_select" && !block.optional ? options[0]?.value : undefined);
  }
  return filled;
}

/** Teams' answers for a card: the given ones, else what it shows, else a required choice's first option. */
function teamsAnswers(card: AdaptiveCard, answers: Record<string, string>): Record<string, string> {
  const filled: Record<string, string> = {};
  for (const input of cardInputs(card)) {
    const id = String(input.id);
    const choices = (input.choices as { value: string }[] | undefined) ?? [];
    filled[id] = answers[id] ?? String(input.value ?? (input.isRequired ? (choices[0]?.value ?? "") : ""));
  }
  return filled;
}

/** Proves `attempt` stored nothing, sent nobody anything, and answered with the refusal. */
async function refusedWithNothingChanged(attempt: () => Promise<string>): Promise<string> {
  await deliveriesSettled();
  const before = await rowCounts();
  const posts = t.slack.calls.filter((call) => call.method === "chat.postMessage").length;
  const proactive = connector.calls.filter((call) => !call.activityId).length;
  const answer = await attempt();
  expect(answer).toContain("Only the network's coordinators");
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(await rowCounts(), answer).toEqual(before);
  expect(t.slack.calls.filter((call) => call.method === "chat.postMessage").length).toBe(posts);
  expect(connector.calls.filter((call) => !call.activityId).length).toBe(proactive);
  return answer;
}

describe("the catalogue", () => {
  it("says who may use every verb that has a handler", () => {
    const declared = new Set(verbCatalogue.map((entry) => entry.verb));
    expect(Object.keys(commands).filter((verb) => !declared.has(verb))).toEqual([]);
    const undeclared = { ...features[0]!, name: "stray", verbs: [], commands: { stray: async () => message("Stray") }, forms: {}, memberData: [] };
    expect(() => catalogue([...features, undeclared])).toThrow(/"stray" has a handler but no verb/);
    expect(() => catalogue([...features, features[0]!])).toThrow(/declared by two features/);
  });

  it("knows every form, and every form not for anyone has a coordinator's round trip in this test", () => {
    const forms = Object.entries(formCatalogue);
    expect(forms.filter(([, form]) => form.who === "anyone").map(([verb]) => verb).sort()).toEqual(formsForAnyone);
    expect(forms.filter(([, form]) => form.who === "coordinators").map(([verb]) => verb).sort()).toEqual(Object.keys(coordinatorForms).sort());
  });
});

describe("a member sending what only coordinators may", () => {
  it("gets the kind refusal for every coordinator-only verb, typed on Slack and pressed on both platforms", async () => {
    const draft = await t.db.prisma.broadcast.create({
      data: { networkId: (await t.db.prisma.network.findFirstOrThrow()).id, text: "Draft", audience: { who: "everyone", organisations: [], sectors: [], localities: [], trainingLevels: [], platforms: ["slack", "teams"] } },
    });
    draftNumber = draft.number;
    const coordinatorVerbs = verbCatalogue.filter((entry) => entry.who === "coordinators");
    expect(coordinatorVerbs.length).toBeGreaterThan(20);
    for (const { verb } of coordinatorVerbs) {
      const args = verbArguments[verb]?.() ?? "1";
      await refusedWithNothingChanged(() => slackAnswer(slackMember.command(`${verb} ${args}`)));
      await refusedWithNothingChanged(() => slackAnswer(slackMember.press({ action_id: `ti:${verb}`, value: JSON.stringify({ verb, text: args }) })));
      await refusedWithNothingChanged(async () => cardText(await teamsPress(teamsMember, verb, args)));
    }
  }, 120_000);

  for (const [verb, { opens, answers }] of Object.entries(coordinatorForms)) {
    it(`refuses the ${verb} form from a member on Teams and on Slack, and takes it from a coordinator`, async () => {
      const card = await teamsSay(teamsCoordinator, opens);
      const submission = cardSubmission(card, teamsAnswers(card, answers));
      const refusal = await refusedWithNothingChanged(async () => cardText(await teamsExchange(teamsCardSubmit(connector.url, teamsMember, submission))));
      expect(refusal).toContain("nothing was saved or sent");

      const { since } = await slackCoordinator.command(opens);
      const modal = (await t.slack.waitFor("views.open", { since })).body.view;
      const context = JSON.parse(modal.private_metadata).context;
      const asMember = { ...modal, private_metadata: JSON.stringify({ context, responseUrl: t.slack.responseUrl() }) };
      await refusedWithNothingChanged(() => slackAnswer(slackMember.submit(asMember, slackAnswers(modal, answers))));

      // The same card data from a coordinator is carried out: the refusal was the member's, not the data's.
      const before = await rowCounts();
      const accepted = cardText(await teamsExchange(teamsCardSubmit(connector.url, teamsCoordinator, submission)));
      expect(accepted).not.toContain("Only the network's coordinators");
      expect(await rowCounts()).not.toEqual(before);
    });
  }

  it("refuses a coordinator's form sent after they were made a member (authorised when it comes back)", async () => {
    const card = await teamsSay(teamsCoordinator, "org add");
    const submission = cardSubmission(card, teamsAnswers(card, { name: "Valley Trust", sector: "voluntary_community" }));
    await t.db.prisma.member.updateMany({ where: { addresses: { some: { userId: teamsCoordinator.id } } }, data: { role: "member" } });
    try {
      await refusedWithNothingChanged(async () => cardText(await teamsExchange(teamsCardSubmit(connector.url, teamsCoordinator, submission))));
    } finally {
      await t.db.prisma.member.updateMany({ where: { addresses: { some: { userId: teamsCoordinator.id } } }, data: { role: "coordinator" } });
    }
  });
});

describe("hidden context is checked against the person sending it", () => {
  const requestOf = async (organisation: string) =>
    (await t.db.prisma.reportRequest.findFirstOrThrow({ where: { organisation: { name: organisation } }, orderBy: { cycle: { dueOn: "desc" } } })).id;

  it("refuses a report form naming another organisation's request, saving nothing", async () => {
    const champion = slackUser(t, { id: riverside[0]!.userId, name: "riverside" });
    const { since } = await champion.command("report");
    const modal = (await t.slack.waitFor("views.open", { since })).body.view;
    const metadata = JSON.parse(modal.private_metadata);
    expect(metadata.context.request).toBe(await requestOf("Riverside Housing"));
    const tampered = { ...modal, private_metadata: JSON.stringify({ ...metadata, context: { ...metadata.context, request: await requestOf("Hillside School") } }) };
    const before = await rowCounts();
    const answer = await slackAnswer(champion.submit(tampered, slackAnswers(modal, { rag: "green", summary: "All going well", action: "submit" })));
    expect(answer).toContain("isn't about Riverside Housing's report, so nothing was changed");
    expect(await rowCounts()).toEqual(before);
  });

  it("refuses a nudge's buttons naming another organisation's request, and a hand-over to another organisation's champion", async () => {
    const champion = slackUser(t, { id: riverside[0]!.userId, name: "riverside" });
    const ours = await requestOf("Riverside Housing");
    const theirs = await requestOf("Hillside School");
    const before = await rowCounts();
    const snooze = await slackAnswer(champion.press({ action_id: "ti:report snooze", value: JSON.stringify({ verb: "report snooze", text: theirs }) }));
    expect(snooze).toContain("isn't about Riverside Housing's report");
    const handed = await slackAnswer(champion.press({ action_id: "ti:report handto", value: JSON.stringify({ verb: "report handto", text: `${ours} ${hillside[0]!.memberId}` }) }));
    expect(handed).toContain("couldn't find that champion of Riverside Housing");
    expect(await rowCounts()).toEqual(before);
    expect((await t.db.prisma.reportRequest.findUniqueOrThrow({ where: { id: ours } })).assigneeId).toBeNull();
  });

  it("refuses an answer to an event the member was not invited to", async () => {
    const event = await t.db.prisma.networkEvent.findFirstOrThrow({ orderBy: { number: "desc" } });
    await t.db.prisma.eventInvitation.deleteMany({ where: { eventId: event.id, member: { addresses: { some: { userId: teamsMember.id } } } } });
    const before = await rowCounts();
    const answer = cardText(await teamsPress(teamsMember, "event rsvp", `${event.number} going`));
    expect(answer).toContain("You're not on the invitation list for Winter gathering");
    expect(await rowCounts()).toEqual(before);
  });

  it("refuses a pulse answer naming an unknown or closed round", async () => {
    const before = await rowCounts();
    expect(cardText(await teamsPress(teamsMember, "pulse answer", "999 4"))).toContain("There's no pulse question open");
    expect(await rowCounts()).toEqual(before);
  });

  it("refuses one coordinator sending, editing or discarding another's draft", async () => {
    const author = await t.db.prisma.member.findFirstOrThrow({ where: { addresses: { some: { userId: teamsCoordinator.id } } } });
    const draft = await t.db.prisma.broadcast.findFirstOrThrow({ where: { authorId: author.id, queuedAt: null, cancelledAt: null } });
    const before = await rowCounts();
    for (const verb of ["broadcast send", "broadcast discard", "broadcast edit"]) {
      const answer = await slackAnswer(slackCoordinator.press({ action_id: `ti:${verb}`, value: JSON.stringify({ verb, text: String(draft.number) }) }));
      expect(answer).toContain(`Broadcast #${draft.number} is ${author.displayName}'s, so only they can send, edit or discard it`);
    }
    expect(await rowCounts()).toEqual(before);
    expect(await t.db.prisma.delivery.count({ where: { broadcastId: draft.id } })).toBe(0);
  });

  it("makes a broadcast form naming another coordinator's draft a new draft, leaving theirs as it was", async () => {
    const author = await t.db.prisma.member.findFirstOrThrow({ where: { addresses: { some: { userId: teamsCoordinator.id } } } });
    const theirs = await t.db.prisma.broadcast.findFirstOrThrow({ where: { authorId: author.id, queuedAt: null, cancelledAt: null } });
    const { since } = await slackCoordinator.command("broadcast");
    const modal = (await t.slack.waitFor("views.open", { since })).body.view;
    const tampered = { ...modal, private_metadata: JSON.stringify({ context: { draft: String(theirs.number) }, responseUrl: t.slack.responseUrl() }) };
    const answer = await slackAnswer(slackCoordinator.submit(tampered, slackAnswers(modal, { message: "Not yours to rewrite", timing: "now" })));
    expect(answer).toContain("Preview of broadcast");
    expect(answer).not.toContain(`Preview of broadcast #${theirs.number}:`);
    expect((await t.db.prisma.broadcast.findUniqueOrThrow({ where: { id: theirs.id } })).text).toBe(theirs.text);
  });
});

describe("answers that would be thrown away are not asked for", () => {
  it("says at once that the open pulse is answered already, with when results come, instead of the form", async () => {
    expect(cardText(await teamsSay(teamsCoordinator, "pulse start"))).toMatch(/round|pulse/i);
    const round = await t.db.prisma.pulseRound.findFirstOrThrow({ where: { closedAt: null }, orderBy: { number: "desc" } });
    expect(cardInputs(await teamsSay(teamsMember, "pulse")).map((input) => input.id)).toContain("score");
    expect(cardText(await teamsPress(teamsMember, "pulse answer", `${round.number} 4`))).toContain("Your answer");
    const again = cardText(await teamsSay(teamsMember, "pulse"));
    expect(again).toContain("You've already answered this one");
    expect(again).toMatch(/When the round closes on .+, everyone who was asked hears what the network said/);
    expect(cardText(await teamsPress(teamsMember, "pulse answer", `${round.number} 2`))).toContain("You've already answered this one");
    expect(await t.db.prisma.pulseAnswer.count({ where: { roundId: round.id } })).toBe(1);
  });

  it("does not share an over-long update smuggled into the join form's context", async () => {
    const newcomer: TeamsUser = { id: "29:1newcomer", aadObjectId: "newcomer", name: "New Person", tenantId: teamsMember.tenantId };
    const card = await teamsSay(newcomer, "join");
    const submission = cardSubmission(card, teamsAnswers(card, { displayName: "New Person", newOrganisation: "Moor Trust", sector: "health" }));
    const ti = (submission as { ti: { context: Record<string, string> } }).ti;
    const smuggled = { ...submission, ti: { ...ti, context: { ...ti.context, pendingUpdate: "x".repeat(100_000) } } };
    expect(cardText(await teamsExchange(teamsCardSubmit(connector.url, newcomer, smuggled)))).toContain("Welcome to");
    expect(await t.db.prisma.update.count({ where: { author: { displayName: "New Person" } } })).toBe(0);
  });
});
