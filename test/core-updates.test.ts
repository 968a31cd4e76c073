import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Address } from "../src/core/kernel/interaction.js";
import { updateTextLimit } from "../src/core/updates/save-update.js";
import { expectForm, startTestBot, viewText, type TestBot } from "./support/bot.js";

const sam: Address = { platform: "teams", workspaceId: "tenant-1", userId: "29:sam", displayName: "Sam" };

describe("sharing updates in the core", () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot();
    await t.join(sam);
  });
  afterAll(async () => t?.db.destroy());

  const errorsOf = (view: Awaited<ReturnType<TestBot["say"]>>) =>
    Object.fromEntries(expectForm(view).inputs.filter((input) => input.error).map((input) => [input.id, input.error]));

  it("refuses an over-long update kindly and gives the whole text back", async () => {
    const long = `Ran a long session ${"and reflected ".repeat(200)}`.trim();
    expect(long.length).toBeGreaterThan(updateTextLimit);
    const reply = viewText(await t.say(sam, `update ${long}`));
    expect(reply).toContain(`an update can be up to ${updateTextLimit.toLocaleString("en-GB")}`);
    expect(reply).toContain(long);
    expect(await t.db.prisma.update.count()).toBe(0);
  });

  it("a bare update opens the form, which refuses empty text, a bad link and choices not offered, keeping the rest", async () => {
    const form = expectForm(await t.say(sam, "update"));
    expect(form.inputs.map((input) => input.id)).toEqual(["text", "kind", "principles", "link", "sharing"]);
    const refused = await t.submit(sam, form, { text: "  ", kind: "party", principles: ["not-a-principle"], link: "ftp://example.org/x" });
    expect(errorsOf(refused)).toEqual({
      text: "Please say what happened.",
      kind: "Please choose one of the options.",
      link: "Please give a full web address starting with https://",
    });
    expect(expectForm(refused).inputs.find((input) => input.id === "link")).toMatchObject({ value: "ftp://example.org/x" });

    const otherwiseValid = await t.submit(sam, form, { text: "Audit of waiting rooms", principles: ["not-a-principle"] });
    expect(errorsOf(otherwiseValid)).toEqual({ principles: "Please choose principles from the list." });
    expect(await t.db.prisma.update.count()).toBe(0);
  });

  it("stores what the form chose together with the hashtags in the text", async () => {
    const form = expectForm(await t.say(sam, "update"));
    const principles = await t.db.prisma.principle.findMany({ orderBy: { position: "asc" } });
    const choice = principles.find((principle) => principle.name === "Choice")!;
    const reply = viewText(
      await t.submit(sam, form, { text: "Changed our waiting room #safety", kind: "practice_change", principles: [choice.id], link: "https://example.org/story" }),
    );
    expect(reply).toContain("Principles: Safety, Choice");
    const update = await t.db.prisma.update.findFirstOrThrow({ include: { principles: true } });
    expect(update).toMatchObject({ kind: "practice_change", link: "https://example.org/story", sourcePlatform: "teams" });
    expect(update.principles).toHaveLength(2);
  });

  it("keeps unknown hashtags as text and says so", async () => {
    const reply = viewText(await t.say(sam, "update Team lunch #wellbeing"));
    expect(reply).toContain("#wellbeing isn't one of the network's principles");
  });
});
