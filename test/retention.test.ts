// The retention job on a real database: rows just past each limit go, rows just inside it stay, and
// deliveries still on their way are never touched, however old.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { ensureNetwork } from "../src/core/network.js";
import { createLogger } from "../src/log.js";
import { features } from "../src/core/features.js";
import { catalogue } from "../src/core/kernel/catalogue.js";
import { coreContext } from "./support/core-context.js";
import { applyRetention, retentionJob, retentionOutcome } from "../src/core/privacy/retention.js";
import { createScheduler } from "../src/scheduler/scheduler.js";
import { startTestApp } from "./support/app.js";
import { createTestDatabase, type TestDatabase } from "./support/database.js";
import { eventually } from "./support/eventually.js";
import { seedMembers, type SeededMember } from "./support/seed.js";
import { slackUser } from "./support/slack-user.js";

let db: TestDatabase;
let networkId: string;
let member: SeededMember;

const dayMs = 86_400_000;
const minuteMs = 60_000;
// Noon in London on 1 June: the night's 03:30 run is due and unclaimed.
const now = new Date("2026-06-01T11:00:00Z");
const limits = { deliveries: 180, auditEntries: 730, checkIns: 90 };
const deliveryCutoff = now.getTime() - limits.deliveries * dayMs;
const auditCutoff = now.getTime() - limits.auditEntries * dayMs;
const justPast = (cutoff: number) => new Date(cutoff - minuteMs);
const justInside = (cutoff: number) => new Date(cutoff + minuteMs);

beforeAll(async () => {
  db = await createTestDatabase();
  networkId = (await ensureNetwork(db.prisma, { name: "Retention network", timeZone: "Europe/London", sendingHours: "always" })).id;
  member = (await seedMembers(db.prisma, { slack: { count: 1 } }))[0]!;
});

afterAll(async () => {
  await db?.destroy();
});

type DeliveryStatus = "queued" | "sending" | "sent" | "retrying" | "failed" | "gone" | "cancelled";

async function delivery(name: string, status: DeliveryStatus, times: { sentAt?: Date; updatedAt: Date }): Promise<string> {
  const row = await db.prisma.delivery.create({
    data: {
      networkId,
      purposeKey: `retention-test:${name}:${randomUUID()}`,
      addressId: member.addressId,
      memberId: member.memberId,
      platform: "slack",
      workspaceId: member.workspaceId,
      view: { type: "message", summary: name, blocks: [] },
      status,
      sentAt: times.sentAt ?? null,
      updatedAt: times.updatedAt,
      createdAt: new Date(times.updatedAt.getTime() - dayMs),
    },
  });
  return row.id;
}

async function auditEntry(name: string, createdAt: Date): Promise<string> {
  const row = await db.prisma.auditEntry.create({ data: { networkId, actorName: "Alex Coordinator", action: "test", subject: name, createdAt } });
  return row.id;
}

describe("retention", () => {
  it("deletes settled deliveries and audit entries past their time, and nothing else", async () => {
    const old = new Date(now.getTime() - 1_000 * dayMs);
    const doomed = [
      await delivery("sent just past", "sent", { sentAt: justPast(deliveryCutoff), updatedAt: justPast(deliveryCutoff) }),
      await delivery("failed just past, never sent", "failed", { updatedAt: justPast(deliveryCutoff) }),
      await delivery("gone just past", "gone", { updatedAt: justPast(deliveryCutoff) }),
      await delivery("cancelled long ago", "cancelled", { updatedAt: old }),
      await delivery("sent long ago, its line edited since", "sent", { sentAt: justPast(deliveryCutoff), updatedAt: justInside(deliveryCutoff) }),
    ];
    const kept = [
      await delivery("sent just inside", "sent", { sentAt: justInside(deliveryCutoff), updatedAt: justInside(deliveryCutoff) }),
      await delivery("failed just inside", "failed", { updatedAt: justInside(deliveryCutoff) }),
      // Sending time is what counts for a sent message, not when its row last changed.
      await delivery("sent inside, row touched long ago", "sent", { sentAt: justInside(deliveryCutoff), updatedAt: old }),
      await delivery("queued long ago", "queued", { updatedAt: old }),
      await delivery("sending long ago", "sending", { updatedAt: old }),
      await delivery("retrying long ago", "retrying", { updatedAt: old }),
    ];
    const doomedAudit = [await auditEntry("just past", justPast(auditCutoff)), await auditEntry("long ago", old)];
    const keptAudit = [await auditEntry("just inside", justInside(auditCutoff)), await auditEntry("yesterday", new Date(now.getTime() - dayMs))];

    // Batches of two, so the five doomed deliveries take three statements.
    const job = retentionJob({ prisma: db.prisma, limits, now: () => now, batchSize: 2 });
    // It ran here the night before, so the night of the 1st, unclaimed, is caught up at start.
    await db.prisma.jobRun.create({ data: { job: job.id, slot: "2026-05-31", finishedAt: new Date(), outcome: "ran" } });
    const scheduler = createScheduler({ prisma: db.prisma, jobs: [job], timeZone: "Europe/London", log: createLogger("silent"), now: () => now });
    await scheduler.start();
    await scheduler.stop();

    const deliveries = await db.prisma.delivery.findMany({ select: { id: true } });
    expect(deliveries.map((row) => row.id).sort()).toEqual([...kept].sort());
    expect(doomed.every((id) => !deliveries.some((row) => row.id === id))).toBe(true);
    const audit = await db.prisma.auditEntry.findMany({ select: { id: true } });
    expect(audit.map((row) => row.id).sort()).toEqual([...keptAudit].sort());
    expect(doomedAudit.every((id) => !audit.some((row) => row.id === id))).toBe(true);

    const run = await db.prisma.jobRun.findUniqueOrThrow({ where: { job_slot: { job: "retention", slot: "2026-06-01" } } });
    expect(run.outcome).toBe("deleted 5 deliveries settled over 180 days ago and 2 audit entries over 730 days old; erased the text of 0 check-ins over 90 days old");
    expect(run.finishedAt).toBeInstanceOf(Date);

    // Run again in the same slot: claimed already, so nothing happens.
    expect(await scheduler.runSlot("retention", now)).toEqual({ ran: false, slot: "2026-06-01" });
  });

  it("erases check-in text past its time, keeping the score for the member's own trend", async () => {
    const cutoff = now.getTime() - 90 * dayMs;
    const checkIn = (name: string, createdAt: Date) =>
      db.prisma.checkIn.create({ data: { memberId: member.memberId, score: 2, reflection: `reflection ${name}`, noticed: `noticed ${name}`, createdAt } });
    const past = [await checkIn("just past", justPast(cutoff)), await checkIn("long ago", new Date(cutoff - 400 * dayMs))];
    const inside = await checkIn("just inside", justInside(cutoff));
    const result = await applyRetention({ prisma: db.prisma, limits: { ...limits, checkIns: 90 }, now: () => now, batchSize: 1 });
    expect(result.checkInTexts).toBe(2);
    const rows = await db.prisma.checkIn.findMany({ orderBy: { createdAt: "asc" } });
    expect(rows.map((row) => [row.id, row.score, row.reflection, row.noticed, row.textErasedAt])).toEqual([
      [past[1]!.id, 2, null, null, now],
      [past[0]!.id, 2, null, null, now],
      [inside.id, 2, "reflection just inside", "noticed just inside", null],
    ]);
    expect(retentionOutcome(result, { ...limits, checkIns: 90 })).toContain("erased the text of 2 check-ins over 90 days old");
    // Erased once: the next night finds nothing more to do.
    expect((await applyRetention({ prisma: db.prisma, limits: { ...limits, checkIns: 90 }, now: () => now })).checkInTexts).toBe(0);
  });

  it("reads its limits from the configuration, 180 and 730 days by default, and runs nightly at 03:30", async () => {
    const defaults = loadConfig({});
    expect([defaults.TI_RETAIN_DELIVERY_DAYS, defaults.TI_RETAIN_AUDIT_DAYS, defaults.TI_RETAIN_CHECKIN_DAYS]).toEqual([180, 730, 90]);
    const network = await db.prisma.network.findFirstOrThrow();
    const declared = catalogue(features);
    const jobs = declared.jobs(coreContext(db, network, { now: () => now, ...declared.settings(loadConfig({ TI_RETAIN_DELIVERY_DAYS: "30" })) }));
    const retention = jobs.find((job) => job.id === "retention");
    expect(retention).toMatchObject({ id: "retention", cron: "30 3 * * *" });
    expect(() => loadConfig({ TI_RETAIN_AUDIT_DAYS: "0" })).toThrow(/TI_RETAIN_AUDIT_DAYS/);
  });

  it("runs when the bot starts if the night's run was missed, with the configured limits, which the privacy notice states", async () => {
    const own = await createTestDatabase();
    try {
      await ensureNetwork(own.prisma, { name: "Retention network", timeZone: "Europe/London", sendingHours: "always" });
      const [someone] = await seedMembers(own.prisma, { slack: { count: 1 } });
      const network = await own.prisma.network.findFirstOrThrow();
      const sent = (days: number) =>
        own.prisma.delivery.create({
          data: {
            networkId: network.id,
            purposeKey: `retention-app:${days}`,
            addressId: someone!.addressId,
            platform: "slack",
            workspaceId: someone!.workspaceId,
            view: { type: "message", summary: "hello", blocks: [] },
            status: "sent",
            sentAt: new Date(now.getTime() - days * dayMs),
            updatedAt: new Date(now.getTime() - days * dayMs),
          },
        });
      await sent(31);
      const recent = await sent(29);
      // The job ran here the night before; the bot was then down over the night of the 1st.
      await own.prisma.jobRun.create({ data: { job: "retention", slot: "2026-05-31", finishedAt: new Date(), outcome: "ran" } });
      const t = await startTestApp({ db: own, now: () => now, env: { TI_RETAIN_DELIVERY_DAYS: "30", TI_RETAIN_CHECKIN_DAYS: "45" } });
      try {
        const run = await eventually(async () => (await own.prisma.jobRun.findFirst({ where: { job: "retention", slot: "2026-06-01", finishedAt: { not: null } } })) ?? undefined, {
          what: "the retention run at start",
        });
        expect(run).toMatchObject({
          slot: "2026-06-01",
          outcome: "deleted 1 delivery settled over 30 days ago and 0 audit entries over 730 days old; erased the text of 0 check-ins over 45 days old",
        });
        expect((await own.prisma.delivery.findMany()).map((row) => row.id)).toEqual([recent.id]);

        // The privacy notice states the periods the job applies.
        const { answer, since } = await slackUser(t, { id: "U0READER", name: "Sam" }).command("privacy");
        const notice = JSON.stringify(JSON.stringify(answer) === '""' ? (await t.slack.waitFor("response_url", { since })).body : answer);
        expect(notice).toContain("30 days after sending");
      } finally {
        await t.close();
      }
    } finally {
      await own.destroy();
    }
  });
});
