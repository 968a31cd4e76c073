// Replicas on one PostgreSQL: two bot processes share the outbox and send each delivery once; a process
// killed mid-broadcast loses nothing, and what it had in flight is all that may arrive twice.
// PostgreSQL only: PGlite is one process's embedded database and serialises everything.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CoreContext } from "../src/core/kernel/context.js";
import { ensureNetwork } from "../src/core/network.js";
import { queueDeliveries } from "../src/core/kernel/outbox.js";
import { recipientsQuery } from "../src/core/kernel/audience.js";
import { message, text } from "../src/core/kernel/view.js";
import { createTestDatabase, usingPostgres, type TestDatabase } from "./support/database.js";
import { eventually } from "./support/eventually.js";
import { startFakeSlack, type FakeSlack } from "./support/fake-slack.js";
import { startBot, stopBot, type Running } from "./support/process.js";
import { seedMembers, type SeededMember } from "./support/seed.js";
import { coreContext } from "./support/core-context.js";

describe.runIf(usingPostgres)("delivery replicas on one PostgreSQL", () => {
  let db: TestDatabase;
  let slack: FakeSlack;
  let ctx: CoreContext;
  const running: Running[] = [];

  const env = (token: string, extra: Record<string, string> = {}) => ({
    DATABASE_URL: db.url!,
    LOG_LEVEL: "info",
    SLACK_SIGNING_SECRET: "replica-secret",
    // Each replica has its own token, so the fake Slack can tell who sent what.
    SLACK_BOT_TOKEN: token,
    SLACK_API_URL: slack.url,
    TI_SENDING_HOURS: "always",
    TI_DELIVERY_LEASE_SECONDS: "5",
    ...extra,
  });

  beforeAll(async () => {
    db = await createTestDatabase();
    slack = await startFakeSlack();
    const network = await ensureNetwork(db.prisma, { name: "Replica network", timeZone: "Europe/London", sendingHours: "always" });
    ctx = coreContext(db, network);
  });

  afterAll(async () => {
    await Promise.all(running.filter((bot) => bot.child.exitCode === null && bot.child.signalCode === null).map((bot) => stopBot(bot)));
    await slack?.close();
    await db?.destroy();
  });

  async function queue(purposeKey: string, organisation: string, count: number): Promise<SeededMember[]> {
    const people = await seedMembers(db.prisma, { slack: { count }, organisation: { name: organisation, sector: "health" } });
    const organisationId = (await db.prisma.organisation.findFirstOrThrow({ where: { name: organisation } })).id;
    const queued = await queueDeliveries(ctx, {
      purposeKey,
      view: message("Replica test", text("Hello from the network")),
      recipients: recipientsQuery(ctx, { who: "everyone", organisations: [organisationId], sectors: [], localities: [], trainingLevels: [], platforms: ["slack"] }),
      respectQuietHours: false,
    });
    expect(queued).toBe(count);
    return people;
  }

  const unsettled = () => db.prisma.delivery.count({ where: { status: { in: ["queued", "sending", "retrying"] } } });

  it("two processes share one outbox and send each delivery exactly once", async () => {
    running.push(await startBot(env("xoxb-replica-a")), await startBot(env("xoxb-replica-b")));
    const people = await queue("replicas:both", "Both Replicas Trust", 400);
    await eventually(async () => (await unsettled()) === 0, { timeoutMs: 60_000, what: "all 400 deliveries settling" });

    expect(people.filter((person) => slack.postCount(person.userId) !== 1)).toEqual([]);
    const posts = slack.calls.filter((call) => call.method === "chat.postMessage");
    const byToken = (token: string) => posts.filter((call) => call.token === token).length;
    expect(byToken("xoxb-replica-a") + byToken("xoxb-replica-b")).toBe(400);
    // Both replicas did part of the work: the test would prove nothing if one did it all.
    expect(byToken("xoxb-replica-a")).toBeGreaterThan(0);
    expect(byToken("xoxb-replica-b")).toBeGreaterThan(0);
    await Promise.all(running.splice(0).map((bot) => stopBot(bot)));
  }, 120_000);

  it("a process killed mid-broadcast loses nothing; the next one finishes it", async () => {
    // Slowed to 40 a second, so the kill lands mid-run.
    const first = await startBot(env("xoxb-killed", { TI_SLACK_WORKSPACE_RATE: "40" }));
    running.push(first);
    const people = await queue("replicas:killed", "Killed Replica Trust", 600);
    await eventually(async () => (await db.prisma.delivery.count({ where: { purposeKey: "replicas:killed", status: "sent" } })) >= 100, {
      timeoutMs: 30_000,
      what: "a hundred sent",
    });
    first.child.kill("SIGKILL");
    await new Promise((resolve) => first.child.once("exit", resolve));
    const inFlight = await db.prisma.delivery.count({ where: { purposeKey: "replicas:killed", status: "sending" } });
    expect(await unsettled()).toBeGreaterThan(0);

    running.push(await startBot(env("xoxb-restarted")));
    await eventually(async () => (await unsettled()) === 0, { timeoutMs: 90_000, what: "the broadcast finishing after the restart" });

    const counts = people.map((person) => slack.postCount(person.userId));
    expect(counts.filter((count) => count === 0)).toHaveLength(0);
    const duplicates = counts.reduce((sum, count) => sum + Math.max(0, count - 1), 0);
    expect(duplicates).toBeLessThanOrEqual(inFlight);
    expect(await db.prisma.delivery.count({ where: { purposeKey: "replicas:killed", status: "sent" } })).toBe(600);
  }, 180_000);
});
