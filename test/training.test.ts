// Training end to end, through the signed Slack endpoint and Teams activities: coordinators keep the
// offer (errors come back with what was typed), members see it by level and record what they've done,
// a higher level is suggested and changed only when they say yes (a tampered button changes nothing),
// coordinators see counts by organisation and sector, and `mydata` / `leave` carry and erase the records.
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
const clock = new Date("2026-12-07T10:00:00Z"); // Monday 7 December 2026
let coordinator: SlackUser;
let teamsCoordinator: TeamsUser;
let sam: SeededMember;
let samSlack: SlackUser;
let kit: SeededMember;

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
  kit = (await seedMembers(prisma, { slack: { count: 1 }, role: "member", organisation: { name: "Hillside School", sector: "education" } }))[0]!;
});

afterAll(async () => {
  await Promise.all([t?.close(), connector?.close()]);
});

async function openModal(user: SlackUser, typed: string) {
  const { status, since } = await user.command(typed);
  expect(status).toBe(200);
  return (await t.slack.waitFor("views.open", { since })).body.view;
}

async function submitModal(user: SlackUser, modal: any, answers: Record<string, string>) {
  const { status, answer, since } = await user.submit(modal, answers);
  expect(status).toBe(200);
  return answer?.response_action ? answer : (await t.slack.waitFor("response_url", { since })).body;
}

async function slackReply(user: SlackUser, typed: string) {
  const { answer, since } = await user.command(typed);
  return json(answer) === '""' ? (await t.slack.waitFor("response_url", { since })).body : answer;
}

async function press(user: SlackUser, blocks: any[], label: string) {
  const button = slackButtons(blocks).find((candidate) => candidate.text.text === label);
  expect(button, label).toBeDefined();
  const { status, since } = await user.press(button!);
  expect(status).toBe(200);
  return (await t.slack.waitFor("response_url", { since })).body;
}

async function teamsExchange(activity: { id: string; conversation: { id: string } }): Promise<AdaptiveCard> {
  const since = connector.calls.length;
  const response = await fetch(`${t.url}/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: json(activity) });
  expect(response.status).toBe(200);
  return cardOf(await eventually(async () => connector.calls.slice(since).find((call) => call.activityId === activity.id), { what: "the Teams reply" }));
}

const profileLevel = async (memberId: string) => (await t.db.prisma.member.findUniqueOrThrow({ where: { id: memberId } })).trainingLevel;

describe("the training offer", () => {
  it("a coordinator adds a course on Teams; a missing title and a non-https link come back with every typed value kept", async () => {
    const card = await teamsExchange(teamsMessage(connector.url, teamsCoordinator, "training add"));
    expect(cardText(card)).toContain("New course");
    const typed = { title: "", level: "informed", format: "elearning", provider: "NHS England", length: "45 minutes", link: "http://learning.example.org/tip" };
    const refused = await teamsExchange(teamsCardSubmit(connector.url, teamsCoordinator, cardSubmission(card, typed)));
    expect(errorsUnder(refused)).toMatchObject({ title: "Please give the course a title.", link: expect.stringContaining("https://") });
    const kept = Object.fromEntries(cardInputs(refused).map((input) => [input.id, input.value]));
    expect(kept).toMatchObject({ provider: "NHS England", length: "45 minutes", link: "http://learning.example.org/tip", format: "elearning" });
    expect(await t.db.prisma.trainingCourse.count()).toBe(0);

    const saved = await teamsExchange(teamsCardSubmit(connector.url, teamsCoordinator, cardSubmission(refused, { title: "Trauma-informed practice: an introduction", link: "https://learning.example.org/tip" })));
    expect(cardText(saved)).toContain("Course #1 is in the training offer, at Informed level.");
    expect(await t.db.prisma.trainingCourse.findFirstOrThrow({ where: { number: 1 } })).toMatchObject({ title: "Trauma-informed practice: an introduction", level: "informed", format: "elearning", provider: "NHS England", link: "https://learning.example.org/tip" });
  });

  it("a coordinator adds, edits and retires courses on Slack, each audited", async () => {
    const modal = await openModal(coordinator, "training add");
    const refused = await submitModal(coordinator, modal, { title: "Skilled practice", level: "skilled", format: "facilitated", link: "ftp://files.example.org" });
    expect(refused).toMatchObject({ response_action: "errors", errors: { link: expect.stringContaining("https://") } });
    for (const [title, level, format] of [["Skilled practice in teams", "skilled", "facilitated"], ["Enhanced: leading trauma-informed change", "enhanced", "online"], ["Specialist supervision", "specialist", "facilitated"]] as const) {
      const reply = await submitModal(coordinator, await openModal(coordinator, "training add"), { title, level, format, link: "https://courses.example.org/booking" });
      expect(json(reply)).toContain("is in the training offer");
    }
    expect((await t.db.prisma.trainingCourse.findMany({ orderBy: { number: "asc" } })).map((course) => course.number)).toEqual([1, 2, 3, 4]);

    const editing = await openModal(coordinator, "training edit 2");
    expect(json(editing)).toContain("Skilled practice in teams");
    const edited = await submitModal(coordinator, editing, { title: "Skilled practice in multi-agency teams", level: "skilled", format: "facilitated" });
    expect(json(edited)).toContain("Course #2 is saved.");
    expect(await t.db.prisma.trainingCourse.findFirstOrThrow({ where: { number: 2 } })).toMatchObject({ title: "Skilled practice in multi-agency teams", level: "skilled", format: "facilitated" });

    expect(json(await slackReply(coordinator, "training retire 4"))).toContain("Course #4, Specialist supervision, is retired.");
    expect((await t.db.prisma.trainingCourse.findFirstOrThrow({ where: { number: 4 } })).retiredAt).not.toBeNull();
    expect(json(await slackReply(coordinator, "training retire 4"))).toContain("already retired");
    expect(json(await slackReply(coordinator, "training edit 9"))).toContain("I can't find course #9");

    const trail = await t.db.prisma.auditEntry.findMany({ where: { action: { startsWith: "training." } }, orderBy: { createdAt: "asc" } });
    expect(trail.map((entry) => entry.action)).toEqual(["training.course.add", "training.course.add", "training.course.add", "training.course.add", "training.course.edit", "training.course.retire"]);
  });

  it("refuses a member's `training add` kindly, storing nothing", async () => {
    const before = await t.db.prisma.trainingCourse.count();
    const since = t.slack.calls.length;
    const reply = json(await slackReply(samSlack, "training add"));
    expect(reply).toContain("Only the network's coordinators can use /ti training add");
    expect(t.slack.calls.slice(since).filter((call) => call.method === "views.open")).toEqual([]);
    expect(await t.db.prisma.trainingCourse.count()).toBe(before);
  });

  it("lists the current offer by level, with numbers and links, retired courses left out", async () => {
    const text = json(await slackReply(samSlack, "training"));
    const informed = text.indexOf("Informed");
    const skilled = text.indexOf("Skilled practice in multi-agency teams");
    const enhanced = text.indexOf("#3 Enhanced: leading");
    expect(informed).toBeGreaterThan(-1);
    expect(informed).toBeLessThan(skilled);
    expect(skilled).toBeLessThan(enhanced);
    expect(text).toContain("#1 Trauma-informed practice: an introduction");
    expect(text).toContain("https://learning.example.org/tip");
    expect(text).not.toContain("Specialist supervision");
    expect(json(await slackReply(slackUser(t, { id: "U0STRANGER", name: "stranger" }), "training"))).toContain("Join the network");
  });
});

describe("who has done what", () => {
  it("refuses a future date and an untitled 'something else', keeping what was typed", async () => {
    const modal = await openModal(samSlack, "training done");
    expect(json(modal)).toContain("Only you see your training record");
    const future = await submitModal(samSlack, modal, { course: "2", completedOn: "2026-12-08" });
    expect(future).toMatchObject({ response_action: "errors", errors: { completedOn: expect.stringContaining("still to come") } });
    const untitled = await submitModal(samSlack, modal, { course: "other", completedOn: "2026-02-31" });
    expect(untitled.errors).toMatchObject({ otherTitle: "Please give the training's title.", completedOn: expect.stringContaining("couldn't read") });
    const retired = await submitModal(samSlack, modal, { course: "4", completedOn: "2026-12-01" });
    expect(retired.errors.course).toBe("Please choose from the list.");
    expect(await t.db.prisma.trainingRecord.count()).toBe(0);
  });

  it("records training, suggests the higher level, and 'Not now' leaves the profile as it was", async () => {
    const reply = await submitModal(samSlack, await openModal(samSlack, "training done"), { course: "2", completedOn: "2026-12-07" });
    expect(json(reply)).toContain("Saved: Skilled practice in multi-agency teams, finished 7 Dec 2026.");
    expect(json(reply)).toContain("Your training reaches Skilled level; your profile says not set.");
    expect(slackButtons(reply.blocks).map((button) => button.text.text)).toEqual(["Yes, update my level", "Not now"]);
    const later = await press(samSlack, reply.blocks, "Not now");
    expect(json(later)).toContain("your profile stays as it is");
    expect(await profileLevel(sam.memberId)).toBeNull();
    expect(await t.db.prisma.trainingRecord.findFirstOrThrow({ where: { memberId: sam.memberId } })).toMatchObject({ completedOn: new Date("2026-12-07T00:00:00Z"), otherTitle: null });
  });

  it("a tampered confirm button (a level not earned) changes nothing; the real one updates the profile", async () => {
    const tampered = { action_id: "ti:training level", value: json({ verb: "training level", text: "specialist" }) };
    const { since } = await samSlack.press(tampered);
    expect(json((await t.slack.waitFor("response_url", { since })).body)).toContain("nothing was changed");
    expect(await profileLevel(sam.memberId)).toBeNull();

    const mine = await slackReply(samSlack, "training mine");
    expect(json(mine)).toContain("7 Dec 2026: Skilled practice in multi-agency teams (#2, Skilled)");
    const confirmed = await press(samSlack, mine.blocks, "Yes, update my level");
    expect(json(confirmed)).toContain("your profile's training level is now Skilled");
    expect(await profileLevel(sam.memberId)).toBe("skilled");

    // Pressed again once it holds, or after the profile moved past it: nothing changes.
    await t.db.prisma.member.update({ where: { id: sam.memberId }, data: { trainingLevel: "enhanced" } });
    const again = await samSlack.press({ action_id: "ti:training level", value: json({ verb: "training level", text: "skilled" }) });
    expect(json((await t.slack.waitFor("response_url", { since: again.since })).body)).toContain("nothing was changed");
    expect(await profileLevel(sam.memberId)).toBe("enhanced");
  });

  it("records training outside the offer with no suggestion, and older training", async () => {
    const kitSlack = slackUser(t, { id: kit.userId, name: "kit" });
    const reply = await submitModal(kitSlack, await openModal(kitSlack, "training done"), { course: "other", otherTitle: "Local authority TIP awareness", completedOn: "2025-03-01" });
    expect(json(reply)).toContain("Saved: Local authority TIP awareness, finished 1 Mar 2025.");
    expect(slackButtons(reply.blocks)).toEqual([]);
    await submitModal(kitSlack, await openModal(kitSlack, "training done"), { course: "1", completedOn: "2026-11-20" });
    expect(json(await slackReply(kitSlack, "training mine"))).toContain("Local authority TIP awareness (not in the network's offer)");
    // `me` counts it all and names the latest, as the database has them.
    const records = await t.db.prisma.trainingRecord.findMany({ where: { memberId: kit.memberId }, orderBy: { completedOn: "desc" }, include: { course: true } });
    expect(records).toHaveLength(2);
    expect(json(await slackReply(kitSlack, "me"))).toContain(`${records.length} (latest: ${records[0]!.course!.title}, 20 Nov 2026)`);
  });
});

describe("coverage for coordinators", () => {
  it("counts members at each level and training in the last 12 months, by organisation and sector, matching the database", async () => {
    const more = await seedMembers(t.db.prisma, { slack: { count: 3 }, role: "member", organisation: { name: "Calder NHS Trust", sector: "health" } });
    await t.db.prisma.member.update({ where: { id: more[0]!.memberId }, data: { trainingLevel: "informed" } });
    await t.db.prisma.member.update({ where: { id: more[1]!.memberId }, data: { trainingLevel: "enhanced" } });
    await seedMembers(t.db.prisma, { slack: { count: 1 }, role: "member", organisation: { name: "Moor Housing", sector: "housing" } });

    const map = json(await slackReply(coordinator, "training map"));
    const since = new Date("2025-12-07T00:00:00Z");
    const labels = { informed: "Informed", skilled: "Skilled", enhanced: "Enhanced", specialist: "Specialist" } as const;
    const expected = async (name: string, where: object) => {
      const members = { ...where, leftAt: null };
      const levels = await Promise.all(Object.entries(labels).map(async ([level, label]) => `${label} ${await t.db.prisma.member.count({ where: { ...members, trainingLevel: level as keyof typeof labels } })}`));
      const unset = await t.db.prisma.member.count({ where: { ...members, trainingLevel: null } });
      const records = await t.db.prisma.trainingRecord.count({ where: { completedOn: { gte: since }, member: members } });
      return `${name}: ${levels.join(", ")}, not set ${unset}; ${records} completed in 12 months`;
    };
    const calder = await expected("Calder NHS Trust", { organisation: { name: "Calder NHS Trust" } });
    expect(calder).toBe("Calder NHS Trust: Informed 1, Skilled 0, Enhanced 2, Specialist 0, not set 1; 1 completed in 12 months");
    expect(map).toContain(calder);
    expect(map).toContain(await expected("Hillside School", { organisation: { name: "Hillside School" } }));
    expect(map).toContain("Hillside School: Informed 0, Skilled 0, Enhanced 0, Specialist 0, not set 1; 1 completed in 12 months");
    expect(map).toContain(await expected("Health", { organisation: { sector: "health" } }));
    expect(map).toContain(await expected("Housing", { organisation: { sector: "housing" } }));
    expect(map).toContain(await expected("Not with an organisation", { organisationId: null }));
    expect(map).not.toContain("Person ");
    expect(json(await slackReply(samSlack, "training map"))).toContain("Only the network's coordinators");
  });
});

describe("a member's own data", () => {
  it("mydata includes their training records, and leave erases them while the offer stays", async () => {
    const reply = json(await slackReply(samSlack, "mydata"));
    const link = /(https?:\/\/[^\s"|>)\\]+\/downloads\/mydata\/[^\s"|>)\\]+)/.exec(reply)?.[1];
    expect(link, "a download link").toBeDefined();
    const file = (await (await fetch(link!.replace("localhost", "127.0.0.1").replaceAll("&amp;", "&"))).json()) as any;
    expect(file.trainingRecords).toHaveLength(1);
    expect(file.trainingRecords[0]).toMatchObject({ otherTitle: null, course: { number: 2, title: "Skilled practice in multi-agency teams", level: "skilled" } });
    expect(file.explained.trainingRecords).toBeDefined();

    const asked = await slackReply(samSlack, "leave");
    const leaveButton = slackButtons(asked.blocks)[0]!;
    expect(leaveButton.text.text).toMatch(/^Leave/);
    const left = await press(samSlack, asked.blocks, leaveButton.text.text);
    expect(json(left)).toContain("You've left");
    expect(await t.db.prisma.trainingRecord.count({ where: { memberId: sam.memberId } })).toBe(0);
    expect(await t.db.prisma.trainingRecord.count()).toBe(2);
    expect(await t.db.prisma.trainingCourse.count()).toBe(4);
  });
});
