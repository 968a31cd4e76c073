// Slack installed in many workspaces (OAuth): "Add to Slack" through /slack/install and the redirect, each
// workspace's token sealed in the database, and every Slack call made with the token of the workspace
// it is for. Real endpoints, real database, correctly signed requests; only Slack itself is faked.
import { execFile } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { createSlackInstallations, workspaceTokens } from "../adapters/slack/installation-store.js";
import { createSlackOutbound, slackOutboundClient } from "../adapters/slack/send.js";
import { ConfigError, loadConfig } from "../src/config.js";
import { message, text } from "../src/core/kernel/view.js";
import { createLogger } from "../src/log.js";
import { parseEncryptionKey } from "../src/secrets/encryption-key.js";
import { resealInstallations } from "../src/secrets/reseal-installations.js";
import { createSealer } from "../src/secrets/seal.js";
import { slackSigningSecret, startTestApp, type TestApp } from "./support/app.js";
import { usingPostgres } from "./support/database.js";
import { eventually } from "./support/eventually.js";
import { postToSlackEndpoint, signSlackRequest, type FakeWorkspace, type SlackCall } from "./support/fake-slack.js";
import { startBot, stopBot } from "./support/process.js";
import { seedMembers, type SeededMember } from "./support/seed.js";
import { modalState, slackButtons, slashCommandFields } from "./support/slack-user.js";

const north: FakeWorkspace = { teamId: "T0NORTH", teamName: "North Charity" };
const south: FakeWorkspace = { teamId: "T0SOUTH", teamName: "South Social Enterprise" };
const east: FakeWorkspace = { teamId: "T0EAST", teamName: "East Youth Trust" };
const west: FakeWorkspace = { teamId: "T0WEST", teamName: "West Carers" };
const key = randomBytes(32).toString("base64");
const env = {
  SLACK_BOT_TOKEN: "",
  SLACK_CLIENT_ID: "1234.5678",
  SLACK_CLIENT_SECRET: "client-secret-for-tests",
  TI_ENCRYPTION_KEY: key,
  TI_COORDINATORS: "slack:U0COORD",
  TI_SENDING_HOURS: "always",
  TI_ALLOWED_WORKSPACES: "T0NORTH,T0SOUTH,T0EAST,T0WEST",
  TI_PUBLIC_URL: "https://ti.example.org",
};
const stateCookie = "slack-app-oauth-state";
const execFileAsync = promisify(execFile);

let t: TestApp;
const tokens = new Map<string, string>();
let northMembers: SeededMember[];
let southMembers: SeededMember[];

beforeAll(async () => {
  t = await startTestApp({ env });
  const organisation = { name: "Charities Together", sector: "voluntary_community" as const };
  northMembers = await seedMembers(t.db.prisma, { slack: { count: 2, workspaceId: north.teamId }, role: "champion", organisation });
  southMembers = await seedMembers(t.db.prisma, { slack: { count: 2, workspaceId: south.teamId }, role: "champion", organisation });
});

afterAll(async () => {
  await t?.close();
});

const json = (value: unknown) => JSON.stringify(value);

/** Opens the install page as a browser does: the Add to Slack link, and the state cookie it set. */
async function openInstallPage(app: TestApp = t) {
  const page = await fetch(`${app.url}/slack/install`);
  const html = await page.text();
  const href = /<a class="add" href="([^"]+)"/.exec(html)?.[1]?.replace(/&#38;/g, "&");
  if (!href) throw new Error(`no Add to Slack link in ${html}`);
  const link = new URL(href);
  const cookie = /slack-app-oauth-state=([^;]+)/.exec(page.headers.get("set-cookie") ?? "")?.[1];
  return { page, html, link, state: link.searchParams.get("state")!, cookie };
}

/** Slack sending the browser back after Allow (or Cancel), with the cookie the install page set. */
function redirect(query: Record<string, string>, cookie: string | undefined, app: TestApp = t) {
  return fetch(`${app.url}/slack/oauth_redirect?${new URLSearchParams(query)}`, { headers: cookie ? { cookie: `${stateCookie}=${cookie}` } : {} });
}

/** The whole install: page, consent on Slack's side, redirect. */
async function install(workspace: FakeWorkspace, { startOn = t, finishOn = t }: { startOn?: TestApp; finishOn?: TestApp } = {}) {
  const { state, cookie } = await openInstallPage(startOn);
  const { code, botToken } = t.slack.grantInstall(workspace);
  const done = await redirect({ code, state }, cookie, finishOn);
  tokens.set(workspace.teamId, botToken);
  return { done, body: await done.text(), botToken, state, cookie };
}

/** A person typing `/ti <text>` in their own workspace, signed as Slack signs it. */
async function command(workspace: FakeWorkspace, userId: string, typed: string, app: TestApp = t) {
  const fields = { ...slashCommandFields({ id: userId, name: userId.toLowerCase() }, typed, t.slack.responseUrl()), team_id: workspace.teamId, team_domain: workspace.teamId.toLowerCase() };
  const since = t.slack.calls.length;
  const response = await postToSlackEndpoint(app.url, fields, { signingSecret: slackSigningSecret });
  const raw = await response.text();
  return { status: response.status, answer: raw && response.headers.get("content-type")?.includes("json") ? JSON.parse(raw) : raw, since };
}

/** A modal submitted or a button pressed, from a person in `workspace`. */
async function interact(workspace: FakeWorkspace, userId: string, payload: Record<string, unknown>) {
  const team = { id: workspace.teamId, domain: workspace.teamId.toLowerCase() };
  const since = t.slack.calls.length;
  const body = { team, user: { id: userId, username: userId, name: userId, team_id: team.id }, api_app_id: "A0TI", token: "legacy", trigger_id: `trigger-${randomUUID()}`, ...payload };
  const response = await postToSlackEndpoint(t.url, { payload: JSON.stringify(body) }, { signingSecret: slackSigningSecret });
  return { status: response.status, since };
}

/** An Events API callback, signed: the app removed from a workspace. */
function uninstalled(workspace: FakeWorkspace) {
  const body = JSON.stringify({
    token: "legacy",
    team_id: workspace.teamId,
    api_app_id: "A0TI",
    event: { type: "app_uninstalled", event_ts: `${Math.floor(Date.now() / 1000)}.000100` },
    type: "event_callback",
    event_id: `Ev${randomUUID().replace(/-/g, "").slice(0, 10).toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: workspace.teamId, user_id: `U0BOT${workspace.teamId}`, is_bot: true, is_enterprise_install: false }],
  });
  return fetch(`${t.url}/slack/events`, { method: "POST", headers: { "content-type": "application/json", ...signSlackRequest(body, slackSigningSecret) }, body });
}

/** The coordinator (in the north workspace) announces `message` to every champion, now: form, preview, Send. */
async function broadcast(message: string) {
  const opened = await command(north, "U0COORD", "broadcast");
  const modal = await t.slack.waitFor("views.open", { since: opened.since });
  const view = modal.body.view;
  const submitted = await interact(north, "U0COORD", {
    type: "view_submission",
    view: { ...view, id: "V0BROADCAST", team_id: north.teamId, state: { values: modalState(view, { message, who: "champions", timing: "now" }) } },
    response_urls: [],
  });
  const preview = await t.slack.waitFor("response_url", { since: submitted.since, where: (call) => json(call.body).includes("Preview of broadcast") });
  const send = slackButtons(preview.body.blocks).find((button) => /^Send to/.test(button.text.text))!;
  await interact(north, "U0COORD", {
    type: "block_actions",
    container: { type: "message", is_ephemeral: true },
    response_url: t.slack.responseUrl(),
    actions: [{ type: "button", action_id: send.action_id, block_id: "b", value: send.value, text: send.text, action_ts: "1" }],
  });
  return modal;
}

const postsTo = (member: SeededMember, message: string) =>
  t.slack.calls.filter((call) => call.method === "chat.postMessage" && call.body.channel === member.userId && json(call.body).includes(message));

const sealedColumn = async () => (await t.db.prisma.$queryRaw<{ installKey: string; sealed: string }[]>`SELECT "installKey", "sealed" FROM "SlackInstallation" ORDER BY "installKey"`);

describe("installing Slack in many workspaces", () => {
  it("shows what the bot does and keeps, with an Add to Slack link for the manifest's scopes and a state cookie", async () => {
    const { page, html, link, state, cookie } = await openInstallPage();
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(html).toContain('<html lang="en-GB">');
    expect(html).toMatch(/<h1>Add TI Champions to your Slack workspace<\/h1>/);
    expect(html).toMatch(/What it keeps/);
    expect(html).toMatch(/stored encrypted/);
    expect(link.searchParams.get("client_id")).toBe(env.SLACK_CLIENT_ID);
    expect(link.searchParams.get("redirect_uri")).toBe("https://ti.example.org/slack/oauth_redirect");
    const manifest = parseYaml(readFileSync("manifests/slack/manifest.yaml", "utf8"));
    expect(link.searchParams.get("scope")!.split(",").sort()).toEqual([...manifest.oauth_config.scopes.bot].sort());
    expect(manifest.oauth_config.redirect_urls).toEqual(["https://YOUR-HOST/slack/oauth_redirect"]);
    expect(state).toMatch(/^[\w-]{20,}$/);
    expect(cookie).toBe(state);
    expect(await t.db.prisma.slackOAuthState.count({ where: { id: state } })).toBe(1);
  });

  it("installs two workspaces, each sealed in the database and never in plain text", async () => {
    const first = await install(north);
    expect(first.done.status).toBe(200);
    expect(first.body).toContain("TI Champions is now in North Charity");
    expect(first.done.headers.get("set-cookie")).toMatch(/slack-app-oauth-state=deleted/);
    const second = await install(south);
    expect(second.done.status).toBe(200);
    expect(second.botToken).not.toBe(first.botToken);

    const exchange = t.slack.calls.filter((call) => call.method === "oauth.v2.access");
    expect(exchange).toHaveLength(2);
    expect(exchange[0]!.body).toMatchObject({ client_id: env.SLACK_CLIENT_ID, client_secret: env.SLACK_CLIENT_SECRET, redirect_uri: "https://ti.example.org/slack/oauth_redirect" });

    const rows = await t.db.prisma.slackInstallation.findMany({ orderBy: { installKey: "asc" } });
    expect(rows.map((row) => [row.installKey, row.teamName, row.botUserId, row.scopes])).toEqual([
      ["T0NORTH", "North Charity", "U0BOTT0NORTH", "commands,chat:write,im:write,im:history"],
      ["T0SOUTH", "South Social Enterprise", "U0BOTT0SOUTH", "commands,chat:write,im:write,im:history"],
    ]);
    for (const row of await sealedColumn()) {
      expect(row.sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+\.[\w-]+$/);
      expect(row.sealed).not.toContain("xoxb");
      expect(Buffer.from(row.sealed.split(".")[4]!, "base64url").toString("latin1")).not.toContain("xoxb");
    }
    expect(json(rows)).not.toContain(first.botToken);
    expect(json(rows)).not.toContain(second.botToken);
  });

  it("answers each workspace's slash command with that workspace's token", async () => {
    const modal = await broadcast("First news for both workspaces");
    expect(modal.authorization).toBe(tokens.get(north.teamId));
    const joined = await command(south, southMembers[0]!.userId, "join");
    expect(joined.status).toBe(200);
    const form = await t.slack.waitFor("views.open", { since: joined.since });
    expect(form.authorization).toBe(tokens.get(south.teamId));
  });

  it("sends a broadcast to members of both workspaces, each message with its own workspace's token", async () => {
    await eventually(async () => [...northMembers, ...southMembers].every((member) => postsTo(member, "First news").length === 1), { what: "both workspaces receiving it" });
    for (const member of northMembers) expect(postsTo(member, "First news")[0]!.authorization).toBe(tokens.get(north.teamId));
    for (const member of southMembers) expect(postsTo(member, "First news")[0]!.authorization).toBe(tokens.get(south.teamId));
    // The coordinator's progress line, in the north workspace, and its updates in place.
    const progress = await t.slack.waitFor("chat.postMessage", { where: (call) => call.body.channel === "U0COORD" });
    expect(progress.authorization).toBe(tokens.get(north.teamId));
    const update = await t.slack.waitFor("chat.update", { timeoutMs: 12_000, where: (call) => json(call.body).includes("Finished") });
    expect(update.authorization).toBe(tokens.get(north.teamId));
  });

  it("forgets a workspace that removes the app: its installation goes, and the next broadcast reaches only the other", async () => {
    expect((await uninstalled(south)).status).toBe(200);
    await eventually(async () => (await t.db.prisma.slackInstallation.count({ where: { installKey: south.teamId } })) === 0, { what: "the south installation deleted" });
    await eventually(async () => (await t.db.prisma.address.findMany({ where: { workspaceId: south.teamId } })).every((address) => !address.active), { what: "south addresses unreachable" });

    await broadcast("Second news, north only");
    await eventually(async () => northMembers.every((member) => postsTo(member, "Second news").length === 1), { what: "the north workspace receiving it" });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(southMembers.flatMap((member) => postsTo(member, "Second news"))).toEqual([]);
    expect(t.slack.calls.filter((call) => call.authorization === tokens.get(south.teamId) && json(call.body).includes("Second news"))).toEqual([]);
  });

  it("takes a workspace back when it installs again: people there are reached with the new token once they use the bot", async () => {
    const oldToken = tokens.get(south.teamId);
    const again = await install(south);
    expect(again.done.status).toBe(200);
    expect(again.botToken).not.toBe(oldToken);
    const back = southMembers[0]!;
    const seen = await command(south, back.userId, "help");
    expect(seen.status).toBe(200);
    await broadcast("Third news, welcome back");
    await eventually(async () => postsTo(back, "Third news").length === 1, { what: "the returning member receiving it" });
    expect(postsTo(back, "Third news")[0]!.authorization).toBe(again.botToken);
  });
});

describe("a token replaced while cached", () => {
  it("is read again when Slack refuses the cached one, and the message goes with the new token", async () => {
    // This process's own view of the installations, as another replica of the bot has it.
    const installations = createSlackInstallations(t.db.prisma, createSealer({ current: parseEncryptionKey(env.TI_ENCRYPTION_KEY) }));
    const outbound = createSlackOutbound(slackOutboundClient(undefined, { slackApiUrl: t.slack.url, timeout: 5000 }), createLogger("silent"), workspaceTokens(installations));
    const member = northMembers[0]!;
    const target = { platform: "slack" as const, workspaceId: north.teamId, userId: member.userId, conversationRef: null };
    const before = tokens.get(north.teamId)!;
    expect(await workspaceTokens(installations).tokenFor(north.teamId)).toBe(before);

    // Removed and installed again, handled by the bot (another replica as far as `installations` knows).
    t.slack.revoke(before);
    const again = await install(north);
    expect(again.done.status).toBe(200);

    const since = t.slack.calls.length;
    const outcome = await outbound.send(target, message("Hello again", text("Hello again")));
    expect(outcome.status).toBe("sent");
    const posts = t.slack.calls.slice(since).filter((call) => call.method === "chat.postMessage" && call.body.channel === member.userId);
    expect(posts.map((call) => call.authorization)).toEqual([before, again.botToken]);

    expect(await outbound.send({ ...target, workspaceId: "T0NEVER" }, message("Hello", text("Hello")))).toEqual({ status: "gone", reason: "not_installed" });
  });
});

describe("install pages when something is not right", () => {
  it("refuses a tampered state with a clear page, and installs nothing", async () => {
    const { state, cookie } = await openInstallPage();
    const { code } = t.slack.grantInstall(east);
    const tampered = await redirect({ code, state: `${state.slice(0, -2)}xy` }, cookie);
    expect(tampered.status).toBe(400);
    expect(await tampered.text()).toContain("This install link can't be used");
    const forged = await redirect({ code, state: "made-up-state-value-123456" }, "made-up-state-value-123456");
    expect(forged.status).toBe(400);
    const cookieless = await redirect({ code, state }, undefined);
    expect(cookieless.status).toBe(400);
    expect(await t.db.prisma.slackInstallation.count({ where: { installKey: east.teamId } })).toBe(0);
  });

  it("refuses a replayed state: each one finishes one install", async () => {
    const first = await install(east);
    expect(first.done.status).toBe(200);
    const { code } = t.slack.grantInstall(east);
    const replayed = await redirect({ code, state: first.state }, first.cookie);
    expect(replayed.status).toBe(400);
    expect(await replayed.text()).toContain("used already");
  });

  it("refuses an expired state", async () => {
    const { state, cookie } = await openInstallPage();
    await t.db.prisma.slackOAuthState.update({ where: { id: state }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const { code } = t.slack.grantInstall(east);
    const late = await redirect({ code, state }, cookie);
    expect(late.status).toBe(400);
    expect(await late.text()).toContain("expired");
  });

  it("says kindly that nothing was installed when the person cancels on Slack's page", async () => {
    const { state, cookie } = await openInstallPage();
    const cancelled = await redirect({ error: "access_denied", state }, cookie);
    expect(cancelled.status).toBe(200);
    const body = await cancelled.text();
    expect(body).toContain("<h1>Nothing was installed</h1>");
    expect(body).toContain('href="/slack/install"');
  });

  it("answers only GET on the install pages", async () => {
    expect((await fetch(`${t.url}/slack/install`, { method: "POST" })).status).toBe(405);
    expect((await fetch(`${t.url}/slack/installer`)).status).toBe(404);
  });
});

describe("the encryption key", () => {
  it("is required to install in many workspaces, and can't be mixed with SLACK_BOT_TOKEN", () => {
    const oauth = { SLACK_CLIENT_ID: "1.2", SLACK_CLIENT_SECRET: "s", SLACK_SIGNING_SECRET: "x" };
    expect(() => loadConfig(oauth)).toThrow(ConfigError);
    expect(() => loadConfig(oauth)).toThrow(/TI_ENCRYPTION_KEY: is needed.*openssl rand -base64 32/);
    expect(() => loadConfig({ ...oauth, TI_ENCRYPTION_KEY: "too-short" })).toThrow(/TI_ENCRYPTION_KEY: should be 32 random bytes/);
    expect(() => loadConfig({ ...oauth, TI_ENCRYPTION_KEY: key, SLACK_BOT_TOKEN: "xoxb-one" })).toThrow(/SLACK_BOT_TOKEN: must be unset when SLACK_CLIENT_ID is set/);
    expect(() => loadConfig({ SLACK_CLIENT_ID: "1.2", TI_ENCRYPTION_KEY: key, SLACK_SIGNING_SECRET: "x" })).toThrow(/SLACK_CLIENT_SECRET/);
    expect(loadConfig({ ...oauth, TI_ENCRYPTION_KEY: randomBytes(32).toString("hex") }).SLACK_CLIENT_ID).toBe("1.2");
  });

  it("stops the start when it can't open the stored installations, naming TI_ENCRYPTION_KEY", async () => {
    const wrong = randomBytes(32).toString("base64");
    await expect(startTestApp({ db: t.db, slack: t.slack, env: { ...env, TI_ENCRYPTION_KEY: wrong } })).rejects.toThrow(/TI_ENCRYPTION_KEY does not open the stored Slack installations/);
  });

  it("rotates: the command re-seals every row, so the new key alone opens them", async () => {
    const fresh = randomBytes(32).toString("base64");
    const before = await sealedColumn();
    expect(before.length).toBeGreaterThanOrEqual(3);
    const rotated = await resealInstallations(t.db.prisma, createSealer({ current: parseEncryptionKey(fresh), previous: [parseEncryptionKey(key)] }));
    expect(rotated).toEqual({ resealed: before.length, current: 0 });
    const after = await sealedColumn();
    const onlyNew = createSealer({ current: parseEncryptionKey(fresh) });
    for (const row of after) {
      expect(before.find((old) => old.installKey === row.installKey)!.sealed).not.toBe(row.sealed);
      const installation = JSON.parse(onlyNew.open(row.sealed, row.installKey));
      if (tokens.has(row.installKey)) expect(installation.bot.token).toBe(tokens.get(row.installKey));
    }
    // Run again: nothing left to do.
    expect(await resealInstallations(t.db.prisma, createSealer({ current: parseEncryptionKey(fresh), previous: [parseEncryptionKey(key)] }))).toEqual({ resealed: 0, current: after.length });
    // The old key alone no longer opens them; the new one alone starts the bot.
    await expect(startTestApp({ db: t.db, slack: t.slack, env })).rejects.toThrow(/TI_ENCRYPTION_KEY/);
    const restarted = await startTestApp({ db: t.db, slack: t.slack, env: { ...env, TI_ENCRYPTION_KEY: fresh } });
    try {
      const asked = await command(north, "U0COORD", "broadcast", restarted);
      expect(asked.status).toBe(200);
      expect((await t.slack.waitFor("views.open", { since: asked.since })).authorization).toBe(tokens.get(north.teamId));
    } finally {
      await restarted.app.stop();
    }
    // The rest of this file runs on the new key.
    env.TI_ENCRYPTION_KEY = fresh;
  });
});

describe("the logs", () => {
  it("never hold a token, the client secret or the key, even at trace level", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "ti-slack-logs-"));
    const bot = await startBot({ ...env, DATABASE_URL: "", DATA_DIR: dataDir, LOG_LEVEL: "trace", SLACK_SIGNING_SECRET: slackSigningSecret, SLACK_API_URL: t.slack.url, TI_COORDINATORS: "slack:U0COORD" });
    try {
      const process = { ...t, url: bot.url.replace("localhost", "127.0.0.1") } as TestApp;
      const { done, botToken } = await install(west, { startOn: process, finishOn: process });
      expect(done.status).toBe(200);
      const asked = await command(west, "U0COORD", "broadcast", process);
      expect((await t.slack.waitFor("views.open", { since: asked.since })).authorization).toBe(botToken);
      await eventually(async () => bot.logs.some((line) => String(line.msg).includes("installed in a workspace")), { what: "the install logged" });
      const written = bot.logs.map((line) => JSON.stringify(line)).join("\n");
      expect(written).toContain("T0WEST");
      for (const secret of [botToken, env.SLACK_CLIENT_SECRET, env.TI_ENCRYPTION_KEY]) expect(written).not.toContain(secret);
    } finally {
      await stopBot(bot);
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe.runIf(usingPostgres)("two replicas on one PostgreSQL", () => {
  it("an install started on one and finished on the other is used by both at once", async () => {
    const first = await startTestApp({ db: t.db, slack: t.slack, env });
    const second = await startTestApp({ db: t.db, slack: t.slack, env });
    try {
      const { done, botToken } = await install(west, { startOn: first, finishOn: second });
      expect(done.status).toBe(200);
      for (const replica of [first, second]) {
        const asked = await command(west, "U0WESTCOORD", "join", replica);
        expect(asked.status).toBe(200);
        const call: SlackCall = await t.slack.waitFor("views.open", { since: asked.since });
        expect(call.authorization).toBe(botToken);
      }
    } finally {
      await first.app.stop();
      await second.app.stop();
    }
  });

  it("`npm run keys:rotate` re-seals the rows of the database it is pointed at, and says so", async () => {
    const newer = randomBytes(32).toString("hex");
    const rotate = (extra: Record<string, string>) =>
      execFileAsync(process.execPath, ["--import", "tsx", "src/secrets/rotate-cli.ts"], { env: { ...process.env, DATABASE_URL: t.db.url!, LOG_LEVEL: "silent", ...extra } });
    await expect(rotate({ TI_ENCRYPTION_KEY: newer })).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining("TI_ENCRYPTION_KEY_PREVIOUS") });
    const { stdout } = await rotate({ TI_ENCRYPTION_KEY: newer, TI_ENCRYPTION_KEY_PREVIOUS: env.TI_ENCRYPTION_KEY });
    const rows = await sealedColumn();
    expect(stdout).toContain(`Re-sealed ${rows.length} Slack installations with TI_ENCRYPTION_KEY`);
    const onlyNewer = createSealer({ current: parseEncryptionKey(newer) });
    for (const row of rows) expect(() => onlyNewer.open(row.sealed, row.installKey)).not.toThrow();
    env.TI_ENCRYPTION_KEY = newer;
  }, 60_000);
});
