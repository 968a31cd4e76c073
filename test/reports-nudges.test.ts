// The nudge timeline of a reporting cycle, run day by day on a real database through the core and the
// report jobs: a week before, on the day and a week after, once each; Not now, hand-over, Stop these
// (coordinators told), the cap, a report submitted (queued nudges held back) and a champion who left;
// the weekly overdue digest; and, on PostgreSQL, two replicas running the same slot nudging once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import type { Bot } from "../src/core/kernel/bot.js";
import { parseCommand } from "../src/core/kernel/command.js";
import type { CoreContext } from "../src/core/kernel/context.js";
import { createBot } from "../src/core/kernel/create-bot.js";
import type { Address, FormValues } from "../src/core/kernel/interaction.js";
import { ensureNetwork } from "../src/core/network.js";
import { openCycle, openNextCycle } from "../src/core/reports/open-cycle.js";
import { queueOverdueDigest } from "../src/core/reports/report-digest.js";
import { runReportNudges, stageOn } from "../src/core/reports/report-nudges.js";
import type { Form, View } from "../src/core/kernel/view.js";
import { openDatabase } from "../src/db/database.js";
import { createLogger } from "../src/log.js";
import { reportJobs } from "../src/core/reports/jobs.js";
import { reportSettingsFrom } from "../src/core/reports/settings.js";
import { features } from "../src/core/features.js";
import { createScheduler } from "../src/scheduler/scheduler.js";
import { expectForm, viewText } from "./support/bot.js";
import { createTestDatabase, usingPostgres, type TestDatabase } from "./support/database.js";
import { seedMembers, type SeededMember } from "./support/seed.js";
import { coreContext } from "./support/core-context.js";

let db: TestDatabase;
let ctx: CoreContext;
let bot: Bot;
let clock: Date;
const coordinator: Address = { platform: "slack", workspaceId: "T0TEST", userId: "U0COORD", displayName: "Alex Coordinator" };
const orgs: Record<string, SeededMember[]> = {};
let requestOf: Record<string, string> = {};
let staleForm: Form | undefined;

const at = (iso: string) => (clock = new Date(iso));
const addressOf = (member: SeededMember): Address => ({ platform: member.platform, workspaceId: member.workspaceId, userId: member.userId });
const say = (member: SeededMember | Address, typed: string): Promise<View> =>
  bot.handle({ from: "memberId" in member ? addressOf(member) : member, ...parseCommand(typed) });
const submit = (member: SeededMember, view: View, values: FormValues) => {
  const form = expectForm(view);
  return bot.handle({ from: addressOf(member), verb: form.verb, text: "", form: { values, context: form.context } });
};

/** What the dispatcher would do with everything queued: send it (this test runs no dispatcher). */
async function deliverAll(): Promise<void> {
  await db.prisma.delivery.updateMany({ where: { status: "queued" }, data: { status: "sent", sentAt: clock } });
}

/** Runs the nudges of the day and lets them arrive. */
async function nudgeAndDeliver(options: Parameters<typeof runReportNudges>[1] = {}) {
  const result = await runReportNudges(ctx, options);
  await deliverAll();
  return result;
}

/** The stages each member has been nudged at, not counting nudges held back before they went. */
async function stagesOf(member: SeededMember): Promise<string[]> {
  const rows = await db.prisma.delivery.findMany({ where: { memberId: member.memberId, purposeKey: { contains: ":nudge:" }, status: { not: "cancelled" } }, orderBy: { createdAt: "asc" } });
  return rows.map((row) => row.purposeKey.split(":").at(-1)!);
}

beforeAll(async () => {
  db = await createTestDatabase();
  const network = await ensureNetwork(db.prisma, { name: "Test network", timeZone: "Europe/London", sendingHours: "always" });
  ctx = coreContext(db, network, { coordinators: [{ platform: "slack", userId: "U0COORD" }], now: () => clock });
  bot = createBot(ctx, features);
  at("2026-11-23T10:00:00Z");
  await say(coordinator, "help");
  for (const [name, sector] of [["Plain", "health"], ["Snooze", "housing"], ["Handover", "police"], ["Stop", "education"], ["Submitted", "voluntary_community"], ["Left", "other"]] as const) {
    orgs[name] = await seedMembers(db.prisma, { slack: { count: 2 }, role: "champion", organisation: { name, sector } });
  }
  orgs.members = await seedMembers(db.prisma, { slack: { count: 1 }, role: "member", organisation: { name: "Plain", sector: "health" } });
  // Due Friday 4 December 2026.
  await openCycle(ctx, { opensOn: "2026-11-23", dueOn: "2026-12-04", cadenceMonths: 3, organisationIds: [], createdById: null });
  const requests = await db.prisma.reportRequest.findMany({ include: { organisation: true } });
  requestOf = Object.fromEntries(requests.map((request) => [request.organisation.name, request.id]));
});

afterAll(async () => {
  await db?.destroy();
});

describe("report nudges", () => {
  it("knows the stage of a report on any day", () => {
    expect(["2026-11-26", "2026-11-27", "2026-12-03", "2026-12-04", "2026-12-10", "2026-12-11", "2026-12-17", "2026-12-18", "2027-02-01"].map((day) => stageOn(day, "2026-12-04", 7))).toEqual([
      null, "before", "before", "due", "due", "after", "after", null, null,
    ]);
  });

  it("sends nothing before the week-before mark, then the first nudge once to every champion, never to members", async () => {
    at("2026-11-24T10:00:00Z");
    expect(await runReportNudges(ctx)).toEqual({ requests: 0, queued: 0 });
    at("2026-11-27T10:00:00Z");
    expect(await runReportNudges(ctx)).toEqual({ requests: 6, queued: 12 });
    expect((await nudgeAndDeliver()).queued).toBe(0);
    expect(await stagesOf(orgs.Plain![0]!)).toEqual(["before"]);
    expect(await stagesOf(orgs.members![0]!)).toEqual([]);
    const nudge = await db.prisma.delivery.findFirstOrThrow({ where: { memberId: orgs.Plain![0]!.memberId } });
    expect(nudge.respectQuietHours).toBe(true);
    expect(viewText(nudge.view as unknown as View)).toMatch(/A gentle reminder: Plain's milestone report for November to December 2026 is due on 4 Dec 2026/);
  });

  it("takes each answer to a nudge: hand-over, Stop these (coordinators told kindly), Not now, and a submitted report", async () => {
    const handover = await say(orgs.Handover![0]!, `report handover ${requestOf.Handover}`);
    expect(viewText(handover)).toContain("Who is filling in Handover's report?");
    const handed = await say(orgs.Handover![0]!, `report handto ${requestOf.Handover} ${orgs.Handover![1]!.memberId}`);
    expect(handed).toMatchObject({ replacesOriginal: true });
    expect(await db.prisma.delivery.count({ where: { purposeKey: `report:${requestOf.Handover}:handover:${orgs.Handover![1]!.memberId}` } })).toBe(1);

    const stopped = await say(orgs.Stop![0]!, `report stop ${requestOf.Stop}`);
    expect(viewText(stopped)).toContain("no more reminders to you about Stop's report this cycle");
    const notice = await db.prisma.delivery.findFirstOrThrow({ where: { purposeKey: `report:${requestOf.Stop}:stopped:${orgs.Stop![0]!.memberId}` }, include: { address: true } });
    expect(notice.address.userId).toBe("U0COORD");
    expect(viewText(notice.view as unknown as View)).toMatch(/has paused reminders.*Nothing is needed from you/s);

    at("2026-11-30T10:00:00Z");
    const snoozed = await say(orgs.Snooze![0]!, `report snooze ${requestOf.Snooze}`);
    expect(viewText(snoozed)).toContain("I won't remind you about Snooze's report before 7 Dec 2026");

    const form = await say(orgs.Submitted![0]!, "report");
    const sent = await submit(orgs.Submitted![0]!, form, { rag: "green", summary: "Going well.", action: "submit" });
    expect(viewText(sent)).toContain("report for November to December 2026 is in");

    // Someone who drafted the report and said "not now", then left: the draft stays the organisation's, without their name.
    const leaver = await db.prisma.member.findUniqueOrThrow({ where: { id: orgs.Left![0]!.memberId } });
    await submit(orgs.Left![0]!, await say(orgs.Left![0]!, "report"), { successes: "A start", action: "draft" });
    await say(orgs.Left![0]!, `report snooze ${requestOf.Left}`);
    await say(orgs.Left![0]!, "leave confirm delete");
    expect(await db.prisma.member.count({ where: { id: leaver.id } })).toBe(0);
    expect(await db.prisma.reportNudgeState.count({ where: { memberId: leaver.id } })).toBe(0);
    expect(await db.prisma.milestoneReport.findFirstOrThrow({ where: { requestId: requestOf.Left } })).toMatchObject({ successes: "A start", authorId: null, leadName: "a former champion" });
    expect(await db.prisma.milestoneReport.count({ where: { leadName: leaver.displayName } })).toBe(0);
  });

  it("on the due day, nudges only who should hear: not the snoozed, the stopped, the handed-from, the submitted or the left", async () => {
    at("2026-12-04T10:00:00Z");
    await nudgeAndDeliver();
    expect(await stagesOf(orgs.Plain![0]!)).toEqual(["before", "due"]);
    expect(await stagesOf(orgs.Snooze![0]!)).toEqual(["before"]);
    expect(await stagesOf(orgs.Snooze![1]!)).toEqual(["before", "due"]);
    expect(await stagesOf(orgs.Handover![0]!)).toEqual(["before"]);
    expect(await stagesOf(orgs.Handover![1]!)).toEqual(["before", "due"]);
    expect(await stagesOf(orgs.Stop![0]!)).toEqual(["before"]);
    expect(await stagesOf(orgs.Stop![1]!)).toEqual(["before", "due"]);
    expect(await stagesOf(orgs.Submitted![1]!)).toEqual(["before"]);
    expect(await stagesOf(orgs.Left![1]!)).toEqual(["before", "due"]);
    expect(await db.prisma.delivery.count({ where: { memberId: orgs.Left![0]!.memberId } })).toBe(0);

    at("2026-12-07T10:00:00Z");
    await nudgeAndDeliver();
    expect(await stagesOf(orgs.Snooze![0]!)).toEqual(["before", "due"]);
    staleForm = expectForm(await say(orgs.Snooze![1]!, "report"));
  });

  it("holds to the cap, then sends the week-after nudge, and no more after it", async () => {
    at("2026-12-11T10:00:00Z");
    expect((await nudgeAndDeliver({ cap: 2 })).queued).toBe(0);
    await runReportNudges(ctx, { cap: 3 });
    expect(await stagesOf(orgs.Plain![1]!)).toEqual(["before", "due", "after"]);
    expect(await stagesOf(orgs.Snooze![0]!)).toEqual(["before", "due", "after"]);
    expect(await stagesOf(orgs.Stop![0]!)).toEqual(["before"]);
    at("2026-12-18T10:00:00Z");
    expect((await runReportNudges(ctx)).queued).toBe(0);
  });

  it("holds back a nudge still waiting to go once the report is submitted", async () => {
    const waiting = await db.prisma.delivery.findFirstOrThrow({ where: { memberId: orgs.Plain![0]!.memberId, purposeKey: { endsWith: ":nudge:after" } } });
    expect(waiting.status).toBe("queued");
    const form = await say(orgs.Plain![0]!, "report");
    await submit(orgs.Plain![0]!, form, { rag: "red", summary: "Stuck on budget.", action: "submit" });
    const held = await db.prisma.delivery.findMany({ where: { purposeKey: `report:${requestOf.Plain}:nudge:after` } });
    expect(held.map((row) => row.status)).toEqual(["cancelled", "cancelled"]);
  });

  it("lists what is overdue in the coordinators' weekly digest, once a week", async () => {
    const digest = await queueOverdueDigest(ctx, "2026-W51");
    expect(digest).toEqual({ organisations: 4, queued: 1 });
    const row = await db.prisma.delivery.findFirstOrThrow({ where: { purposeKey: "reports:digest:2026-W51" } });
    const words = viewText(row.view as unknown as View);
    expect(words).toContain("Stop (November to December 2026): due 4 Dec 2026, 14 days ago; not started yet; reminders paused by a champion");
    expect(words).not.toMatch(/Submitted \(|Plain \(/);
    expect((await queueOverdueDigest(ctx, "2026-W51")).queued).toBe(0);
  });
});

describe("repeating cycles", () => {
  it("opens the next quarter's cycle when its day comes, once, and stops nudging about the one before", async () => {
    at("2027-02-22T06:00:00Z");
    expect(await openNextCycle(ctx)).toBeNull();
    at("2027-02-23T06:00:00Z");
    const opened = await openNextCycle(ctx);
    expect(opened).toMatchObject({ label: "February to March 2027", requests: 6 });
    expect(await openNextCycle(ctx)).toBeNull();
    const next = await db.prisma.reportingCycle.findUniqueOrThrow({ where: { id: opened!.id } });
    expect([next.opensOn, next.dueOn].map((day) => day.toISOString().slice(0, 10))).toEqual(["2027-02-23", "2027-03-04"]);
    expect(await runReportNudges(ctx)).toEqual({ requests: 0, queued: 0 });
    expect(viewText(await say(orgs.Snooze![1]!, `report snooze ${requestOf.Snooze}`))).toContain("That reminder was for a cycle that has closed");
    const stale = await submit(orgs.Snooze![1]!, { ...staleForm!, context: { request: requestOf.Snooze! } }, { rag: "green", summary: "Late", action: "submit" });
    expect(viewText(stale)).toContain("That form was for a cycle that has closed; nothing was saved from it");
    expect(await db.prisma.milestoneReport.count({ where: { requestId: requestOf.Snooze } })).toBe(0);
    const form = expectForm(await say(orgs.Plain![1]!, "report"));
    expect(viewText(form)).toContain("milestone report for February to March 2027");
    expect(viewText(form)).toContain("Overall RAG last time (November to December 2026): Red.");
  });
});

describe.runIf(usingPostgres)("report nudges on PostgreSQL replicas", () => {
  it("queues each nudge once when two replicas run the same slot, and when two runs race without a slot", async () => {
    const replicas = await Promise.all([1, 2].map(() => openDatabase({ kind: "postgres", url: db.url! })));
    try {
      at("2027-01-04T10:00:00Z");
      const racing = await seedMembers(db.prisma, { slack: { count: 20 }, role: "champion", organisation: { name: "Racing", sector: "health" } });
      await openCycle(ctx, { opensOn: "2027-01-04", dueOn: "2027-01-08", cadenceMonths: null, organisationIds: [], createdById: null });
      const config = loadConfig({});
      const log = createLogger("silent");
      const schedulers = replicas.map((replica) => {
        const replicaCtx = { ...ctx, prisma: replica.prisma };
        return createScheduler({ prisma: replica.prisma, jobs: reportJobs({ ...replicaCtx, ...reportSettingsFrom(config) }), timeZone: ctx.timeZone, log, now: () => clock });
      });
      const results = await Promise.all(schedulers.map((scheduler) => scheduler.runSlot("reports-nudges", clock)));
      expect(results.filter((result) => result.ran)).toHaveLength(1);
      at("2027-01-08T10:00:00Z");
      await Promise.all(replicas.map((replica) => runReportNudges({ ...ctx, prisma: replica.prisma })));
      for (const member of racing) expect(await stagesOf(member)).toEqual(["before", "due"]);

      // Two champions submitting at the same moment, through two replicas: one report, amended.
      const bots = replicas.map((replica) => createBot({ ...ctx, prisma: replica.prisma }, features));
      const forms = await Promise.all(racing.slice(0, 2).map((member) => say(member, "report")));
      await Promise.all(
        racing.slice(0, 2).map((member, index) =>
          bots[index]!.handle({ from: addressOf(member), verb: "report", text: "", form: { values: { rag: "green", summary: `From ${index}`, action: "submit" }, context: expectForm(forms[index]!).context } }),
        ),
      );
      const reports = await db.prisma.milestoneReport.findMany({ where: { request: { organisation: { name: "Racing" } } } });
      expect(reports).toHaveLength(1);
      expect(reports[0]).toMatchObject({ status: "submitted", rag: "green" });
    } finally {
      await Promise.all(replicas.map((replica) => replica.close()));
    }
  });
});
