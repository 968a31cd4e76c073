// A 429 pauses its whole workspace for the Retry-After it gives, including the sends the dispatcher had
// already claimed and was pacing: none of them may reach the platform before the pause is over.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Address } from "../src/core/kernel/interaction.js";
import { startTestApp, type TestApp } from "./support/app.js";
import { viewText } from "./support/bot.js";
import { eventually } from "./support/eventually.js";
import { seedMembers, type SeededMember } from "./support/seed.js";

const coordinator: Address = { platform: "slack", workspaceId: "T0TEST", userId: "U0COORD", displayName: "Alex" };

describe("a workspace's Retry-After", () => {
  let t: TestApp;
  let people: SeededMember[];

  beforeAll(async () => {
    // Ten a second: a claim holds about two seconds' worth, so most of it is still waiting when the 429 comes.
    t = await startTestApp({ env: { TI_COORDINATORS: "slack:U0COORD", TI_SENDING_HOURS: "always", TI_SLACK_WORKSPACE_RATE: "10" } });
    people = await seedMembers(t.db.prisma, { slack: { count: 30 } });
  });

  afterAll(async () => {
    await t?.close();
  });

  it("holds back the sends already claimed until the pause is over, then sends each exactly once", async () => {
    const recipients = new Set(people.map((person) => person.userId));
    const arrivals: number[] = [];
    // `where` runs as the fake records each call, before it answers: the time of arrival, and a 429 that
    // answers this very call (the fifth to a recipient).
    void t.slack
      .waitFor("chat.postMessage", {
        since: t.slack.calls.length,
        timeoutMs: 20_000,
        where(call) {
          if (!recipients.has(call.body.channel)) return false;
          if (arrivals.length === 4) t.slack.rateLimitNext("chat.postMessage", 1);
          arrivals.push(Date.now());
          return false;
        },
      })
      .catch(() => undefined);

    const preview = await t.app.bot.handle({ from: coordinator, verb: "broadcast", text: "", form: { values: { who: "everyone", timing: "now", message: "Paced news" }, context: {} } });
    const number = /Preview of broadcast #(\d+)/.exec(viewText(preview))![1]!;
    await t.app.bot.handle({ from: coordinator, verb: "broadcast send", text: number });
    await eventually(async () => people.every((person) => t.slack.postCount(person.userId) === 1), { timeoutMs: 20_000, what: "everyone receiving it once" });

    // The fake answered the fifth send 429 with Retry-After: 1: the rest wait a second. One send may already
    // be on its way, its slot having come before the dispatcher read the 429 (on PGlite the database shares
    // its event loop); without the pause, the ten in hand would all land inside.
    const throttledAt = arrivals[4]!;
    const inside = arrivals.filter((at) => at > throttledAt && at < throttledAt + 990);
    expect(inside.length, `arrivals, ms after the 429: ${arrivals.map((at) => at - throttledAt).join(", ")}`).toBeLessThanOrEqual(1);
    expect(arrivals.length).toBe(people.length + 1);
  });
});
