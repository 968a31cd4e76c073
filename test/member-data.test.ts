// A member's own data: every member-linked model in the schema is exported and erased; `leave` through
// the real Slack endpoint leaves nothing of the person in any table; `mydata` serves the whole file at a
// signed link that refuses tampering and expiry; `privacy` says who to ask.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Address } from "../src/core/kernel/interaction.js";
import { memberData as declaredMemberData } from "./support/core-context.js";

const memberData = () => declaredMemberData;
import type { View } from "../src/core/kernel/view.js";
import { startTestApp, type TestApp } from "./support/app.js";
import { expectForm, startTestBot, viewText, type TestBot } from "./support/bot.js";
import { eventually } from "./support/eventually.js";
import { startFakeConnector, teamsMessage, teamsUser, type FakeConnector, type TeamsUser } from "./support/fake-connector.js";
import { seedMembers } from "./support/seed.js";
import { slackButtons, slackUser, type SlackUser } from "./support/slack-user.js";

interface SchemaField {
  name: string;
  type: string;
  list: boolean;
  attributes: string;
}

/** The models of prisma/schema.prisma and their fields, read from the file itself. */
function schemaModels(): Map<string, SchemaField[]> {
  const source = readFileSync(path.join(import.meta.dirname, "../prisma/schema.prisma"), "utf8");
  const models = new Map<string, SchemaField[]>();
  for (const [, name, body] of source.matchAll(/^model\s+(\w+)\s*\{([\s\S]*?)^\}/gm)) {
    const fields = body!
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith("//") && !line.startsWith("@@"))
      .flatMap((line) => {
        const field = /^(\w+)\s+(\w+)(\[\])?\??\s*(.*)$/.exec(line);
        return field ? [{ name: field[1]!, type: field[2]!, list: Boolean(field[3]), attributes: field[4] ?? "" }] : [];
      });
    models.set(name!, fields);
  }
  return models;
}

/** Member, and every model holding a foreign key to a model already in the set (Address, Update, …), to a fixed point. */
function memberLinkedModels(models: Map<string, SchemaField[]>): Set<string> {
  const linked = new Set(["Member"]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [model, fields] of models) {
      if (linked.has(model)) continue;
      if (fields.some((field) => !field.list && linked.has(field.type) && /@relation\([^)]*fields:/.test(field.attributes))) {
        linked.add(model);
        grew = true;
      }
    }
  }
  return linked;
}

describe("the member-data registry", () => {
  const models = schemaModels();

  it("covers every model in the schema that holds data linked to a member, and no other", () => {
    const linked = memberLinkedModels(models);
    expect([...linked]).toEqual(expect.arrayContaining(["Member", "Address", "Update", "LinkCode", "Broadcast", "Delivery", "AuditEntry"]));
    const registered: string[] = memberData().map((part) => part.model);
    expect(new Set(registered).size, "each model appears once").toBe(registered.length);
    expect([...linked].filter((model) => !registered.includes(model)), "member-linked models without export and erase support").toEqual([]);
    expect(registered.filter((model) => !linked.has(model)), "registered models not linked to a member").toEqual([]);
  });

  it("exports and erases each part itself, or names a part it goes with through a real cascade", () => {
    for (const part of memberData()) {
      if (typeof part.exportRows !== "function") expect(registeredModel(part.exportRows.within)).toBe(true);
      if (typeof part.erase !== "function") {
        const parent = part.erase.cascade;
        const relation = models.get(part.model)!.find((field) => field.type === parent);
        expect(relation?.attributes, `${part.model} cascades from ${parent}`).toMatch(/onDelete:\s*Cascade/);
      }
      expect(part.about.length).toBeGreaterThan(10);
      expect(part.onLeave.length).toBeGreaterThan(5);
    }
  });

  const registeredModel = (model: string) => memberData().some((part) => part.model === model && typeof part.exportRows === "function");
});

// Sending hours on one day that is never today in London, so announcements "in sending hours" stay queued.
const today = new Intl.DateTimeFormat("en-GB", { weekday: "short", timeZone: "Europe/London" }).format(new Date());
const days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const sendingDay = days[(days.indexOf(today) + 3) % 7]!;

let t: TestApp;
let connector: FakeConnector;
let clockOffsetMs = 0;
const alex: Address = { platform: "slack", workspaceId: "T0TEST", userId: "U0ALEXCO", displayName: "Alex Coordinator" };
const kim: Address = { platform: "slack", workspaceId: "T0TEST", userId: "U0KIMCO", displayName: "Kim Configured" };
let samSlack: SlackUser;
let samTeams: TeamsUser;
const samSlackAddress = (): Address => ({ platform: "slack", workspaceId: "T0TEST", userId: "U0SAMQUILL", displayName: "sam.quillfeather" });
const samTeamsAddress = (): Address => ({ platform: "teams", workspaceId: samTeams.tenantId, userId: samTeams.id, displayName: samTeams.name });

beforeAll(async () => {
  connector = await startFakeConnector();
  t = await startTestApp({
    env: { TI_COORDINATORS: "slack:U0ALEXCO,slack:U0KIMCO", TI_SENDING_HOURS: `${sendingDay} 10:00-11:00`, TI_PRIVACY_CONTACT: "dpo@hollowbrook.example" },
    now: () => new Date(Date.now() + clockOffsetMs),
  });
  samSlack = slackUser(t, { id: "U0SAMQUILL", name: "sam.quillfeather" });
  samTeams = teamsUser("Sam Q (Hollowbrook)");
});

afterAll(async () => {
  await Promise.all([t?.close(), connector?.close()]);
});

const json = (value: unknown) => JSON.stringify(value);
const say = (from: Address, typed: string) => {
  const [verb = "", ...rest] = typed.split(" ");
  const two = ["broadcast", "leave"].includes(verb) && ["send", "cancel", "confirm", "stay"].includes(rest[0] ?? "");
  return t.app.bot.handle({ from, verb: two ? `${verb} ${rest.shift()}` : verb, text: rest.join(" ") });
};

/** Joins through the core's join form, into an organisation that exists or a new one. */
async function joinAs(from: Address, displayName: string, organisation = "Riverside Housing") {
  const form = expectForm(await say(from, "join"));
  const existing = await t.db.prisma.organisation.findFirst({ where: { name: organisation } });
  const values = existing ? { organisation: existing.id } : { newOrganisation: organisation, sector: "housing" };
  const joined = await t.app.bot.handle({ from, verb: "join", text: "", form: { values: { displayName, role: "champion", ...values }, context: form.context } });
  expect(viewText(joined)).toContain(displayName);
  return t.db.prisma.member.findFirstOrThrow({ where: { displayName } });
}

/** A broadcast from `from`: previewed, then sent; returns its number. */
async function broadcast(from: Address, message: string, timing: "hours" | "now"): Promise<number> {
  const preview = await t.app.bot.handle({ from, verb: "broadcast", text: "", form: { values: { message, who: "everyone", timing }, context: {} } });
  const number = Number(/#(\d+)/.exec(viewText(preview))![1]);
  expect(viewText(await say(from, `broadcast send ${number}`))).toContain("on its way");
  return number;
}

/** The Slack answer: in the ack when it was quick, else at the response_url. */
async function slackAnswer(result: { answer: any; since: number }) {
  if (result.answer && typeof result.answer === "object") return result.answer;
  return (await t.slack.waitFor("response_url", { since: result.since })).body;
}

async function teamsSay(user: TeamsUser, typed: string): Promise<string> {
  const activity = teamsMessage(connector.url, user, typed);
  const response = await fetch(`${t.url}/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: json(activity) });
  expect(response.status).toBe(200);
  const reply = await eventually(async () => connector.calls.find((call) => call.activityId === activity.id), { what: "the Teams reply" });
  return json(reply.activity).replace(/\\\\(.)/g, "$1");
}

function linkIn(view: View): string {
  const link = /\]\((http[^)]+)\)/.exec(json(view))?.[1];
  expect(link, "a download link").toBeDefined();
  return link!.replace("localhost", "127.0.0.1");
}

/** Every row of every table, as JSON text, that contains any of the needles. */
async function rowsMentioning(needles: string[]): Promise<string[]> {
  const tables = await t.db.prisma.$queryRawUnsafe<{ name: string }[]>(
    `SELECT table_name AS "name" FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
  );
  expect(tables.map((table) => table.name)).toEqual(expect.arrayContaining(["Member", "Address", "Update", "Delivery", "AuditEntry"]));
  const found: string[] = [];
  for (const { name } of tables) {
    const rows = await t.db.prisma.$queryRawUnsafe<{ row: string }[]>(`SELECT row_to_json(t)::text AS "row" FROM "${name}" t`);
    for (const { row } of rows) {
      if (needles.some((needle) => row.toLowerCase().includes(needle.toLowerCase()))) found.push(`${name}: ${row}`);
    }
  }
  return found;
}

describe("a member's own data", () => {
  let samId: string;
  let sharedBroadcasts: { cancelled: number; queued: number };

  it("builds a member with updates on both platforms, link codes, deliveries, broadcasts and audit entries", async () => {
    const [other] = await seedMembers(t.db.prisma, { slack: { count: 1 }, role: "champion", organisation: { name: "Riverside Housing", sector: "housing" } });
    expect(other).toBeDefined();
    await joinAs(alex, "Alex Coordinator");

    const opened = await samSlack.command("join");
    const modal = (await t.slack.waitFor("views.open", { since: opened.since })).body.view;
    await samSlack.submit(modal, { displayName: "Sam Quillfeather", newOrganisation: "Hollowbrook Primary", sector: "education", locality: "Calderdale", role: "champion", trainingLevel: "skilled" });
    const sam = await eventually(() => t.db.prisma.member.findFirst({ where: { displayName: "Sam Quillfeather" } }).then((found) => found ?? undefined), { what: "Sam joining" });
    samId = sam.id;

    await samSlack.command("update Ran a trauma-informed workshop for Year 6 staff #safety");
    const code = /link code is ([A-Z0-9]{6})/.exec(json(await slackAnswer(await samSlack.command("link"))))?.[1];
    expect(code).toBeDefined();
    expect(await teamsSay(samTeams, `link ${code}`)).toContain("Linked");
    await teamsSay(samTeams, "update Led a reflective circle with the pastoral team #trust");
    await slackAnswer(await samSlack.command("link"));
    await eventually(async () => (await t.db.prisma.update.count({ where: { authorId: samId } })) === 2, { what: "both updates stored" });

    expect(viewText(await say(alex, "role Sam Quillfeather coordinator"))).toContain("is now a coordinator");
    const cancelled = await broadcast(samSlackAddress(), "Network lunch moved to Thursday", "hours");
    expect(viewText(await say(samSlackAddress(), `broadcast cancel ${cancelled}`))).toContain("Cancelled");
    const queued = await broadcast(samSlackAddress(), "Reflective practice sessions restart in May", "hours");
    sharedBroadcasts = { cancelled, queued };
    await broadcast(alex, "Board report due soon", "hours");
    const sent = await broadcast(alex, "Thank you all for a wonderful network event", "now");
    await eventually(async () => (await t.db.prisma.delivery.count({ where: { memberId: samId, purposeKey: `broadcast:${sent}`, status: "sent" } })) === 1, {
      what: "the announcement reaching Sam",
    });

    const held = await t.db.prisma.member.findUniqueOrThrow({
      where: { id: samId },
      include: { _count: { select: { addresses: true, updates: true, linkCodes: true, broadcasts: true, deliveries: true, auditActions: true, auditMentions: true } } },
    });
    expect(held._count).toMatchObject({ addresses: 2, updates: 2, linkCodes: 1, broadcasts: 2, auditMentions: 1 });
    expect(held._count.deliveries).toBeGreaterThanOrEqual(3);
    expect(held._count.auditActions).toBeGreaterThanOrEqual(3);
  });

  it("privacy: says what is kept, who sees it, for how long, and who to ask", async () => {
    const notice = await teamsSay(samTeams, "privacy");
    for (const words of ["seen only by you", "groups of 5 or more", "event invitations", "milestone reports", "180 days", "2 years", "90 days", "mydata", "leave", "dpo@hollowbrook.example"]) {
      expect(notice).toContain(words);
    }
  });

  it("mydata: a summary in the chat and the whole file at a signed link, refused when tampered with or expired", async () => {
    const reply = await say(samTeamsAddress(), "mydata");
    const summary = viewText(reply);
    expect(summary).toContain("Sam Quillfeather");
    expect(summary).toContain("Hollowbrook Primary");
    expect(summary).toContain("2 updates you shared");
    expect(summary).toContain(`Teams (${samTeams.id})`);
    const link = linkIn(reply);
    expect(link).toContain(`/downloads/mydata/${samId}.json`);

    const response = await fetch(link);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/json");
    const file = (await response.json()) as any;
    expect(file.profile).toMatchObject({ id: samId, displayName: "Sam Quillfeather", role: "coordinator", organisation: { name: "Hollowbrook Primary" } });
    expect(file.updates.map((update: any) => update.principles)).toEqual([["Safety"], ["Trust"]]);
    expect(file.addresses.map((address: any) => address.userId).sort()).toEqual([samTeams.id, "U0SAMQUILL"].sort());
    expect(file.linkCodes).toHaveLength(1);
    expect(json(file.linkCodes)).not.toContain("codeHash");
    expect(file.broadcasts).toHaveLength(2);
    expect(file.deliveries.length).toBeGreaterThanOrEqual(3);
    expect(file.auditEntries.map((entry: any) => entry.action)).toEqual(expect.arrayContaining(["role.change", "broadcast.send", "broadcast.cancel"]));
    for (const part of memberData()) expect(Object.keys(file.explained)).toContain(part.key);

    const tampered = new URL(link);
    tampered.pathname = tampered.pathname.replace(samId, (await t.db.prisma.member.findFirstOrThrow({ where: { displayName: "Alex Coordinator" } })).id);
    const refused = await fetch(tampered);
    expect(refused.status).toBe(403);
    expect(await refused.text()).not.toContain("Alex");

    clockOffsetMs = 2 * 60 * 60_000;
    try {
      const expired = await fetch(link);
      expect(expired.status).toBe(410);
      expect(await expired.text()).not.toContain("Sam");
    } finally {
      clockOffsetMs = 0;
    }
  });

  it("leave through the Slack endpoint: asks first, then leaves nothing of the person in any table", async () => {
    const asked = await slackAnswer(await samSlack.command("leave"));
    expect(json(asked)).toContain("a champion from Hollowbrook Primary");
    const choices = slackButtons(asked.blocks).map((button) => button.text.text);
    expect(choices).toEqual(["Leave and delete my updates", "Leave, keep my updates without my name", "Stay"]);
    const organisationId = (await t.db.prisma.organisation.findFirstOrThrow({ where: { name: "Hollowbrook Primary" } })).id;

    const pressed = await samSlack.press(slackButtons(asked.blocks)[0]!);
    expect(pressed.status).toBe(200);
    const left = await t.slack.waitFor("response_url", { since: pressed.since });
    expect(json(left.body)).toContain("You've left");
    expect(json(left.body)).toContain("2 updates were deleted");

    const needles = [samId, "Sam Quillfeather", "sam.quillfeather", "U0SAMQUILL", samTeams.id, samTeams.aadObjectId, samTeams.name];
    expect(await rowsMentioning(needles)).toEqual([]);
    expect(await rowsMentioning(["Alex Coordinator"]), "the scan finds what is there").not.toEqual([]);

    // What stays on purpose: the organisation, and the broadcasts and trail without the name.
    expect(await t.db.prisma.organisation.count({ where: { id: organisationId } })).toBe(1);
    const authored = await t.db.prisma.broadcast.findMany({ where: { number: { in: [sharedBroadcasts.cancelled, sharedBroadcasts.queued] } } });
    expect(authored.map((row) => row.authorId)).toEqual([null, null]);
    const others = await t.db.prisma.delivery.findMany({ where: { purposeKey: `broadcast:${sharedBroadcasts.queued}` } });
    expect(others.length).toBeGreaterThan(0);
    expect(others.every((delivery) => json(delivery.view).includes("Sent by a former coordinator"))).toBe(true);
    const stopped = await t.db.prisma.delivery.findMany({ where: { purposeKey: `broadcast:${sharedBroadcasts.cancelled}` } });
    expect(stopped.map((delivery) => delivery.lastError)).toEqual(stopped.map(() => "cancelled by a former coordinator"));
    const trail = await t.db.prisma.auditEntry.findMany({ orderBy: { createdAt: "asc" } });
    expect(trail.find((entry) => entry.action === "role.change")).toMatchObject({ actorName: "Alex Coordinator", subject: "a former member", subjectMemberId: null });
    expect(trail.filter((entry) => entry.action === "broadcast.cancel").map((entry) => entry.actorName)).toEqual(["a former coordinator"]);
    expect(trail.at(-1)).toMatchObject({ action: "member.leave", actorId: null, actorName: "a former member", subject: "a former member" });
  });

  it("leaving twice gets a kind answer, and the person can join again as a new member", async () => {
    const again = await slackAnswer(await samSlack.command("leave"));
    expect(json(again)).toContain("nothing to erase");
    expect(viewText(await say(samSlackAddress(), "leave confirm delete"))).toContain("nothing to erase");
    const rejoined = await joinAs(samSlackAddress(), "Sam Quillfeather");
    expect(rejoined.id).not.toBe(samId);
    expect(await t.db.prisma.update.count({ where: { authorId: rejoined.id } })).toBe(0);
  });

  it("keeping updates keeps their text and organisation without the name or ids", async () => {
    const jo = teamsUser("Jo Penhallow");
    const joAddress: Address = { platform: "teams", workspaceId: jo.tenantId, userId: jo.id, displayName: jo.name };
    const member = await joinAs(joAddress, "Jo Penhallow");
    await say(joAddress, "update Co-designed a calmer waiting room with tenants #safety");
    expect(viewText(await say(joAddress, "leave"))).toContain("a champion from Riverside Housing");
    const left = viewText(await say(joAddress, "leave confirm keep"));
    expect(left).toContain("kept without your name");

    const kept = await t.db.prisma.update.findFirstOrThrow({ where: { text: { startsWith: "Co-designed a calmer waiting room" } }, include: { organisation: true, principles: true } });
    expect(kept).toMatchObject({ authorId: null, sourceRef: null, organisation: { name: "Riverside Housing" } });
    expect(kept.principles).toHaveLength(1);
    expect(await rowsMentioning([member.id, "Jo Penhallow", jo.id, jo.aadObjectId])).toEqual([]);
  });

  it("stay changes nothing", async () => {
    const ren: Address = { platform: "slack", workspaceId: "T0TEST", userId: "U0RENSTAY", displayName: "Ren Stays" };
    const member = await joinAs(ren, "Ren Stays");
    expect(viewText(await say(ren, "leave stay"))).toContain("Nothing has changed");
    expect(await t.db.prisma.member.count({ where: { id: member.id } })).toBe(1);
  });

  it("someone who never joined is told kindly that nothing is held but what their platform gave", async () => {
    const stranger: Address = { platform: "slack", workspaceId: "T0TEST", userId: "U0PASSING", displayName: "passing.by" };
    expect(viewText(await say(stranger, "leave"))).toContain("nothing to erase");
    const held = viewText(await say(stranger, "mydata"));
    expect(held).toContain("haven't joined");
    expect(held).toContain("U0PASSING");
    expect(held).toContain("passing.by");
  });

  it("a coordinator by configuration can leave as a member, stays a coordinator, and their earlier actions lose their name", async () => {
    expect(viewText(await say(kim, "role Ren Stays member"))).toContain("Ren Stays is now a member");
    await joinAs(kim, "Kim Configured");
    const asked = viewText(await say(kim, "leave"));
    expect(asked).toContain("TI_COORDINATORS");
    const left = viewText(await say(kim, "leave confirm delete"));
    expect(left).toContain("still a coordinator");
    expect(await rowsMentioning(["Kim Configured", "U0KIMCO"])).toEqual([]);
    const trail = viewText(await say(kim, "audit"));
    expect(trail).toContain("a former coordinator, role.change, Ren Stays");
  });

});

describe("leaving, in the core", () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot();
  });
  afterAll(async () => bot?.db.destroy());

  it("tells the network's only coordinator what leaving means, and still lets them go", async () => {
    const chris: Address = { platform: "teams", workspaceId: "tenant-1", userId: "29:chris", displayName: "Chris Only" };
    await bot.join(chris);
    await bot.db.prisma.member.updateMany({ where: { displayName: "Chris Only" }, data: { role: "coordinator" } });
    const asked = viewText(await bot.say(chris, "leave"));
    expect(asked).toContain("only coordinator");
    expect(asked).toContain("Leave the network");
    expect(viewText(await bot.say(chris, "leave confirm delete"))).toContain("You've left");
    expect(await bot.db.prisma.member.count()).toBe(0);
  });

  it("without a web address, mydata still gives the summary and says why there is no link", async () => {
    const lee: Address = { platform: "slack", workspaceId: "T1", userId: "U_LEE", displayName: "Lee" };
    await bot.join(lee);
    const held = viewText(await bot.say(lee, "mydata"));
    expect(held).toContain("What I hold about you");
    expect(held).toContain("TI_PUBLIC_URL");
  });

  it("privacy without a configured contact says to ask a coordinator", async () => {
    const notice = viewText(await bot.say({ platform: "slack", workspaceId: "T1", userId: "U_ASK" }, "privacy"));
    expect(notice).toContain("ask a coordinator");
  });
});
