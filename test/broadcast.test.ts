// Coordinator broadcasts end to end: the form, preview and send buttons through the real Slack
// endpoint, the deliveries through the real dispatcher to fake Slack and Teams servers, then status,
// cancel and the CSV export through its signed link.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "./support/app.js";
import { eventually } from "./support/eventually.js";
import { startFakeConnector, teamsMessage, teamsUser, type FakeConnector } from "./support/fake-connector.js";
import { dmChannelFor } from "./support/fake-slack.js";
import { seedMembers, type SeededMember } from "./support/seed.js";
import { slackButtons, slackUser, type SlackUser } from "./support/slack-user.js";

let t: TestApp;
let connector: FakeConnector;
let coordinator: SlackUser;
let champions: SeededMember[];
let members: SeededMember[];

beforeAll(async () => {
  connector = await startFakeConnector();
  t = await startTestApp({ env: { TI_COORDINATORS: "slack:U0COORD", TI_SENDING_HOURS: "always" } });
  coordinator = slackUser(t, { id: "U0COORD", name: "Alex Coordinator" });
  champions = await seedMembers(t.db.prisma, {
    slack: { count: 3 },
    teams: { count: 2, serviceUrl: connector.url },
    role: "champion",
    organisation: { name: "Riverside Housing", sector: "housing", locality: "Kirklees" },
  });
  members = await seedMembers(t.db.prisma, { slack: { count: 1 }, teams: { count: 1, serviceUrl: connector.url }, role: "member" });
});

afterAll(async () => {
  await Promise.all([t?.close(), connector?.close()]);
});

const text = (value: unknown) => JSON.stringify(value);
const received = (member: SeededMember) => (member.platform === "slack" ? t.slack.postCount(member.userId) : connector.delivered(member.conversationId!));

/** Opens the broadcast form from `/ti broadcast` and returns the modal Slack was asked to open. */
async function openForm(user: SlackUser, typed = "broadcast") {
  const { status, since } = await user.command(typed);
  expect(status).toBe(200);
  return (await t.slack.waitFor("views.open", { since })).body.view;
}

/** Submits the form and returns the preview, which comes back through the command's response_url. */
async function preview(answers: Record<string, string | string[] | undefined>) {
  const modal = await openForm(coordinator);
  const { status, since } = await coordinator.submit(modal, answers);
  expect(status).toBe(200);
  const call = await t.slack.waitFor("response_url", { since, where: (candidate) => text(candidate.body).includes("Preview of broadcast") });
  return call.body;
}

function button(body: Record<string, any>, label: RegExp) {
  const found = slackButtons(body.blocks).find((candidate) => label.test(candidate.text.text));
  if (!found) throw new Error(`no button ${label} in ${text(body.blocks)}`);
  return found;
}

async function press(body: Record<string, any>, label: RegExp) {
  const { status, since } = await coordinator.press(button(body, label));
  expect(status).toBe(200);
  return (await t.slack.waitFor("response_url", { since })).body;
}

describe("broadcasts", () => {
  it("previews, then sends once to each champion on both platforms, and keeps a progress line in place", async () => {
    const body = await preview({ message: "**Network event** on 20 January. [Book a place](https://example.org/book)", who: "champions", timing: "hours" });
    expect(text(body)).toContain("5 people: 3 on Slack, 2 on Teams");
    expect(text(body)).toContain("*Network event*");
    expect(text(body)).toContain("<https://example.org/book|Book a place>");

    const sent = await press(body, /^Send to 5 people/);
    expect(text(sent)).toMatch(/on its way to 5 people/);
    await eventually(async () => champions.every((member) => received(member) === 1), { what: "every champion receiving it" });

    const slackPost = t.slack.calls.find((call) => call.method === "chat.postMessage" && call.body.channel === champions[0]!.userId)!;
    expect(text(slackPost.body.blocks)).toContain("*Network event*");
    const teamsPost = connector.calls.find((call) => call.conversationId === champions[3]!.conversationId)!;
    expect(text(teamsPost.activity.attachments)).toContain("[Book a place](https://example.org/book)");

    // The progress line is posted to the coordinator once, then replaced in place as it finishes.
    const line = await t.slack.waitFor("chat.postMessage", { where: (call) => call.body.channel === "U0COORD" });
    expect(text(line.body)).toContain("Broadcast #");
    // The fake accepts chat.update only for a message it posted, so this is the line replaced in place.
    const update = await t.slack.waitFor("chat.update", { timeoutMs: 12_000, where: (call) => text(call.body).includes("Finished: 5 of 5 sent") });
    expect(update.body.channel).toBe(dmChannelFor("U0COORD"));
    expect(t.slack.postCount("U0COORD")).toBe(1);

    // Pressing Send again changes nothing.
    const again = await press(body, /^Send to 5 people/);
    expect(text(again)).toContain("already sent");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(champions.map(received)).toEqual([1, 1, 1, 1, 1]);
    expect(members.map(received)).toEqual([0, 0]);
  });

  it("reports status by platform and exports every recipient as CSV through a signed link", async () => {
    const { answer, since } = await coordinator.command("broadcast status");
    const status = text(answer) === '""' ? (await t.slack.waitFor("response_url", { since })).body : answer;
    expect(text(status)).toContain("Finished: 5 of 5 sent");
    expect(text(status)).toContain("Slack: 3 sent");
    expect(text(status)).toContain("Teams: 2 sent");

    const exported = await coordinator.command("broadcast export");
    const reply = text(exported.answer) === '""' ? (await t.slack.waitFor("response_url", { since: exported.since })).body : exported.answer;
    const link = /<(http[^|>]+)\|/.exec(text(reply))?.[1]?.replace(/&amp;/g, "&");
    expect(link).toBeDefined();
    const csv = await fetch(link!.replace("localhost", "127.0.0.1"));
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const lines = (await csv.text()).trim().split("\n");
    expect(lines[0]).toBe("broadcast,recipient,organisation,platform,status,reason,attempts,sent_at,updated_at,acknowledgement,acknowledged_at");
    expect(lines).toHaveLength(6);
    expect(lines.slice(1).every((line) => /,Riverside Housing,(slack|teams),sent,,0,\d{4}-/.test(line))).toBe(true);

    const forged = new URL(link!.replace("localhost", "127.0.0.1"));
    forged.pathname = forged.pathname.replace(/\d+\.csv$/, "999.csv");
    expect((await fetch(forged)).status).toBe(403);
  });

  it("keeps what was typed and says what is wrong when the form is refused", async () => {
    const modal = await openForm(coordinator);
    const empty = await coordinator.submit(modal, { message: "  ", who: "everyone", timing: "hours" });
    expect(empty.answer).toMatchObject({ response_action: "errors", errors: { message: "Please write the message." } });

    const long = "a".repeat(2_001);
    const tooLong = await coordinator.submit(modal, { message: long, who: "nobody-in-particular", timing: "hours" });
    expect(tooLong.answer.response_action).toBe("errors");
    expect(tooLong.answer.errors.message).toMatch(/2,000 characters or fewer/);
    expect(tooLong.answer.errors.who).toMatch(/choose/i);
  });

  it("prefills the message typed after the command", async () => {
    const modal = await openForm(coordinator, "broadcast Office closed on Friday");
    expect(text(modal)).toContain("Office closed on Friday");
  });

  it("says so when nobody matches, and offers no Send button", async () => {
    const body = await preview({ message: "For specialists in police", who: "everyone", sectors: ["police"], timing: "now" });
    expect(text(body)).toContain("Nobody in the network matches");
    expect(slackButtons(body.blocks).map((candidate) => candidate.text.text)).toEqual(["Edit", "Discard"]);
  });

  it("refuses broadcast verbs to someone who isn't a coordinator, kindly", async () => {
    const champion = slackUser(t, { id: champions[0]!.userId, name: "Sam" });
    for (const typed of ["broadcast", "broadcast status", "broadcast cancel 1"]) {
      const { answer, since } = await champion.command(typed);
      const reply = text(answer) === '""' ? (await t.slack.waitFor("response_url", { since })).body : answer;
      expect(text(reply)).toContain("Only the network's coordinators can use");
    }
    const teamsChampion = teamsUser("Jo Teams");
    const response = await fetch(`${t.url}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(teamsMessage(connector.url, teamsChampion, "broadcast status")),
    });
    expect(response.status).toBe(200);
    const reply = await eventually(async () => connector.calls.find((call) => call.conversationId === `a:${teamsChampion.aadObjectId}`));
    expect(text(reply.activity)).toContain("Only the network");
  });
});
