// The network's updates feed end to end, through the real Slack and Teams endpoints on a real database:
// newest first, a page at a time with Previous and Next replacing the list in place, every kind of filter
// (typed, and from the form), filters that can't be used, updates kept on a profile only, updates kept
// after their author left, and someone who hasn't joined.
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AdaptiveCard } from "../adapters/teams/render.js";
import { startTestApp, type TestApp } from "./support/app.js";
import { eventually } from "./support/eventually.js";
import { startFakeConnector, teamsCardSubmit, teamsMessage, type ConnectorCall, type FakeConnector, type TeamsUser } from "./support/fake-connector.js";
import { seedMembers, type SeededMember } from "./support/seed.js";
import { slackButtons, slackUser, type SlackUser } from "./support/slack-user.js";
import { cardElements, cardInputs, cardOf, cardSubmission, cardText } from "./support/teams-card.js";

const zone = "Europe/London";
const now = DateTime.now().setZone(zone);
const dayOf = (date: Date) => new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: zone }).format(date);

let t: TestApp;
let connector: FakeConnector;
/** Riverside Housing (housing, Kirklees): Sam on Slack, Kit on Teams, Lee on Slack (who leaves). */
let sam: SlackUser;
let kit: TeamsUser;
let lee: SlackUser;
/** Hillside School (education, Calderdale): Jo on Slack. Valley NHS Trust (health, Kirklees): Ash on Slack. */
let jo: SlackUser;
let ash: SlackUser;
/** In no organisation: Morgan on Slack (who leaves too). */
let morgan: SlackUser;
let samId: string;

/**
 * When each numbered update was shared. 1-12 this month, one a minute, in order (never in the future by
 * more than minutes, even on the 1st); 20 last month; 21, 22 in autumn 2025; 30 and 31 (whose authors
 * leave) in August 2025.
 */
const general = DateTime.max(now.startOf("month").plus({ minutes: 1 }), now.minus({ hours: 2 }));
const sharedAt: Record<number, DateTime> = {
  ...Object.fromEntries(Array.from({ length: 12 }, (_, index) => [index + 1, general.plus({ minutes: index + 1 })])),
  20: now.startOf("month").minus({ days: 5 }).set({ hour: 12 }),
  21: DateTime.fromObject({ year: 2025, month: 9, day: 15, hour: 12 }, { zone }),
  22: DateTime.fromObject({ year: 2025, month: 10, day: 15, hour: 12 }, { zone }),
  30: DateTime.fromObject({ year: 2025, month: 8, day: 10, hour: 12 }, { zone }),
  31: DateTime.fromObject({ year: 2025, month: 8, day: 9, hour: 12 }, { zone }),
};

const slackPerson = (seeded: SeededMember, name: string) => slackUser(t, { id: seeded.userId, name });
const teamsPerson = (seeded: SeededMember, name: string): TeamsUser => ({ id: seeded.userId, aadObjectId: seeded.userId.slice(4), name, tenantId: seeded.workspaceId });

/** Posts an activity and returns the card the bot answered with: a reply, or the pressed card replaced. */
async function teamsExchange(activity: { id: string; replyToId?: string; conversation: { id: string } }): Promise<{ card: AdaptiveCard; call: ConnectorCall }> {
  const since = connector.calls.length;
  const response = await fetch(`${t.url}/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(activity) });
  expect(response.status).toBe(200);
  const answered = (call: ConnectorCall) =>
    call.conversationId === activity.conversation.id && (call.activityId === activity.id || (call.method === "PUT" && call.activityId === activity.replyToId));
  const call = await eventually(async () => connector.calls.slice(since).find(answered), { timeoutMs: 5_000, what: "the Teams reply" });
  return { card: cardOf(call), call };
}
const teamsSay = async (user: TeamsUser, typed: string) => (await teamsExchange(teamsMessage(connector.url, user, typed))).card;
const teamsButton = (card: AdaptiveCard, title: string) => {
  const action = cardElements(card).find((element) => element.type === "Action.Submit" && element.title === title);
  if (!action) throw new Error(`no ${title} button in ${cardText(card)}`);
  return action.data as Record<string, unknown>;
};

/** What Slack answered: the ack's body, or else what was posted to the response_url. */
async function slackAnswer(request: Promise<{ status: number; answer?: any; since: number }>): Promise<any> {
  const { status, answer, since } = await request;
  expect(status).toBe(200);
  if (answer && typeof answer === "object") return answer;
  return (await t.slack.waitFor("response_url", { since })).body;
}
async function slackModal(person: SlackUser, typed: string): Promise<any> {
  const { status, since } = await person.command(typed);
  expect(status).toBe(200);
  return (await t.slack.waitFor("views.open", { since })).body.view;
}
/** Presses a button on a Slack message; the answer is what went to its response_url. */
async function slackPress(person: SlackUser, message: any, label: string): Promise<any> {
  const button = slackButtons(message.blocks).find((candidate) => candidate.text.text === label);
  if (!button) throw new Error(`no ${label} button in ${slackText(message)}`);
  const { status, since } = await person.press(button);
  expect(status).toBe(200);
  return (await t.slack.waitFor("response_url", { since })).body;
}
/** Every piece of text in a Block Kit message, unescaped. */
function slackText(message: any): string {
  const texts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === "object") {
      const text = (node as { text?: unknown }).text;
      if (typeof text === "string") texts.push(text);
      Object.values(node).forEach(walk);
    }
  };
  walk(message.blocks);
  return texts.join("\n").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}
const slackLabels = (message: any) => slackButtons(message.blocks).map((button) => button.text.text);
const teamsLabels = (card: AdaptiveCard) => cardElements(card).flatMap((element) => (element.type === "Action.Submit" ? [String(element.title)] : []));
/** The numbers of the updates shown, in the order shown. */
const shown = (text: string) => [...text.matchAll(/Feed item (\d+)/g)].map((match) => Number(match[1]));

async function shareFrom(person: SlackUser | TeamsUser, typed: string): Promise<void> {
  if ("command" in person) await slackAnswer(person.command(typed));
  else await teamsSay(person, typed);
}
async function backdate(number: number): Promise<void> {
  const moved = await t.db.prisma.update.updateMany({ where: { text: { startsWith: `Feed item ${number} ` } }, data: { createdAt: sharedAt[number]!.toJSDate() } });
  expect(moved.count).toBe(1);
}

beforeAll(async () => {
  connector = await startFakeConnector();
  t = await startTestApp({ env: { TI_SENDING_HOURS: "always" } });
  const prisma = t.db.prisma;
  const riverside = { name: "Riverside Housing", sector: "housing" as const, locality: "Kirklees" };
  const [samSeed, leeSeed] = await seedMembers(prisma, { slack: { count: 2 }, organisation: riverside });
  const [kitSeed] = await seedMembers(prisma, { teams: { count: 1, serviceUrl: connector.url }, organisation: riverside });
  const [joSeed] = await seedMembers(prisma, { slack: { count: 1 }, organisation: { name: "Hillside School", sector: "education", locality: "Calderdale" } });
  const [ashSeed] = await seedMembers(prisma, { slack: { count: 1 }, organisation: { name: "Valley NHS Trust", sector: "health", locality: "Kirklees" } });
  const [morganSeed] = await seedMembers(prisma, { slack: { count: 1 } });
  const names: [SeededMember, string][] = [[samSeed!, "Sam Okafor"], [leeSeed!, "Lee Marsh"], [kitSeed!, "Kit Ahmed"], [joSeed!, "Jo Penrose"], [ashSeed!, "Ash Patel"], [morganSeed!, "Morgan Hale"]];
  for (const [seeded, displayName] of names) await prisma.member.update({ where: { id: seeded.memberId }, data: { displayName } });
  samId = samSeed!.memberId;
  sam = slackPerson(samSeed!, "sam");
  lee = slackPerson(leeSeed!, "lee");
  kit = teamsPerson(kitSeed!, "Kit Ahmed");
  jo = slackPerson(joSeed!, "jo");
  ash = slackPerson(ashSeed!, "ash");
  morgan = slackPerson(morganSeed!, "morgan");

  // 1-12 in turn by Kit (Teams), Sam, Jo and Ash; #trust on 1, 6 and 11. 9 and 12 come through the update form, as reflections.
  const authors = [kit, sam, jo, ash] as const;
  for (let number = 1; number <= 12; number++) {
    const words = `Feed item ${number} ran a reflective session${[1, 6, 11].includes(number) ? " #trust" : ""}`;
    if (number === 9) {
      const modal = await slackModal(sam, "update");
      await slackAnswer(sam.submit(modal, { text: words, kind: "reflection" }));
    } else if (number === 12) {
      const form = await teamsSay(kit, "update");
      const choice = await prisma.principle.findFirstOrThrow({ where: { name: "Choice" } });
      await teamsExchange(teamsCardSubmit(connector.url, kit, cardSubmission(form, { text: words, kind: "reflection", principles: choice.id, link: "https://example.org/stories/item-12" })));
    } else {
      await shareFrom(authors[number % 4]!, `update ${words}`);
    }
    await eventually(async () => (await prisma.update.count({ where: { text: { startsWith: `Feed item ${number} ` } } })) === 1, { what: `update ${number} saved` });
    await backdate(number);
  }
  for (const [number, author] of [[20, sam], [21, jo], [22, ash]] as const) {
    await shareFrom(author, `update Feed item ${number} co-produced a leaflet #collaboration`);
    await backdate(number);
  }
  await shareFrom(lee, "update Feed item 30 trained the repairs team");
  await shareFrom(morgan, "update Feed item 31 set up a quiet room");
  await backdate(30);
  await backdate(31);
}, 120_000);

afterAll(async () => {
  await Promise.all([t?.close(), connector?.close()]);
});

describe("someone who hasn't joined", () => {
  it("is asked kindly to join first, typed or pressed, on Slack and Teams", async () => {
    const stranger = slackUser(t, { id: "U0PASSINGBY", name: "passing.by" });
    for (const typed of ["updates", "updates #safety this month"]) {
      const answer = await slackAnswer(stranger.command(typed));
      expect(slackText(answer)).toContain("you haven't joined yet");
      expect(slackLabels(answer)).toEqual(["Join the network"]);
      expect(shown(slackText(answer))).toEqual([]);
    }
    const { since } = await stranger.press({ action_id: "ti:updates page:0", value: JSON.stringify({ verb: "updates page", text: "2 older:1767225600000.x all" }) });
    expect(slackText((await t.slack.waitFor("response_url", { since })).body)).toContain("you haven't joined yet");

    const visitor: TeamsUser = { id: "29:1visitor", aadObjectId: "visitor", name: "Visitor", tenantId: kit.tenantId };
    const card = await teamsSay(visitor, "updates");
    expect(cardText(card)).toContain("you haven't joined yet");
    expect(teamsLabels(card)).toEqual(["Join the network"]);
    const form = await teamsExchange(teamsCardSubmit(connector.url, visitor, { ti: { kind: "form", verb: "updates", context: {}, multiSelect: [] }, period: "this month" }));
    expect(cardText(form.card)).toContain("you haven't joined yet");
  });
});

describe("the feed, a page at a time", () => {
  it("shows the newest first on Slack, with who, organisation, date, principles, kind and link, and pages in place", async () => {
    const first = await slackAnswer(jo.command("updates all"));
    const text = slackText(first);
    expect(shown(text)).toEqual([12, 11, 10, 9, 8]);
    expect(text).toContain(`By Kit Ahmed, Riverside Housing · ${dayOf(sharedAt[12]!.toJSDate())} · Principles: Choice · Reflection`);
    expect(text).toContain("<https://example.org/stories/item-12|example.org>");
    expect(text).toContain(`By Ash Patel, Valley NHS Trust · ${dayOf(sharedAt[11]!.toJSDate())} · Principles: Trust`);
    expect(text).toContain("Page 1.");
    expect(slackLabels(first)).toEqual(["Next", "Choose filters"]);

    const second = await slackPress(jo, first, "Next");
    expect(second.replace_original).toBe(true);
    expect(shown(slackText(second))).toEqual([7, 6, 5, 4, 3]);
    expect(slackLabels(second)).toEqual(["Previous", "Next", "Choose filters"]);
    const third = await slackPress(jo, second, "Next");
    expect(shown(slackText(third))).toEqual([2, 1, 20, 22, 21]);
    const fourth = await slackPress(jo, third, "Next");
    expect(shown(slackText(fourth))).toEqual([30, 31]);
    expect(slackText(fourth)).toContain("Page 4.");
    expect(slackLabels(fourth)).toEqual(["Previous", "Choose filters"]);

    const backToThird = await slackPress(jo, fourth, "Previous");
    expect(backToThird.replace_original).toBe(true);
    expect(shown(slackText(backToThird))).toEqual([2, 1, 20, 22, 21]);
    expect(slackText(backToThird)).toContain("Page 3.");
    const backToSecond = await slackPress(jo, backToThird, "Previous");
    expect(shown(slackText(backToSecond))).toEqual([7, 6, 5, 4, 3]);
    const backToFirst = await slackPress(jo, backToSecond, "Previous");
    expect(shown(slackText(backToFirst))).toEqual([12, 11, 10, 9, 8]);
    expect(slackLabels(backToFirst)).toEqual(["Next", "Choose filters"]);
  });

  it("pages on Teams by updating the card in place, keeping the filters", async () => {
    const first = await teamsSay(kit, "updates in:Kirklees");
    expect(shown(cardText(first))).toEqual([12, 11, 9, 8, 7]);
    expect(cardText(first)).toContain("In Kirklees. Newest first.");
    const next = await teamsExchange(teamsCardSubmit(connector.url, kit, teamsButton(first, "Next"), "1:feed-card"));
    expect(next.call).toMatchObject({ method: "PUT", activityId: "1:feed-card" });
    expect(shown(cardText(next.card))).toEqual([5, 4, 3, 1, 20]);
    expect(cardText(next.card)).toContain("In Kirklees");
    const back = await teamsExchange(teamsCardSubmit(connector.url, kit, teamsButton(next.card, "Previous"), "1:feed-card"));
    expect(back.call).toMatchObject({ method: "PUT", activityId: "1:feed-card" });
    expect(shown(cardText(back.card))).toEqual([12, 11, 9, 8, 7]);
  });

  it("shows an update kept after its author left as from a champion of their organisation, or just a champion", async () => {
    const leaving = await slackAnswer(lee.command("leave"));
    expect(slackText(await slackPress(lee, leaving, "Leave, keep my updates without my name"))).toContain("kept without your name");
    await slackAnswer(morgan.command("leave confirm keep"));
    const kept = await t.db.prisma.update.findMany({ where: { text: { startsWith: "Feed item 3" } }, select: { text: true, authorId: true } });
    expect(kept.filter((update) => /^Feed item 3[01] /.test(update.text)).every((update) => update.authorId === null)).toBe(true);

    const text = slackText(await slackAnswer(jo.command("updates since 01/08/2025 #trust")));
    expect(shown(text)).toEqual([11, 6, 1]);
    const old = slackText(await slackAnswer(jo.command("updates 01/08/2025 to 31/08/2025")));
    expect(shown(old)).toEqual([30, 31]);
    expect(old).toContain(`By a champion from Riverside Housing · ${dayOf(sharedAt[30]!.toJSDate())}`);
    expect(old).toMatch(/By a champion · 9 Aug 2025/);
    expect(old).not.toContain("Lee Marsh");
  });
});

describe("filters typed after the verb", () => {
  const feed = async (typed: string) => slackText(await slackAnswer(jo.command(`updates ${typed}`)));

  it("narrows by principle, organisation, sector, locality and kind", async () => {
    expect(shown(await feed("#trust"))).toEqual([11, 6, 1]);
    expect(await feed("#Trust")).toContain("Tagged Trust. Newest first.");
    expect(shown(await feed("org:Hillside"))).toEqual([10, 6, 2, 21]);
    expect(shown(await feed('org:"Valley NHS Trust"'))).toEqual([11, 7, 3, 22]);
    expect(shown(await feed("from Valley NHS Trust"))).toEqual([11, 7, 3, 22]);
    expect(shown(await feed("sector:health"))).toEqual([11, 7, 3, 22]);
    expect(shown(await feed("education"))).toEqual([10, 6, 2, 21]);
    expect(shown(await feed("in:Calderdale"))).toEqual([10, 6, 2, 21]);
    expect(shown(await feed("kind:reflection"))).toEqual([12, 9]);
    expect(shown(await feed("#trust sector:health"))).toEqual([11]);
    expect(await feed("org:Riverside Housing kind:reflection")).toContain("From Riverside Housing; kind: Reflection. Newest first.");
  });

  it("narrows by period in the network's time zone", async () => {
    expect(shown(await feed("this month"))).toEqual([12, 11, 10, 9, 8]);
    expect(shown(await feed("last month"))).toEqual([20]);
    expect(await feed("last month")).toContain(`Last month (${now.startOf("month").minus({ months: 1 }).toFormat("d LLL yyyy")} to`);
    expect(shown(await feed("01/09/2025 to 30/09/2025"))).toEqual([21]);
    expect(shown(await feed("#collaboration since 01/10/2025"))).toEqual([20, 22]);
    expect(shown(await feed(`#collaboration this quarter`))).toEqual(now.startOf("quarter") <= sharedAt[20]! ? [20] : []);
  });

  it("says kindly what wasn't understood, gives back everything typed, and searches nothing", async () => {
    const typed = "#wellbeing blah org:Nowhere kind:party this fortnight";
    const answer = await slackAnswer(jo.command(`updates ${typed}`));
    const text = slackText(answer);
    expect(text).toContain("#wellbeing isn't one of the network's principles (Safety, Trust, Choice, Collaboration, Empowerment, Cultural consideration).");
    expect(text).toContain('I couldn\'t find an organisation called "Nowhere" in the network.');
    expect(text).toContain('"party this fortnight" isn\'t a kind of update: Training delivered, Practice change');
    expect(text).toContain('I didn\'t understand "blah".');
    expect(text).toContain(`/ti updates ${typed}`);
    expect(shown(text)).toEqual([]);
    expect(slackLabels(answer)).toEqual(["Choose from lists", "See all updates"]);

    expect(await feed("since 31/02/2026")).toContain("has a date I can't read");
    expect(await feed("org:")).toContain("org: needs something after it, like org:Riverside.");
    expect(await feed("sector:zoo")).toContain('"zoo" isn\'t one of the sectors');
    const teams = cardText(await teamsSay(kit, "updates this month last month"));
    expect(teams).toContain('Please give one period at a time; I read "this month" and "last month".');
    expect(teams).toContain("updates this month last month");
  });
});

describe("the filter form", () => {
  it("opens on a bare `updates` on Slack, refuses a value it didn't offer, and shows the first page filtered", async () => {
    const modal = await slackModal(jo, "updates");
    expect(modal.callback_id).toBe("ti:updates");
    const ids = modal.blocks.filter((block: any) => block.type === "input").map((block: any) => block.block_id);
    expect(ids).toEqual(["principle", "organisation", "sector", "locality", "kind", "period"]);
    expect(modal.blocks.filter((block: any) => block.type === "input").every((block: any) => block.optional)).toBe(true);

    const refused = await jo.submit(modal, { sector: "aviation", period: "next century" });
    expect(refused.answer).toEqual({ response_action: "errors", errors: { sector: "Please choose from the list.", period: "Please choose from the list." } });

    const hillside = await t.db.prisma.organisation.findFirstOrThrow({ where: { name: "Hillside School" } });
    const { status, since } = await jo.submit(modal, { organisation: hillside.id, period: "this month" });
    expect(status).toBe(200);
    const answer = (await t.slack.waitFor("response_url", { since })).body;
    const text = slackText(answer);
    expect(shown(text)).toEqual([10, 6, 2]);
    expect(text).toContain('To see these again, type /ti updates org:"Hillside School" this month');
  });

  it("works the same on Teams, and its Next keeps what was chosen", async () => {
    const form = await teamsSay(kit, "updates");
    expect(cardInputs(form).map((input) => input.id)).toEqual(["principle", "organisation", "sector", "locality", "kind", "period"]);
    const refused = await teamsExchange(teamsCardSubmit(connector.url, kit, cardSubmission(form, { kind: "party" })));
    expect(cardText(refused.card)).toContain("Please choose from the list.");

    const answer = await teamsExchange(teamsCardSubmit(connector.url, kit, cardSubmission(form, { locality: "Kirklees" })));
    expect(shown(cardText(answer.card))).toEqual([12, 11, 9, 8, 7]);
    const next = await teamsExchange(teamsCardSubmit(connector.url, kit, teamsButton(answer.card, "Next"), "1:from-form"));
    expect(shown(cardText(next.card))).toEqual([5, 4, 3, 1, 20]);
  });
});

describe("an update kept on its author's profile", () => {
  it("never reaches anyone else's feed, but is in its author's feed, `me` and mydata", async () => {
    const modal = await slackModal(sam, "update");
    const sharing = modal.blocks.find((block: any) => block.block_id === "sharing");
    expect(sharing.element.options.map((option: any) => option.text.text)).toEqual(["Everyone in the network", "Only me, on my profile: don't share it beyond that"]);
    const { since } = await sam.submit(modal, { text: "Feed item 40 a private reflection on a hard week #safety", sharing: "profile" });
    expect(slackText((await t.slack.waitFor("response_url", { since })).body)).toContain("Only you, on your profile");
    const stored = await t.db.prisma.update.findFirstOrThrow({ where: { text: { startsWith: "Feed item 40 " } } });
    expect(stored.sharedWithNetwork).toBe(false);

    for (const typed of ["updates all", "updates #safety", "updates org:Riverside", "updates this month"]) expect(shown(slackText(await slackAnswer(jo.command(typed))))).not.toContain(40);
    expect(shown(cardText(await teamsSay(kit, "updates all")))).not.toContain(40);

    const own = slackText(await slackAnswer(sam.command("updates #safety")));
    expect(shown(own)).toEqual([40]);
    expect(own).toContain("Only on your profile: nobody else sees it here");
    expect(slackText(await slackAnswer(sam.command("me")))).toContain("Feed item 40 a private reflection");

    const mydata = JSON.stringify(await slackAnswer(sam.command("mydata")));
    const link = /(https?:\/\/[^|>\s"]+\/downloads\/mydata\/[^|>\s"]+)/.exec(mydata)?.[1];
    expect(link).toContain(`/downloads/mydata/${samId}.json`);
    const file = (await (await fetch(link!.replace(/&amp;/g, "&").replace("localhost", "127.0.0.1"))).json()) as { updates: { text: string; sharedWithNetwork: boolean }[] };
    expect(file.updates.map((update) => [shown(update.text)[0], update.sharedWithNetwork])).toEqual([
      [20, true],
      [1, true],
      [5, true],
      [9, true],
      [40, false],
    ]);
  });
});
