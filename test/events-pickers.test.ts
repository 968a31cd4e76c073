// An event planned with the platforms' own date and time pickers, through the real endpoints: a signed
// Slack view_submission carrying datepicker and timepicker state, and a Bot Framework activity carrying
// Input.Date and Input.Time values. Both are read in the network's zone (Europe/London) on the server,
// so a January event and a July event land on the right UTC instants either side of the clock change.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AdaptiveCard, CardElement } from "../adapters/teams/render.js";
import { startTestApp, type TestApp } from "./support/app.js";
import { eventually } from "./support/eventually.js";
import { startFakeConnector, teamsCardSubmit, teamsMessage, teamsUser, type FakeConnector, type TeamsUser } from "./support/fake-connector.js";
import { slackUser, type SlackUser } from "./support/slack-user.js";
import { cardInputs, cardOf, cardSubmission, cardText, errorsUnder } from "./support/teams-card.js";

let t: TestApp;
let connector: FakeConnector;
let slackCoordinator: SlackUser;
let teamsCoordinator: TeamsUser;
// Monday 23 November 2026, 10:00 in London (GMT).
const clock = new Date("2026-11-23T10:00:00Z");

beforeAll(async () => {
  connector = await startFakeConnector();
  teamsCoordinator = teamsUser("Alex Coordinator");
  t = await startTestApp({ env: { TI_COORDINATORS: `slack:U0PICKER,teams:${teamsCoordinator.id}`, TI_SENDING_HOURS: "always", TI_TIME_ZONE: "Europe/London" }, now: () => clock });
  slackCoordinator = slackUser(t, { id: "U0PICKER", name: "Sam Coordinator" });
});

afterAll(async () => {
  await Promise.all([t?.close(), connector?.close()]);
});

const json = (value: unknown) => JSON.stringify(value);
const stored = (title: string) => t.db.prisma.networkEvent.findFirstOrThrow({ where: { title } });
const instants = async (title: string) => {
  const event = await stored(title);
  return { startsAt: event.startsAt.toISOString(), endsAt: event.endsAt.toISOString() };
};
const inputBlock = (modal: any, blockId: string) => modal.blocks.find((block: any) => block.type === "input" && block.block_id === blockId);

async function openSlackForm(typed: string) {
  const { status, since } = await slackCoordinator.command(typed);
  expect(status).toBe(200);
  return (await t.slack.waitFor("views.open", { since })).body.view;
}

async function submitOnSlack(modal: any, answers: Record<string, string>) {
  const { status, answer, since } = await slackCoordinator.submit(modal, { who: "everyone", invite: "now", location: "Taunton Library", ...answers });
  expect(status).toBe(200);
  return { answer, since };
}

async function teamsExchange(activity: { id: string }): Promise<AdaptiveCard> {
  const response = await fetch(`${t.url}/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: json(activity) });
  expect(response.status).toBe(200);
  return cardOf(await eventually(async () => connector.calls.find((call) => call.activityId === activity.id), { what: "the bot's answer on Teams" }));
}

const teamsSay = (typed: string) => teamsExchange(teamsMessage(connector.url, teamsCoordinator, typed));
const teamsFill = (card: AdaptiveCard, answers: Record<string, string>) =>
  teamsExchange(teamsCardSubmit(connector.url, teamsCoordinator, cardSubmission(card, { who: "everyone", invite: "now", location: "Halifax Town Hall", ...answers })));
const input = (card: AdaptiveCard, id: string) => cardInputs(card).find((element) => element.id === id) as CardElement;

describe("an event planned with Slack's pickers", () => {
  it("offers a datepicker and a timepicker showing the network's zone, not typed dates", async () => {
    const modal = await openSlackForm("event new");
    expect(inputBlock(modal, "starts.date").element).toMatchObject({ type: "datepicker", action_id: "starts.date" });
    expect(inputBlock(modal, "starts").element).toMatchObject({ type: "timepicker", action_id: "starts.time", timezone: "Europe/London" });
    expect(inputBlock(modal, "ends").element).toMatchObject({ type: "timepicker", action_id: "ends", timezone: "Europe/London" });
    expect(inputBlock(modal, "endsOn")).toMatchObject({ optional: true, element: { type: "datepicker" } });
    expect(inputBlock(modal, "inviteOn.date")).toMatchObject({ optional: true, element: { type: "datepicker" } });
    expect(modal.blocks.filter((block: any) => block.element?.type === "plain_text_input").map((block: any) => block.block_id)).toEqual([
      "title",
      "description",
      "location",
      "joinUrl",
      "capacity",
    ]);
  });

  it("refuses a start in the past, and one the clocks skip, beside the time", async () => {
    const modal = await openSlackForm("event new");
    const past = await submitOnSlack(modal, { title: "Too late", "starts.date": "2026-11-20", "starts.time": "09:00", ends: "12:00" });
    expect(past.answer).toEqual({ response_action: "errors", errors: { starts: "That time has already passed. Please choose a time in the future." } });
    const skipped = await submitOnSlack(modal, { title: "Clock change", "starts.date": "2027-03-28", "starts.time": "01:30", ends: "03:00" });
    expect(skipped.answer.errors.starts).toBe("The clocks go forward that night, so 01:30 doesn't happen on 28 March 2027. Please choose another time.");
    const halfPicked = await submitOnSlack(modal, { title: "Half picked", "starts.date": "2027-01-24", "starts.time": "", ends: "12:00" });
    expect(halfPicked.answer.errors).toEqual({ starts: "Please choose the time too." });
    expect(await t.db.prisma.networkEvent.count()).toBe(0);
  });

  it("puts a winter event at 10:00 GMT and a summer event at 10:00 BST, and shows them back in London time", async () => {
    const winter = await submitOnSlack(await openSlackForm("event new"), { title: "Winter gathering (Slack)", "starts.date": "2027-01-24", "starts.time": "10:00", ends: "13:00" });
    expect(winter.answer.response_action).toBeUndefined();
    await eventually(async () => (await t.db.prisma.networkEvent.count({ where: { title: "Winter gathering (Slack)" } })) === 1, { what: "the winter event saved" });
    expect(await instants("Winter gathering (Slack)")).toEqual({ startsAt: "2027-01-24T10:00:00.000Z", endsAt: "2027-01-24T13:00:00.000Z" });

    await submitOnSlack(await openSlackForm("event new"), { title: "Summer gathering (Slack)", "starts.date": "2027-07-14", "starts.time": "10:00", ends: "16:30", endsOn: "2027-07-15" });
    await eventually(async () => (await t.db.prisma.networkEvent.count({ where: { title: "Summer gathering (Slack)" } })) === 1, { what: "the summer event saved" });
    expect(await instants("Summer gathering (Slack)")).toEqual({ startsAt: "2027-07-14T09:00:00.000Z", endsAt: "2027-07-15T15:30:00.000Z" });

    const summer = await stored("Summer gathering (Slack)");
    const edit = await openSlackForm(`event edit ${summer.number}`);
    expect(inputBlock(edit, "starts.date").element.initial_date).toBe("2027-07-14");
    expect(inputBlock(edit, "starts").element.initial_time).toBe("10:00");
    expect(inputBlock(edit, "ends").element.initial_time).toBe("16:30");
    expect(inputBlock(edit, "endsOn").element.initial_date).toBe("2027-07-15");
    const winterEdit = await openSlackForm(`event edit ${(await stored("Winter gathering (Slack)")).number}`);
    expect(inputBlock(winterEdit, "starts").element.initial_time).toBe("10:00");
    expect(inputBlock(winterEdit, "endsOn").element.initial_date).toBeUndefined();
  });

  it("reads a datetimepicker's UNIX seconds as the instant picked", async () => {
    const modal = await openSlackForm("event new");
    // Slack's datetimepicker isn't what the bot draws, but a state carrying one is read as the instant it names.
    const withDateTime = { ...modal, blocks: modal.blocks.map((block: any) => (block.block_id === "inviteOn" ? { ...block, element: { type: "datetimepicker", action_id: "inviteOn" } } : block)) };
    await submitOnSlack(withDateTime, {
      title: "Invited later (Slack)",
      "starts.date": "2027-07-20",
      "starts.time": "10:00",
      ends: "12:00",
      invite: "later",
      inviteOn: String(Date.parse("2027-06-01T08:30:00Z") / 1000),
    });
    await eventually(async () => (await t.db.prisma.networkEvent.count({ where: { title: "Invited later (Slack)" } })) === 1, { what: "the event saved" });
    expect((await stored("Invited later (Slack)")).inviteAt?.toISOString()).toBe("2027-06-01T08:30:00.000Z");
  });
});

describe("an event planned with Teams' pickers", () => {
  it("offers Input.Date from today and Input.Time naming the network's zone", async () => {
    const card = await teamsSay("event new");
    expect(input(card, "starts.date")).toMatchObject({ type: "Input.Date", min: "2026-11-23", isRequired: true, errorMessage: "Please choose a date." });
    expect(input(card, "starts.time")).toMatchObject({ type: "Input.Time", label: "Starts: time, United Kingdom Time", isRequired: true });
    expect(input(card, "ends")).toMatchObject({ type: "Input.Time", label: "Ends, United Kingdom Time" });
    expect(input(card, "endsOn")).toMatchObject({ type: "Input.Date", isRequired: false, min: "2026-11-23" });
    expect(input(card, "inviteOn.date")).toMatchObject({ type: "Input.Date", isRequired: false });
    expect(cardInputs(card).find((element) => /starts|ends|invite/i.test(String(element.id)) && element.type === "Input.Text")).toBeUndefined();
  });

  it("sends a past start back with the error under the time and every value kept, pickers included", async () => {
    const card = await teamsSay("event new");
    const refused = await teamsFill(card, { title: "Too late on Teams", description: "Kept, too.", "starts.date": "2026-11-20", "starts.time": "09:00", ends: "12:00", endsOn: "2026-11-21" });
    expect(errorsUnder(refused)).toEqual({ "starts.time": "That time has already passed. Please choose a time in the future." });
    expect(Object.fromEntries(cardInputs(refused).map((element) => [element.id, element.value]))).toMatchObject({
      title: "Too late on Teams",
      description: "Kept, too.",
      "starts.date": "2026-11-20",
      "starts.time": "09:00",
      ends: "12:00",
      endsOn: "2026-11-21",
      location: "Halifax Town Hall",
    });
    expect(await t.db.prisma.networkEvent.count({ where: { title: "Too late on Teams" } })).toBe(0);
  });

  it("puts a winter event at 10:00 GMT and a summer event at 10:00 BST, and shows them back in London time", async () => {
    const winter = await teamsFill(await teamsSay("event new"), { title: "Winter gathering (Teams)", "starts.date": "2027-01-24", "starts.time": "10:00", ends: "13:00" });
    expect(cardText(winter)).toMatch(/Event #\d+ is saved/);
    expect(await instants("Winter gathering (Teams)")).toEqual({ startsAt: "2027-01-24T10:00:00.000Z", endsAt: "2027-01-24T13:00:00.000Z" });

    // Teams clients may send a time with seconds; it is read the same.
    const summer = await teamsFill(await teamsSay("event new"), { title: "Summer gathering (Teams)", "starts.date": "2027-07-14", "starts.time": "10:00:00", ends: "12:30" });
    expect(cardText(summer)).toMatch(/Event #\d+ is saved/);
    expect(await instants("Summer gathering (Teams)")).toEqual({ startsAt: "2027-07-14T09:00:00.000Z", endsAt: "2027-07-14T11:30:00.000Z" });

    const edit = await teamsSay(`event edit ${(await stored("Summer gathering (Teams)")).number}`);
    expect(input(edit, "starts.date").value).toBe("2027-07-14");
    expect(input(edit, "starts.time").value).toBe("10:00");
    expect(input(edit, "ends").value).toBe("12:30");
    expect(json(input(edit, "endsOn"))).not.toContain('"value"');
  });
});
