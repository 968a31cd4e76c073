import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Address } from "../src/core/kernel/interaction.js";
import { renderMessage } from "../adapters/slack/render.js";
import { expectForm, startTestBot, viewText, type TestBot } from "./support/bot.js";

const slackSam: Address = { platform: "slack", workspaceId: "T1", userId: "U_SAM", displayName: "Sam Jones" };
const teamsSam: Address = { platform: "teams", workspaceId: "tenant-1", userId: "29:sam", displayName: "Sam Jones (NHS)" };
const coordinator: Address = { platform: "slack", workspaceId: "T1", userId: "U_COORD", displayName: "Chris" };
const alex: Address = { platform: "slack", workspaceId: "T1", userId: "U_ALEX", displayName: "Alex" };

describe("membership rules in the core", () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot({ coordinators: [coordinator] });
  });
  afterAll(async () => t?.db.destroy());

  it("prefills the name from the platform, and joining again edits the same profile", async () => {
    const form = expectForm(await t.say(slackSam, "join"));
    expect(form.inputs.find((input) => input.id === "displayName")).toMatchObject({ value: "Sam Jones" });
    await t.join(slackSam);
    const again = expectForm(await t.say(slackSam, "join"));
    expect(again.title).toBe("Edit your profile");
    expect(again.inputs.find((input) => input.id === "trainingLevel")).toMatchObject({ value: "skilled" });
    await t.submit(slackSam, again, { displayName: "Sam J", organisation: again.inputs.find((i) => i.id === "organisation") ? (await t.db.prisma.organisation.findFirstOrThrow()).id : undefined, role: "member", trainingLevel: "enhanced" });
    const members = await t.db.prisma.member.findMany();
    expect(members).toHaveLength(1);
    expect(members[0]).toMatchObject({ displayName: "Sam J", role: "member", trainingLevel: "enhanced" });
  });

  it("refuses a value outside the form's choices and keeps what was typed", async () => {
    const form = expectForm(await t.say(alex, "join"));
    const refused = expectForm(await t.submit(alex, form, { displayName: "Alex P", newOrganisation: "Hillside School", sector: "spaceflight", role: "captain" }));
    expect(refused.inputs.find((input) => input.id === "sector")?.error).toBe("Please choose one of the options.");
    expect(refused.inputs.find((input) => input.id === "role")?.error).toBe("Please choose one of the options.");
    expect(refused.inputs.find((input) => input.id === "displayName")).toMatchObject({ value: "Alex P" });
    expect(refused.inputs.find((input) => input.id === "newOrganisation")).toMatchObject({ value: "Hillside School" });
    expect(await t.db.prisma.member.count({ where: { displayName: "Alex P" } })).toBe(0);
  });

  it("reuses an organisation typed again in another case instead of adding a duplicate", async () => {
    const form = expectForm(await t.say(alex, "join"));
    await t.submit(alex, form, { displayName: "Alex", newOrganisation: "RIVERSIDE HOUSING", sector: "housing", role: "member" });
    expect(await t.db.prisma.organisation.count()).toBe(1);
  });

  it("links a Teams address to the Slack membership with a one-time code", async () => {
    const issued = await t.say(slackSam, "link");
    const code = /link code is ([A-Z0-9]{6})/.exec(viewText(issued))?.[1];
    expect(code).toBeDefined();
    expect(viewText(await t.say(teamsSam, `link ${code!.toLowerCase()}`))).toContain("Linked");
    const member = await t.db.prisma.member.findFirstOrThrow({ where: { displayName: "Sam J" }, include: { addresses: true } });
    expect(member.addresses.map((address) => address.platform).sort()).toEqual(["slack", "teams"]);
    expect(viewText(await t.say(teamsSam, "me"))).toContain("Slack and Teams");
    expect(viewText(await t.say(teamsSam, `link ${code}`))).toContain("didn't work");
  });

  it("refuses an expired or unknown code kindly", async () => {
    const stranger: Address = { platform: "teams", workspaceId: "tenant-1", userId: "29:stranger" };
    expect(viewText(await t.say(stranger, "link ZZZZZZ"))).toContain("That code didn't work");
  });

  it("lets only coordinators change roles, and never removes the last coordinator", async () => {
    expect(viewText(await t.say(alex, "role Sam J coordinator"))).toContain("Only the network's coordinators");
    await t.join(coordinator);
    expect(viewText(await t.say(coordinator, "role @Sam J champion"))).toContain("Sam J is now a champion");
    expect(viewText(await t.say(coordinator, "role", { mentions: [alex] }))).toContain("Which role?");
    expect(viewText(await t.say(coordinator, "role @Alex coordinator", { mentions: [alex] }))).toContain("Alex is now a coordinator");
    expect(viewText(await t.say(alex, "role Chris member"))).toContain("through the bot's configuration");
    expect(viewText(await t.say(alex, "role Alex member"))).toContain("Alex is now a member");
    expect(viewText(await t.say(coordinator, "role Nobody champion"))).toContain("couldn't find a member");
  });

  it("answers an unknown verb kindly, with help", async () => {
    const reply = viewText(await t.say(alex, "dance wildly"));
    expect(reply).toContain(`I don't know "dance" yet`);
    expect(reply).toContain("/ti update");
  });

  it("shows coordinator verbs in help only to coordinators", async () => {
    expect(viewText(await t.say(coordinator, "help"))).toContain("/ti role");
    expect(viewText(await t.say(alex, "help"))).not.toContain("/ti role");
  });

  it("groups help by area, shows one area when asked, and fits Slack's limits even for a coordinator", async () => {
    const everything = await t.say(coordinator, "help");
    if (everything.type !== "message") throw new Error("help should be a message");
    const headings = everything.blocks.filter((block) => block.type === "heading").map((block) => (block.type === "heading" ? block.text : ""));
    expect(headings).toEqual(["You and the network", "Network events", "Organisations and milestone reports", "Pulse questions", "Check-ins", "Training", "Running the network"]);
    expect(renderMessage(everything).blocks.length).toBeLessThanOrEqual(50);

    const events = viewText(await t.say(alex, "help events"));
    expect(events).toContain("/ti events");
    expect(events).not.toContain("/ti update");
    expect(events).not.toContain("/ti event new");
    expect(viewText(await t.say(alex, "help event"))).toContain("/ti events");

    const unknown = viewText(await t.say(alex, "help dancing"));
    expect(unknown).toContain(`I don't have a help section called "dancing"`);
    expect(unknown).toContain("/ti update");
  });
});

describe("the join form shows every problem at once", () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot();
  });
  afterAll(async () => t?.db.destroy());

  it("a blank name and a new organisation without a sector are both reported on the first submit", async () => {
    const someone: Address = { platform: "teams", workspaceId: "tenant-1", userId: "29:someone" };
    const form = expectForm(await t.say(someone, "join"));
    const refused = expectForm(await t.submit(someone, form, { displayName: " ", newOrganisation: "Hillside School", role: "member" }));
    const errors = Object.fromEntries(refused.inputs.filter((input) => input.error).map((input) => [input.id, input.error]));
    expect(errors).toEqual({ displayName: "Please tell us the name to show.", sector: "Which sector is the new organisation in?" });
    expect(await t.db.prisma.member.count()).toBe(0);
    expect(await t.db.prisma.organisation.count()).toBe(0);
  });
});
