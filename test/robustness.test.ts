// Nothing a request carries stops the bot: bodies it can't read (each one that once failed is named),
// bodies too large or nested too deep, forged and replayed requests, and a person sending commands
// faster than anyone types. After each, /healthz answers and a normal update is still saved.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, slackSigningSecret, type TestApp } from "./support/app.js";
import { signSlackRequest, postToSlackEndpoint } from "./support/fake-slack.js";
import { startFakeConnector, teamsMessage, teamsUser, type FakeConnector } from "./support/fake-connector.js";
import { seedMembers } from "./support/seed.js";
import { slashCommandFields, slackUser, type SlackUser } from "./support/slack-user.js";

let t: TestApp;
let connector: FakeConnector;
let sam: SlackUser;
let coordinator: SlackUser;

beforeAll(async () => {
  [t, connector] = await Promise.all([startTestApp({ env: { TI_COMMANDS_PER_MINUTE: "30" } }), startFakeConnector()]);
  const [member] = await seedMembers(t.db.prisma, { slack: { count: 1 }, role: "champion", organisation: { name: "Riverside Housing", sector: "housing" } });
  const [lead] = await seedMembers(t.db.prisma, { slack: { count: 1 }, role: "coordinator" });
  sam = slackUser(t, { id: member!.userId, name: "sam" });
  coordinator = slackUser(t, { id: lead!.userId, name: "alex" });
});

afterAll(async () => {
  await Promise.all([t?.close(), connector?.close()]);
});

/** A body signed as Slack signs it, posted with the content type given. */
function postSigned(body: string, contentType = "application/x-www-form-urlencoded", timestamp?: number): Promise<Response> {
  return fetch(`${t.url}/slack/events`, { method: "POST", headers: { "content-type": contentType, ...signSlackRequest(body, slackSigningSecret, timestamp) }, body });
}

const postTeams = (body: string) => fetch(`${t.url}/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body });

/** The bot still serves: healthy, and a person's update is saved. */
async function stillServing(): Promise<void> {
  expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
  const before = await t.db.prisma.update.count();
  const { status, answer } = await sam.command(`update Still here ${before} #safety`);
  expect(status).toBe(200);
  expect(JSON.stringify(answer)).toContain("Your update is saved");
  expect(await t.db.prisma.update.count()).toBe(before + 1);
}

describe("bodies the bot can't read", () => {
  // `payload=null` killed the process before: Bolt read `null.ssl_check` in a promise nothing awaited.
  it.each([
    ["payload=null", "null"],
    ["a number", "5"],
    ["a list", "[1,2]"],
    ["a string", '"view_submission"'],
    ["not JSON", "{oops"],
  ])("answers a signed Slack interaction whose payload is %s with 400, and keeps serving", async (_name, payload) => {
    const response = await postSigned(new URLSearchParams({ payload }).toString());
    expect(response.status).toBe(400);
    expect(response.headers.get("x-request-id")).toBeTruthy();
    await stillServing();
  });

  it("answers a signed Events API body that is JSON null, or not an object, with 400", async () => {
    for (const body of ["null", "[]", "true"]) expect((await postSigned(body, "application/json")).status).toBe(400);
    await stillServing();
  });

  it("answers bodies over a megabyte with 413 on both endpoints, without reading them", async () => {
    const huge = new URLSearchParams({ payload: JSON.stringify({ type: "block_actions", text: "x".repeat(1_100_000) }) }).toString();
    expect((await postSigned(huge)).status).toBe(413);
    expect((await postTeams(JSON.stringify({ type: "message", text: "x".repeat(1_100_000) }))).status).toBe(413);
    await stillServing();
  });

  it("answers JSON nested thousands deep with 400 on both endpoints", async () => {
    const deep = `${"[".repeat(5_000)}${"]".repeat(5_000)}`;
    expect((await postSigned(new URLSearchParams({ payload: `{"type":"block_actions","actions":${deep}}` }).toString())).status).toBe(400);
    const activity = teamsMessage(connector.url, teamsUser("Kit"), "help");
    expect((await postTeams(JSON.stringify(activity).replace('"text":"help"', `"text":"help","value":${deep}`))).status).toBe(400);
    await stillServing();
  });

  it("refuses forged and replayed Slack requests with 401", async () => {
    const form = { command: "/ti", text: "update forged", team_id: "T0TEST", user_id: "U0FORGED", trigger_id: "t", response_url: t.slack.responseUrl() };
    expect((await postToSlackEndpoint(t.url, form, { signingSecret: "not-the-secret" })).status).toBe(401);
    const tenMinutesAgo = Math.floor(Date.now() / 1000) - 600;
    expect((await postToSlackEndpoint(t.url, form, { signingSecret: slackSigningSecret, timestamp: tenMinutesAgo })).status).toBe(401);
    expect(await t.db.prisma.update.count({ where: { text: "forged" } })).toBe(0);
    await stillServing();
  });
});

describe("Slack requests that aren't the bot's, or are out of date", () => {
  it("tells someone pressing an unreadable ti: button that it is out of date", async () => {
    const { status, since } = await sam.press({ action_id: "ti:old", value: "not the bot's JSON" });
    expect(status).toBe(200);
    const reply = await t.slack.waitFor("response_url", { since });
    expect(JSON.stringify(reply.body)).toContain("Sorry, that button is out of date. Type /ti help");
  });

  it("answers a slash command other than /ti at once, saying which one it answers", async () => {
    const form = { ...slashCommandFields(sam.person, "update hello", t.slack.responseUrl()), command: "/standup" };
    const response = await postToSlackEndpoint(t.url, form, { signingSecret: slackSigningSecret });
    expect(response.status).toBe(200);
    expect(JSON.stringify(await response.json())).toContain("I only answer /ti, not /standup");
  });

  it("acknowledges a button and a modal that aren't the bot's without doing anything", async () => {
    const envelope = { team: { id: "T0TEST" }, user: { id: sam.person.id, team_id: "T0TEST" }, api_app_id: "A0TI", trigger_id: "trigger-x" };
    const before = await t.db.prisma.update.count();
    const button = { ...envelope, type: "block_actions", response_url: t.slack.responseUrl(), actions: [{ type: "button", action_id: "someone-elses", value: "x", action_ts: "1" }] };
    const modal = { ...envelope, type: "view_submission", view: { id: "V1", callback_id: "someone-elses", private_metadata: "", state: { values: {} } } };
    for (const payload of [button, modal]) {
      const response = await postToSlackEndpoint(t.url, { payload: JSON.stringify(payload) }, { signingSecret: slackSigningSecret });
      expect(response.status).toBe(200);
    }
    expect(await t.db.prisma.update.count()).toBe(before);
  });
});

describe("pacing", () => {
  it("asks someone sending more than 30 commands a minute to slow down, giving back what they sent, and does nothing", async () => {
    const pacer = slackUser(t, { id: "U0PACER", name: "pat" });
    for (let sent = 0; sent < 30; sent++) expect(JSON.stringify((await pacer.command("principles")).answer)).not.toContain("slow down");
    const { answer } = await pacer.command("update A workshop with 20 housing staff #safety");
    const reply = JSON.stringify(answer);
    expect(reply).toContain("Please slow down a little");
    expect(reply).toContain("You sent: /ti update A workshop with 20 housing staff #safety");
    expect(await t.db.prisma.update.count({ where: { text: { contains: "A workshop with 20 housing staff" } } })).toBe(0);
  });

  it("leaves coordinators' bulk actions alone", async () => {
    for (let sent = 0; sent < 40; sent++) expect(JSON.stringify((await coordinator.command("broadcast status")).answer)).not.toContain("slow down");
  });
});
