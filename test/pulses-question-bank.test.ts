// The pulse question bank through the core on a real database: defaults for every principle seeded once,
// coordinators add, edit and retire questions, a question already asked keeps its results when edited,
// and a retired question is never asked again.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Address } from "../src/core/kernel/interaction.js";
import { ensureNetwork } from "../src/core/network.js";
import { expectForm, startTestBot, viewText, type TestBot } from "./support/bot.js";

const coordinator: Address = { platform: "slack", workspaceId: "T0TEST", userId: "U0COORD", displayName: "Alex" };
let t: TestBot;

beforeAll(async () => {
  t = await startTestBot({ coordinators: [coordinator] });
});

afterAll(async () => {
  await t?.db.destroy();
});

describe("the pulse question bank", () => {
  it("seeds two or three questions per principle, once", async () => {
    const counts = await t.db.prisma.principle.findMany({ select: { name: true, _count: { select: { pulseQuestions: true } } } });
    expect(counts).toHaveLength(6);
    for (const principle of counts) expect(principle._count.pulseQuestions).toBeGreaterThanOrEqual(2);
    const before = await t.db.prisma.pulseQuestion.count();
    await ensureNetwork(t.db.prisma, { name: "Test network", timeZone: "Europe/London", sendingHours: "always" });
    expect(await t.db.prisma.pulseQuestion.count()).toBe(before);
    const choice = await t.db.prisma.pulseQuestion.findFirstOrThrow({ where: { principle: { name: "Choice" } }, orderBy: { position: "asc" } });
    expect(choice.text).toBe("This week, how often did the people you support have a real say in decisions about them?");
    expect(choice.scaleLabels).toEqual(["Never", "Rarely", "Sometimes", "Often", "Always"]);
  });

  it("adds a question, refusing a bad one with every error and the values kept", async () => {
    const form = expectForm(await t.say(coordinator, "pulse add"));
    const refused = expectForm(await t.submit(coordinator, form, { principle: "nope", text: "short", scale: "agreement" }));
    expect(refused.inputs.find((input) => input.id === "principle")?.error).toMatch(/choose/);
    expect(refused.inputs.find((input) => input.id === "text")?.error).toMatch(/10 characters/);
    expect(refused.inputs.find((input) => input.id === "text")).toMatchObject({ value: "short" });
    const trust = await t.db.prisma.principle.findFirstOrThrow({ where: { name: "Trust" } });
    const added = viewText(await t.submit(coordinator, form, { principle: trust.id, text: "People can rely on what our service tells them.", scale: "agreement" }));
    const number = Number(/Q(\d+)/.exec(added)![1]);
    expect(viewText(await t.say(coordinator, "pulse questions"))).toContain(`Q${number}: People can rely on what our service tells them. (Strongly disagree … Strongly agree)`);
  });

  it("edits a question asked before as a new one, and never asks a retired question", async () => {
    const safety = await t.db.prisma.pulseQuestion.findMany({ where: { principle: { name: "Safety" } }, orderBy: { position: "asc" } });
    expect(viewText(await t.say(coordinator, "pulse start safety"))).toContain(safety[0]!.text);
    const form = expectForm(await t.say(coordinator, `pulse edit ${safety[0]!.position}`));
    const saved = viewText(await t.submit(coordinator, form, { principle: safety[0]!.principleId, text: "This week, how safe did people seem with you?", scale: "frequency" }));
    expect(saved).toMatch(/keeps its results and is retired/);
    expect(await t.db.prisma.pulseQuestion.findUniqueOrThrow({ where: { id: safety[0]!.id } })).toMatchObject({ text: safety[0]!.text, retiredAt: expect.any(Date) });

    for (const question of safety.slice(1)) expect(viewText(await t.say(coordinator, `pulse retire ${question.position}`))).toContain("won't be asked again");
    expect(viewText(await t.say(coordinator, "pulse retire 999"))).toContain("can't find");
    await t.db.prisma.pulseRound.updateMany({ data: { closedAt: new Date() } });
    expect(viewText(await t.say(coordinator, "pulse start safety"))).toContain("This week, how safe did people seem with you?");

    const member: Address = { platform: "slack", workspaceId: "T0TEST", userId: "U0MEMBER" };
    expect(viewText(await t.say(member, "pulse retire 1"))).toContain("Only the network's coordinators");
  });
});
