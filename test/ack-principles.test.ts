import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Address } from "../src/core/kernel/interaction.js";
import { principleReuseMs } from "../src/core/updates/principle-names.js";
import { startTestBot, viewText, type TestBot } from "./support/bot.js";

const robin: Address = { platform: "slack", workspaceId: "T0TEST", userId: "UROBIN", displayName: "Robin" };

// Updates tag principles from a copy each process reuses for a few seconds (it saves a round trip on
// every `/ti update`): a renamed principle must be what people see once that window has passed.
describe("the principles an update is tagged with", () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot();
    await t.join(robin);
  });
  afterAll(async () => t?.db.destroy());

  it("follow a renamed principle within a few seconds", async () => {
    expect(viewText(await t.say(robin, "update Ran a session #safety"))).toContain("Principles: Safety");
    await t.db.prisma.principle.updateMany({ where: { name: "Safety" }, data: { name: "Sanctuary" } });
    await new Promise((resolve) => setTimeout(resolve, principleReuseMs + 200));

    const reply = viewText(await t.say(robin, "update Ran another session #sanctuary"));
    expect(reply).toContain("Principles: Sanctuary");
    expect(reply).not.toContain("isn't one of the network's principles");
  }, 20_000);
});
