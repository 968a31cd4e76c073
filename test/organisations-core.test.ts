// Organisations and their pledge key actions through the core on a real database: coordinators add and
// edit them (refused kindly for others, every error at once, names unique regardless of case), nominate
// champions, list them; champions see and update their own organisation's key actions; and the kind
// answers to a report or cycle asked for where there is none.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Address } from "../src/core/kernel/interaction.js";
import { expectForm, startTestBot, viewText, type TestBot } from "./support/bot.js";

let t: TestBot;
const coordinator: Address = { platform: "slack", workspaceId: "T0TEST", userId: "U0COORD", displayName: "Alex Coordinator" };
const champion: Address = { platform: "teams", workspaceId: "tenant-1", userId: "29:1champion", displayName: "Jo Champion" };
const member: Address = { platform: "slack", workspaceId: "T0TEST", userId: "U0MEMBER", displayName: "Kim Member" };

beforeAll(async () => {
  t = await startTestBot({ coordinators: [coordinator] });
});

afterAll(async () => {
  await t?.db.destroy();
});

describe("organisations", () => {
  it("lets only coordinators add one, and keeps every answer when refusing", async () => {
    await t.join(member, { role: "member", displayName: "Kim Member" });
    expect(viewText(await t.say(member, "org add"))).toContain("Only the network's coordinators can use /ti org add");

    const form = expectForm(await t.say(coordinator, "org add"));
    const refused = expectForm(await t.submit(coordinator, form, { name: "RIVERSIDE HOUSING", sector: "spaceships", locality: "Kirklees", pledgeSignedOn: "not a date", action2: "Listen to tenants", action2Status: "maybe" }));
    const errors = Object.fromEntries(refused.inputs.filter((input) => input.error).map((input) => [input.id, input.error]));
    expect(errors).toMatchObject({ name: expect.stringMatching(/already an organisation/), sector: expect.stringMatching(/choose/i), pledgeSignedOn: expect.stringMatching(/couldn't read that as a date/), action2Status: expect.stringMatching(/choose/i) });
    const kept = Object.fromEntries(refused.inputs.flatMap((input) => (input.type === "text" || input.type === "date" ? [[input.id, input.value]] : [])));
    expect(kept).toMatchObject({ name: "RIVERSIDE HOUSING", locality: "Kirklees", pledgeSignedOn: "not a date", action2: "Listen to tenants" });
    expect(await t.db.prisma.organisation.count()).toBe(1);
    expect(await t.db.prisma.auditEntry.count({ where: { action: "organisation.add" } })).toBe(0);

    const added = await t.submit(coordinator, form, { name: "Calder School", sector: "education", action1: "Train every teaching assistant", action1Date: "2027-07-31", action1Status: "not_started" });
    expect(viewText(added)).toContain("Calder School is added");
    const actions = await t.db.prisma.keyAction.findMany({ where: { organisation: { name: "Calder School" } } });
    expect(actions.map((action) => [action.text, action.targetDate?.toISOString().slice(0, 10)])).toEqual([["Train every teaching assistant", "2027-07-31"]]);
  });

  it("nominates champions from those who joined with the organisation, and un-nominates them", async () => {
    await t.join(champion, { role: "member", displayName: "Jo Champion" });
    expect(viewText(await t.say(coordinator, "org edit nowhere"))).toContain(`I couldn't find one organisation called "nowhere"`);
    const form = expectForm(await t.say(coordinator, "org edit riverside"));
    const champions = form.inputs.find((input) => input.id === "champions");
    expect(champions?.type === "multiselect" && champions.options.map((option) => option.label).sort()).toEqual(["Jo Champion", "Kim Member"]);
    const jo = await t.db.prisma.member.findFirstOrThrow({ where: { displayName: "Jo Champion" } });
    const values = Object.fromEntries(form.inputs.map((input) => [input.id, input.type === "multiselect" ? input.values : input.value]));
    const kim = await t.db.prisma.member.findFirstOrThrow({ where: { displayName: "Kim Member" } });
    await t.submit(coordinator, form, { ...values, champions: [jo.id, kim.id] });
    expect((await t.db.prisma.member.findUniqueOrThrow({ where: { id: kim.id } })).role).toBe("champion");
    await t.submit(coordinator, form, { ...values, champions: [jo.id], action1: "Trauma-informed training for every housing officer", action1Status: "in_progress" });
    expect((await t.db.prisma.member.findUniqueOrThrow({ where: { id: jo.id } })).role).toBe("champion");
    expect((await t.db.prisma.member.findUniqueOrThrow({ where: { id: kim.id } })).role).toBe("member");
    expect((await t.db.prisma.auditEntry.findFirstOrThrow({ where: { action: "organisation.edit" } })).subject).toBe("Riverside Housing");

    const list = viewText(await t.say(coordinator, "orgs"));
    expect(list).toContain("Calder School (Education): pledge not recorded; no champions yet. Key actions: Train every teaching assistant (not started yet, by 31 Jul 2027)");
    expect(list).toContain("Riverside Housing (Housing, Kirklees): pledge not recorded; champions: Jo Champion. Key actions: Trauma-informed training for every housing officer (in progress)");
  });

  it("lets a champion see and update their own organisation's key actions, and tells members kindly", async () => {
    const mine = await t.say(champion, "org");
    expect(viewText(mine)).toContain("Trauma-informed training for every housing officer (in progress)");
    expect(viewText(mine)).toContain("Update key actions");
    expect(viewText(await t.say(member, "org actions"))).toContain("champions keep its key actions up to date");

    const form = expectForm(await t.say(champion, "org actions"));
    const refused = expectForm(await t.submit(champion, form, { action1: "Trauma-informed training for every housing officer", action1Date: "someday", action1Status: "done" }));
    expect(refused.inputs.find((input) => input.id === "action1Date")).toMatchObject({ type: "date", value: "someday", error: expect.stringMatching(/choose it from the calendar/) });
    const saved = await t.submit(champion, form, { action1: "Trauma-informed training for every housing officer", action1Status: "done", action2: "Rewrite eviction letters with tenants", action2Status: "in_progress" });
    expect(viewText(saved)).toContain("key actions are saved (2 of 2)");
    const actions = await t.db.prisma.keyAction.findMany({ where: { organisation: { name: "Riverside Housing" } }, orderBy: { position: "asc" } });
    expect(actions.map((action) => action.status)).toEqual(["done", "in_progress"]);
  });

  it("answers kindly where there is no report or cycle to show, and refuses a cycle number that isn't one", async () => {
    expect(viewText(await t.say(member, "report"))).toContain("Your organisation's champions file its milestone reports");
    expect(viewText(await t.say(champion, "report"))).toContain("There's no report to fill in for Riverside Housing right now");
    expect(viewText(await t.say(coordinator, "reports"))).toContain("No reporting cycle is open yet");
    expect(viewText(await t.say(coordinator, "reports banana"))).toContain(`"banana" isn't a cycle number`);
    expect(viewText(await t.say(coordinator, "reports 42"))).toContain("There's no cycle #42");
    expect(viewText(await t.say(champion, "report snooze not-an-id"))).toContain("that button is out of date");
    const cycle = expectForm(await t.say(coordinator, "cycle"));
    const refused = expectForm(await t.submit(coordinator, cycle, { dueOn: "soon", cadence: "weekly", organisations: ["not-an-organisation"] }));
    expect(Object.fromEntries(refused.inputs.filter((input) => input.error).map((input) => [input.id, input.error]))).toEqual({
      dueOn: "I couldn't read that as a date. Please choose it from the calendar.",
      cadence: "Please choose how often from the list.",
      organisations: "Please choose from the list.",
    });
    expect(await t.db.prisma.reportingCycle.count()).toBe(0);
  });

  it("includes an organisation added while a cycle for every organisation is open", async () => {
    const cycle = expectForm(await t.say(coordinator, "cycle"));
    const dueOn = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    expect(viewText(await t.submit(coordinator, cycle, { dueOn, cadence: "0" }))).toMatch(/is open: 2 organisations/);
    const form = expectForm(await t.say(coordinator, "org add"));
    expect(viewText(await t.submit(coordinator, form, { name: "Pennine Police", sector: "police" }))).toContain("It's part of the open reporting cycle");
    expect(await t.db.prisma.reportRequest.count({ where: { organisation: { name: "Pennine Police" } } })).toBe(1);
  });
});
