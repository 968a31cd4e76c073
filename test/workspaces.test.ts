// Who may be in the network: the kernel's gate on every way in, on Slack and Teams, through the real
// endpoints. A workspace seen for the first time is pending unless it is the network's first or allowed
// by configuration; coordinators are asked once and decide with signed button presses; pausing one holds
// its deliveries and resuming sends them; removing one cancels them. Each decision is audited.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { features } from "../src/core/features.js";
import { createBot } from "../src/core/kernel/create-bot.js";
import type { Address } from "../src/core/kernel/interaction.js";
import { ensureNetwork } from "../src/core/network.js";
import { slackSigningSecret, startTestApp, type TestApp } from "./support/app.js";
import { viewText } from "./support/bot.js";
import { coreContext } from "./support/core-context.js";
import { createTestDatabase, type TestDatabase } from "./support/database.js";
import { eventually } from "./support/eventually.js";
import { startFakeConnector, teamsBotAdded, teamsCardSubmit, teamsMessage, teamsUser, type FakeConnector, type TeamsUser } from "./support/fake-connector.js";
import { postToSlackEndpoint } from "./support/fake-slack.js";
import { seedMembers, type SeededMember } from "./support/seed.js";
import { modalState, slackButtons, slashCommandFields } from "./support/slack-user.js";
import { cardInputs, cardOf, cardSubmission, cardText } from "./support/teams-card.js";

const text = (value: unknown) => JSON.stringify(value);

/** Someone on Slack in a workspace of the test's choosing, through signed requests to /slack/events. */
function slackPerson(t: TestApp, team: string, person: { id: string; name: string }) {
  const post = async (form: Record<string, string>) => {
    const since = t.slack.calls.length;
    const response = await postToSlackEndpoint(t.url, form, { signingSecret: slackSigningSecret });
    const raw = await response.text();
    const answer = raw && response.headers.get("content-type")?.includes("json") ? JSON.parse(raw) : raw;
    expect(response.status).toBe(200);
    return { answer, since };
  };
  const envelope = (type: string) => ({
    type,
    team: { id: team, domain: team.toLowerCase() },
    user: { id: person.id, username: person.name, name: person.name, team_id: team },
    api_app_id: "A0TI",
    token: "legacy",
    trigger_id: `trigger-${randomUUID()}`,
  });
  /** What the bot answered: in the acknowledgement, or at the response_url. */
  const reply = async ({ answer, since }: { answer: any; since: number }) =>
    answer && typeof answer === "object" ? answer : (await t.slack.waitFor("response_url", { since })).body;
  return {
    id: person.id,
    command: (typed: string) => post({ ...slashCommandFields(person, typed, t.slack.responseUrl()), team_id: team, team_domain: team.toLowerCase() }),
    /** `/ti <typed>` answered with a message. */
    say: async (typed: string) => reply(await post({ ...slashCommandFields(person, typed, t.slack.responseUrl()), team_id: team, team_domain: team.toLowerCase() })),
    submit: (view: any, answers: Record<string, string | string[] | undefined>) =>
      post({
        payload: JSON.stringify({
          ...envelope("view_submission"),
          view: { ...view, id: view.id ?? "V0MODAL", team_id: team, state: { values: modalState(view, answers) } },
          response_urls: [],
        }),
      }),
    /** Presses a button (a signed block_actions) and returns what the bot answered at the response_url. */
    press: async (button: { action_id: string; value: string }) => {
      const sent = await post({
        payload: JSON.stringify({
          ...envelope("block_actions"),
          container: { type: "message", is_ephemeral: false },
          response_url: t.slack.responseUrl(),
          actions: [{ type: "button", action_id: button.action_id, block_id: "b", value: button.value, action_ts: "1" }],
        }),
      });
      return (await t.slack.waitFor("response_url", { since: sent.since })).body;
    },
  };
}
type SlackPerson = ReturnType<typeof slackPerson>;

function button(body: Record<string, any>, label: string, workspaceId?: string) {
  const found = slackButtons(body.blocks).find((candidate) => candidate.text.text === label && (!workspaceId || candidate.value.includes(workspaceId)));
  if (!found) throw new Error(`no button "${label}"${workspaceId ? ` for ${workspaceId}` : ""} in ${text(body.blocks)}`);
  return found;
}

/** Joins through the join modal, as the person would. */
async function join(t: TestApp, person: SlackPerson, name: string) {
  const { since } = await person.command("join");
  const modal = (await t.slack.waitFor("views.open", { since })).body.view;
  await person.submit(modal, { displayName: name, newOrganisation: "Riverside Housing", sector: "housing", locality: "Kirklees", role: "champion" });
  return eventually(async () => (await t.db.prisma.member.findFirst({ where: { displayName: name, leftAt: null }, include: { addresses: true } })) ?? undefined, { what: `${name} joining` });
}

const workspaceRow = (t: TestApp, platform: "slack" | "teams", workspaceId: string) =>
  t.db.prisma.workspace.findUnique({ where: { platform_workspaceId: { platform, workspaceId } } });

/** Slack posts to the coordinator asking about a workspace. */
const asks = (t: TestApp, workspaceId: string) =>
  t.slack.calls.filter((call) => call.method === "chat.postMessage" && call.body.channel === "U0COORD" && text(call.body).includes("would like to join") && text(call.body).includes(workspaceId));

describe("a network across workspaces, with no allow list", () => {
  let t: TestApp;
  let connector: FakeConnector;
  let coordinator: SlackPerson;
  let sam: SlackPerson;
  let pat: SlackPerson;
  let lee: SlackPerson;
  let jo: TeamsUser;
  let seededElsewhere: SeededMember[];

  beforeAll(async () => {
    connector = await startFakeConnector();
    t = await startTestApp({ env: { TI_ALLOWED_WORKSPACES: "", TI_COORDINATORS: "slack:U0COORD", TI_SENDING_HOURS: "always", TI_NETWORK_NAME: "Kirklees TI Network" } });
    coordinator = slackPerson(t, "T0TEST", { id: "U0COORD", name: "alex" });
    sam = slackPerson(t, "T0TEST", { id: "U0SAM", name: "sam" });
    pat = slackPerson(t, "T0OTHER", { id: "U0PAT", name: "pat" });
    lee = slackPerson(t, "T0OTHER", { id: "U0LEE", name: "lee" });
    jo = teamsUser("Jo Teams", "tenant-new");
  });

  afterAll(async () => {
    await Promise.all([t?.close(), connector?.close()]);
  });

  const teams = async (activity: { id: string }) => {
    const before = connector.calls.length;
    const response = await fetch(`${t.url}/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(activity) });
    expect(response.status).toBe(200);
    return eventually(async () => connector.calls.slice(before).find((call) => call.activityId === activity.id), { what: "the Teams answer" });
  };

  it("lets the first workspace in, as the one-workspace bot always did", async () => {
    const help = await coordinator.say("help");
    expect(text(help)).toContain("/ti workspaces");
    const member = await join(t, sam, "Sam Patel");
    expect(member.addresses.map((address) => address.workspaceId)).toEqual(["T0TEST"]);
    expect(await workspaceRow(t, "slack", "T0TEST")).toMatchObject({ status: "approved" });
    expect(text(await sam.say("help"))).not.toContain("/ti workspaces");
  });

  it("answers people in a second Slack workspace kindly, keeps only their address, and asks the coordinators once", async () => {
    const members = await t.db.prisma.member.count();
    const updates = await t.db.prisma.update.count();
    const opened = t.slack.calls.filter((call) => call.method === "views.open").length;
    const [patReply, leeReply] = await Promise.all([pat.say("join"), lee.say("update Ran a reflective session #safety")]);
    for (const reply of [patReply, leeReply]) {
      expect(text(reply)).toContain("This workspace hasn't been connected to Kirklees TI Network yet. A coordinator has been asked; you'll be able to join once they've said yes.");
    }
    expect(text(leeReply)).not.toContain("Ran a reflective session");
    expect(t.slack.calls.filter((call) => call.method === "views.open")).toHaveLength(opened);

    expect(await t.db.prisma.member.count()).toBe(members);
    expect(await t.db.prisma.update.count()).toBe(updates);
    const addresses = await t.db.prisma.address.findMany({ where: { workspaceId: "T0OTHER" }, orderBy: { userId: "asc" } });
    expect(addresses.map((address) => [address.userId, address.memberId])).toEqual([
      ["U0LEE", null],
      ["U0PAT", null],
    ]);
    const row = await workspaceRow(t, "slack", "T0OTHER");
    expect(row).toMatchObject({ status: "pending", decidedAt: null });
    expect(row!.askedAt).not.toBeNull();

    await eventually(async () => asks(t, "T0OTHER").length > 0, { what: "the coordinator being asked" });
    expect(text((await pat.say("me")))).toContain("hasn't been connected");
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(asks(t, "T0OTHER")).toHaveLength(1);
    expect(await t.db.prisma.delivery.count({ where: { purposeKey: `workspace-pending:${row!.id}` } })).toBe(1);
    const ask = asks(t, "T0OTHER")[0]!.body;
    expect(text(ask)).toMatch(/pat \(U0PAT\)|lee \(U0LEE\)/);
    expect(slackButtons(ask.blocks).map((candidate) => candidate.text.text)).toEqual(["Approve", "Decline"]);
    // Sam is a member, not a coordinator: nothing is asked of him.
    expect(t.slack.postCount("U0SAM")).toBe(0);
  });

  it("refuses Approve pressed by someone who isn't a coordinator", async () => {
    const approve = button(asks(t, "T0OTHER")[0]!.body, "Approve");
    const refused = await sam.press(approve);
    expect(text(refused)).toContain("Only the network's coordinators can use");
    expect(await workspaceRow(t, "slack", "T0OTHER")).toMatchObject({ status: "pending" });
    expect(await t.db.prisma.auditEntry.count({ where: { action: { startsWith: "workspace." } } })).toBe(0);
  });

  it("lets them join once a coordinator presses Approve, and tells those who tried", async () => {
    const approved = await coordinator.press(button(asks(t, "T0OTHER")[0]!.body, "Approve"));
    expect(approved.replace_original).toBe(true);
    expect(text(approved)).toContain("Approved: Slack workspace T0OTHER is in the network now");
    expect(await workspaceRow(t, "slack", "T0OTHER")).toMatchObject({ status: "approved" });
    expect(await t.db.prisma.auditEntry.findMany({ where: { action: "workspace.approve" } })).toEqual([
      expect.objectContaining({ subject: "Slack workspace T0OTHER", detail: "was pending", actorName: "alex" }),
    ]);
    await eventually(async () => t.slack.postCount("U0PAT") === 1 && t.slack.postCount("U0LEE") === 1, { what: "those who tried being told" });
    const told = t.slack.calls.find((call) => call.method === "chat.postMessage" && call.body.channel === "U0PAT")!;
    expect(text(told.body)).toContain("now connected to Kirklees TI Network");

    const member = await join(t, pat, "Pat Jones");
    expect(member.addresses.map((address) => address.workspaceId)).toEqual(["T0OTHER"]);
  });

  it("treats a Teams tenant not in the network the same way, on a message and on install", async () => {
    const members = await t.db.prisma.member.count();
    const answer = await teams(teamsMessage(connector.url, jo, "join"));
    expect(cardText(cardOf(answer))).toContain("Your organisation's Teams hasn't been connected to Kirklees TI Network yet. A coordinator has been asked");
    expect(cardInputs(cardOf(answer))).toHaveLength(0);
    const installer = teamsUser("Kim Teams", "tenant-new");
    const welcome = await teams(teamsBotAdded(connector.url, installer));
    expect(cardText(cardOf(welcome))).toContain("hasn't been connected");
    expect(cardText(cardOf(welcome))).not.toContain("Join the network");
    expect(await t.db.prisma.member.count()).toBe(members);
    expect(await workspaceRow(t, "teams", "tenant-new")).toMatchObject({ status: "pending" });
    await eventually(async () => asks(t, "tenant-new").length === 1, { what: "the coordinator being asked about the tenant" });
    expect(text(asks(t, "tenant-new")[0]!.body)).toContain("Teams tenant");
  });

  it("lets the Teams tenant in when a coordinator approves it", async () => {
    const approved = await coordinator.press(button(asks(t, "tenant-new")[0]!.body, "Approve"));
    expect(text(approved)).toContain("Approved: Teams tenant tenant-new");
    await eventually(async () => connector.delivered(`a:${jo.aadObjectId}`) === 2, { what: "Jo being told" });
    const form = cardOf(await teams(teamsMessage(connector.url, jo, "join")));
    expect(cardInputs(form).length).toBeGreaterThan(0);
    await teams(
      teamsCardSubmit(connector.url, jo, cardSubmission(form, { displayName: "Jo Teams", newOrganisation: "Kirklees Council", sector: "local_authority", locality: "Kirklees", role: "champion", trainingLevel: "skilled" })),
    );
    const member = await t.db.prisma.member.findFirstOrThrow({ where: { displayName: "Jo Teams" }, include: { addresses: true } });
    expect(member.addresses.map((address) => address.workspaceId)).toEqual(["tenant-new"]);
  });

  it("lists every workspace with its members and reachable members, as the database has them", async () => {
    seededElsewhere = await seedMembers(t.db.prisma, { slack: { count: 3, workspaceId: "T0OTHER" }, role: "champion" });
    await t.db.prisma.address.update({ where: { id: seededElsewhere[2]!.addressId }, data: { active: false } });
    const list = await coordinator.say("workspaces");
    const body = text(list);
    for (const [platform, workspaceId] of [["slack", "T0TEST"], ["slack", "T0OTHER"], ["teams", "tenant-new"]] as const) {
      const addresses = await t.db.prisma.address.findMany({ where: { platform, workspaceId, member: { leftAt: null } }, select: { memberId: true, active: true } });
      const members = new Set(addresses.map((address) => address.memberId)).size;
      const reachable = new Set(addresses.filter((address) => address.active).map((address) => address.memberId)).size;
      const line = new RegExp(`${platform === "slack" ? "Slack workspace" : "Teams tenant"} ${workspaceId}: in the network, approved [^.]+\\)\\. (\\d+) members?, (\\d+) reachable`).exec(body);
      expect(line, `${workspaceId} in ${body}`).not.toBeNull();
      expect([Number(line![1]), Number(line![2])]).toEqual([members, reachable]);
    }
    expect(body).toContain("Slack workspace T0OTHER: in the network");
    expect(body).toMatch(/Slack workspace T0OTHER[^"]*\. 4 members, 3 reachable/);
    // No Pause or Remove for the workspace the coordinator is writing from.
    expect(slackButtons(list.blocks).filter((candidate) => candidate.value.includes("T0TEST"))).toHaveLength(0);
    expect(slackButtons(list.blocks).filter((candidate) => candidate.value.includes("T0OTHER")).map((candidate) => candidate.text.text)).toEqual(["Pause", "Remove"]);
  });

  /** Sends a broadcast to everyone, now, through the form and its preview; resolves to its number. */
  async function broadcast(words: string): Promise<number> {
    const { since } = await coordinator.command("broadcast");
    const modal = (await t.slack.waitFor("views.open", { since })).body.view;
    const submitted = await coordinator.submit(modal, { message: words, who: "everyone", timing: "now" });
    const preview = (await t.slack.waitFor("response_url", { since: submitted.since, where: (call) => text(call.body).includes("Preview of broadcast") })).body;
    const send = slackButtons(preview.blocks).find((candidate) => candidate.text.text.startsWith("Send to"))!;
    expect(text(await coordinator.press(send))).toContain("on its way");
    return (await t.db.prisma.broadcast.findFirstOrThrow({ where: { text: words } })).number;
  }

  const broadcastPosts = (words: string, channel: string) =>
    t.slack.calls.filter((call) => call.method === "chat.postMessage" && call.body.channel === channel && text(call.body).includes(words)).length;

  it("holds a broadcast's deliveries to a paused workspace, and sends them when it is resumed", async () => {
    const list = await coordinator.say("workspaces");
    const paused = await coordinator.press(button(list, "Pause", "T0OTHER"));
    expect(text(paused)).toContain("Paused: nothing will be sent to Slack workspace T0OTHER");
    expect(await workspaceRow(t, "slack", "T0OTHER")).toMatchObject({ status: "paused" });
    expect(text(await pat.say("me"))).toContain("is paused here for now");

    const words = "Network event on 20 January";
    await broadcast(words);
    const elsewhere = [pat.id, ...seededElsewhere.slice(0, 2).map((member) => member.userId)];
    await eventually(async () => broadcastPosts(words, "U0SAM") === 1 && connector.calls.some((call) => text(call.activity).includes(words)), { what: "the broadcast reaching Sam and Jo" });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(elsewhere.map((userId) => broadcastPosts(words, userId))).toEqual([0, 0, 0]);
    expect(await t.db.prisma.delivery.count({ where: { workspaceId: "T0OTHER", purposeKey: { startsWith: "broadcast:" }, status: "queued" } })).toBe(3);

    const resumed = await coordinator.press(button(await coordinator.say("workspaces"), "Resume", "T0OTHER"));
    expect(text(resumed)).toContain("Resumed: Slack workspace T0OTHER is back in the network");
    await eventually(async () => elsewhere.every((userId) => broadcastPosts(words, userId) === 1), { what: "the held deliveries going out" });
    expect(await t.db.prisma.auditEntry.findMany({ where: { action: { in: ["workspace.pause", "workspace.resume"] } }, orderBy: { createdAt: "asc" }, select: { action: true, subject: true } })).toEqual([
      { action: "workspace.pause", subject: "Slack workspace T0OTHER" },
      { action: "workspace.resume", subject: "Slack workspace T0OTHER" },
    ]);
  });

  it("holds deliveries to a paused Teams tenant too, with no call to the connector", async () => {
    await coordinator.press(button(await coordinator.say("workspaces"), "Pause", "tenant-new"));
    const words = "Reflective practice session next week";
    await broadcast(words);
    await eventually(async () => broadcastPosts(words, "U0SAM") === 1, { what: "the broadcast reaching Sam" });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(connector.calls.filter((call) => text(call.activity).includes(words))).toHaveLength(0);
    await coordinator.press(button(await coordinator.say("workspaces"), "Resume", "tenant-new"));
    await eventually(async () => connector.calls.filter((call) => text(call.activity).includes(words)).length === 1, { what: "the held Teams delivery" });
  });

  it("cancels what hasn't gone when a workspace is removed, erases nothing else, and tells its people kindly", async () => {
    await coordinator.press(button(await coordinator.say("workspaces"), "Pause", "T0OTHER"));
    const words = "Training dates for the spring";
    await broadcast(words);
    const removed = await coordinator.press(button(await coordinator.say("workspaces"), "Remove", "T0OTHER"));
    expect(text(removed)).toContain("Removed: Slack workspace T0OTHER is out of the network. 3 messages not yet sent there won't be.");
    expect(await t.db.prisma.delivery.count({ where: { workspaceId: "T0OTHER", purposeKey: { startsWith: "broadcast:" }, status: "cancelled" } })).toBe(3);
    expect(await t.db.prisma.member.count({ where: { addresses: { some: { workspaceId: "T0OTHER" } }, leftAt: null } })).toBe(4);
    expect(text(await pat.say("me"))).toContain("This workspace isn't part of Kirklees TI Network");
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(broadcastPosts(words, pat.id)).toBe(0);
    expect(await t.db.prisma.auditEntry.findFirst({ where: { action: "workspace.remove" } })).toMatchObject({ subject: "Slack workspace T0OTHER", detail: "was paused; 3 messages not sent" });
  });

  it("won't let a coordinator pause or remove the workspace they write from", async () => {
    expect(text(await coordinator.say("workspace pause slack:T0TEST"))).toContain("would shut you out too");
    expect(text(await coordinator.say("workspace decline slack:T0TEST"))).toContain("would shut you out too");
    expect(text(await coordinator.say("workspace pause slack:T0NOWHERE"))).toContain("I can't find that workspace");
    expect(await workspaceRow(t, "slack", "T0TEST")).toMatchObject({ status: "approved" });
  });
});

describe("TI_ALLOWED_WORKSPACES", () => {
  let t: TestApp;
  let connector: FakeConnector;

  beforeAll(async () => {
    connector = await startFakeConnector();
    t = await startTestApp({ env: { TI_ALLOWED_WORKSPACES: "T0LISTED, tenant-listed", TI_SENDING_HOURS: "always" } });
  });

  afterAll(async () => {
    await Promise.all([t?.close(), connector?.close()]);
  });

  it("lets listed workspaces in on first sight, and no longer lets the first one in just for being first", async () => {
    const stranger = slackPerson(t, "T0UNLISTED", { id: "U0NEW", name: "new" });
    expect(text(await stranger.say("join"))).toContain("hasn't been connected");
    expect(await workspaceRow(t, "slack", "T0UNLISTED")).toMatchObject({ status: "pending" });

    const listed = slackPerson(t, "T0LISTED", { id: "U0LISTED", name: "listed" });
    await join(t, listed, "Listed Person");
    expect(await workspaceRow(t, "slack", "T0LISTED")).toMatchObject({ status: "approved" });

    const teamsPerson = teamsUser("Listed Teams", "tenant-listed");
    const response = await fetch(`${t.url}/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(teamsMessage(connector.url, teamsPerson, "join")) });
    expect(response.status).toBe(200);
    const card = cardOf(await connector.nextCall());
    expect(cardInputs(card).length).toBeGreaterThan(0);
    expect((await workspaceRow(t, "teams", "tenant-listed"))!.decidedAt).not.toBeNull();
  });
});

describe("the gate's other rules, in the core", () => {
  let db: TestDatabase;
  let network: { id: string; name: string; timeZone: string };
  const coordinatorAddress: Address = { platform: "slack", workspaceId: "T0HOME", userId: "U0BOSS", displayName: "Boss" };

  beforeAll(async () => {
    db = await createTestDatabase();
    network = await ensureNetwork(db.prisma, { name: "Test network", timeZone: "Europe/London", sendingHours: "always" });
  });

  afterAll(async () => {
    await db?.destroy();
  });

  const bot = (gate: { allowed?: string[]; ownTenant?: string; localTeams?: boolean } = {}) =>
    createBot(
      coreContext(db, network, { coordinators: [{ platform: "slack", userId: "U0BOSS" }], workspaceGate: { allowed: gate.allowed ?? [], localTeams: gate.localTeams ?? false, ...(gate.ownTenant ? { ownTenant: gate.ownTenant } : {}) } }),
      features,
    );
  const person = (platform: "slack" | "teams", workspaceId: string): Address => ({ platform, workspaceId, userId: `${platform === "slack" ? "U" : "29:"}${randomUUID().slice(0, 8)}` });

  it("approves the bot's own tenant, and the local tenant in local mode only", async () => {
    expect(viewText(await bot({ allowed: ["T0HOME"], ownTenant: "own-tenant" }).handle({ from: person("teams", "own-tenant"), verb: "help", text: "" }))).toContain("Here's what I can do");
    expect(viewText(await bot({ allowed: ["T0HOME"], localTeams: false }).handle({ from: person("teams", "local"), verb: "help", text: "" }))).toContain("hasn't been connected");
    await db.prisma.workspace.deleteMany({ where: { workspaceId: "local" } });
    expect(viewText(await bot({ allowed: ["T0HOME"], localTeams: true }).handle({ from: person("teams", "local"), verb: "help", text: "" }))).not.toContain("hasn't been connected");
    expect(await db.prisma.workspace.findMany({ where: { status: "approved" }, select: { workspaceId: true }, orderBy: { workspaceId: "asc" } })).toEqual([{ workspaceId: "local" }, { workspaceId: "own-tenant" }]);
  });

  it("always lets a configured coordinator in, approving a workspace they are the first to write from", async () => {
    const boss = bot();
    expect(viewText(await boss.handle({ from: coordinatorAddress, verb: "workspaces", text: "" }))).toContain("Workspaces and tenants");
    expect(await db.prisma.workspace.findFirst({ where: { workspaceId: "T0HOME" } })).toMatchObject({ status: "approved" });
    await db.prisma.workspace.updateMany({ where: { workspaceId: "T0HOME" }, data: { status: "declined" } });
    expect(viewText(await boss.handle({ from: coordinatorAddress, verb: "workspaces", text: "" }))).toContain("Workspaces and tenants");
    // A fresh core, as another replica would be: this one trusts the approval it read for a few seconds.
    expect(viewText(await bot().handle({ from: person("slack", "T0HOME"), verb: "help", text: "" }))).toContain("isn't part of Test network");
    await db.prisma.workspace.updateMany({ where: { workspaceId: "T0HOME" }, data: { status: "approved" } });
  });

  it("records an install with its name and asks the coordinators once; an allowed one is simply approved", async () => {
    const core = bot({ allowed: ["T0ALLOWED"] });
    await core.installed({ platform: "slack", workspaceId: "T0INSTALL", name: "Acme Charity" });
    await core.installed({ platform: "slack", workspaceId: "T0INSTALL", name: "Acme Charity" });
    const row = await db.prisma.workspace.findFirstOrThrow({ where: { workspaceId: "T0INSTALL" } });
    expect(row).toMatchObject({ status: "pending", name: "Acme Charity" });
    const asked = await db.prisma.delivery.findMany({ where: { purposeKey: `workspace-pending:${row.id}` }, include: { address: true } });
    expect(asked.map((delivery) => delivery.address.userId)).toEqual(["U0BOSS"]);
    expect(text(asked[0]!.view)).toContain("Slack workspace Acme Charity (T0INSTALL)");

    await core.installed({ platform: "slack", workspaceId: "T0ALLOWED", name: "Allowed Trust" });
    expect(await db.prisma.workspace.findFirst({ where: { workspaceId: "T0ALLOWED" } })).toMatchObject({ status: "approved", name: "Allowed Trust" });
    expect(await db.prisma.delivery.count({ where: { purposeKey: { startsWith: "workspace-pending:" } } })).toBe(1);
  });

  it("lets only one of several workspaces seen at once be the network's first", async () => {
    const fresh = await createTestDatabase();
    try {
      const freshNetwork = await ensureNetwork(fresh.prisma, { name: "Fresh network", timeZone: "Europe/London", sendingHours: "always" });
      const core = createBot(coreContext(fresh, freshNetwork, { workspaceGate: { allowed: [], localTeams: false } }), features);
      const seenAtOnce = Array.from({ length: 6 }, (_, index) => `T0AT${index}`);
      await Promise.all(seenAtOnce.map((workspaceId) => core.handle({ from: person("slack", workspaceId), verb: "help", text: "" })));
      expect(await fresh.prisma.workspace.count({ where: { status: "approved" } })).toBe(1);
      expect(await fresh.prisma.workspace.count({ where: { status: "pending" } })).toBe(5);
    } finally {
      await fresh.destroy();
    }
  });
});
