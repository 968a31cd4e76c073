import { z } from "zod";
import { Prisma } from "../../db/generated/client.js";
import type { CoreContext } from "../context.js";
import { queueDeliveries } from "../outbox.js";
import { buttons, message, note, text, type Message } from "../view.js";
import { addDays, dateToDay, describeDay, today, type Day } from "./days.js";
import { nudgeKey, nudgeKeys, type NudgeStage } from "./report-recipients.js";

/**
 * How a nudge run behaves: the days before and after the due day the first and last nudges go, the
 * most nudges a champion gets about one report, and how many requests are read at a time.
 *
 * @example
 * await runReportNudges(ctx, { days: 7, cap: 3 });
 */
export const nudgeOptionsSchema = z.object({
  days: z.number().int().min(1).max(60).default(7),
  cap: z.number().int().min(0).max(3).default(3),
  batchSize: z.number().int().min(1).max(1_000).default(200),
});
export type NudgeOptions = z.input<typeof nudgeOptionsSchema>;

interface DueRequest {
  id: string;
  organisationId: string;
  organisationName: string;
  cycleLabel: string;
  dueOn: Date;
  assigneeId: string | null;
}

/** The stage a request is at today: the latest of a week before, the due day, and a week after. */
export function stageOn(day: Day, dueOn: Day, days: number): NudgeStage | null {
  if (day >= addDays(dueOn, days)) return "after";
  if (day >= dueOn) return "due";
  if (day >= addDays(dueOn, -days)) return "before";
  return null;
}

/**
 * One nudge run: for every organisation's open, unsubmitted request that has reached a stage, queues
 * that stage's nudge to its champions (or the one it was handed to) who haven't stopped or snoozed them
 * and haven't had the cap. Requests are read in pages and each stage is one INSERT … SELECT, so memory
 * stays flat however large the network; purpose keys make a second run, or a replica's, queue nothing.
 */
export async function runReportNudges(ctx: CoreContext, options: NudgeOptions = {}): Promise<{ requests: number; queued: number }> {
  const { days, cap, batchSize } = nudgeOptionsSchema.parse(options);
  const day = today(ctx);
  let cursor = "";
  let requests = 0;
  let queued = 0;
  for (;;) {
    const page = await dueRequests(ctx, day, days, cursor, batchSize);
    for (const request of page) {
      const stage = stageOn(day, dateToDay(request.dueOn), days);
      if (!stage || cap === 0) continue;
      requests++;
      queued += await queueDeliveries(ctx, {
        purposeKey: nudgeKey(request.id, stage),
        view: nudgeMessage(request, stage, days),
        recipients: nudgeRecipients(ctx, request, stage, cap),
        respectQuietHours: true,
      });
    }
    if (page.length < batchSize) return { requests, queued };
    cursor = page.at(-1)!.id;
  }
}

/** Open requests at a stage: the latest cycle each organisation has, not yet submitted. */
function dueRequests(ctx: CoreContext, day: Day, days: number, cursor: string, limit: number): Promise<DueRequest[]> {
  return ctx.prisma.$queryRaw<DueRequest[]>`
    SELECT r."id", r."organisationId", o."name" AS "organisationName", c."label" AS "cycleLabel", c."dueOn", r."assigneeId"
    FROM "ReportRequest" r
    JOIN "ReportingCycle" c ON c."id" = r."cycleId"
    JOIN "Organisation" o ON o."id" = r."organisationId"
    LEFT JOIN "MilestoneReport" mr ON mr."requestId" = r."id"
    WHERE c."networkId" = ${ctx.networkId} AND c."opensOn" <= ${day}::date AND c."dueOn" - ${days}::int <= ${day}::date
      AND (mr."status" IS NULL OR mr."status" <> 'submitted')
      AND NOT EXISTS (
        SELECT 1 FROM "ReportRequest" later JOIN "ReportingCycle" lc ON lc."id" = later."cycleId"
        WHERE later."organisationId" = r."organisationId" AND lc."opensOn" <= ${day}::date AND lc."dueOn" > c."dueOn")
      AND r."id" > ${cursor}
    ORDER BY r."id"
    LIMIT ${limit}`;
}

/**
 * The champions to nudge about one request at one stage, each once on the platform they last used:
 * the one it was handed to while they are still its champion, otherwise all of them; never someone who
 * left, stopped these, is snoozed, already had this stage, or had the cap.
 */
function nudgeRecipients(ctx: CoreContext, request: DueRequest, stage: NudgeStage, cap: number): Prisma.Sql {
  const keys = nudgeKeys(request.id);
  return Prisma.sql`
    SELECT DISTINCT ON (m."id") m."id" AS "memberId", a."id" AS "addressId", a."platform", a."workspaceId"
    FROM "Member" m JOIN "Address" a ON a."memberId" = m."id" AND a."active"
    WHERE m."networkId" = ${ctx.networkId} AND m."organisationId" = ${request.organisationId} AND m."role" = 'champion' AND m."leftAt" IS NULL
      AND (${request.assigneeId}::text IS NULL OR m."id" = ${request.assigneeId} OR NOT EXISTS (
        SELECT 1 FROM "Member" x WHERE x."id" = ${request.assigneeId} AND x."organisationId" = ${request.organisationId} AND x."role" = 'champion' AND x."leftAt" IS NULL))
      AND NOT EXISTS (
        SELECT 1 FROM "ReportNudgeState" s WHERE s."requestId" = ${request.id} AND s."memberId" = m."id"
          AND (s."stoppedAt" IS NOT NULL OR s."snoozedUntil" > ${ctx.now()}))
      AND NOT EXISTS (SELECT 1 FROM "Delivery" d WHERE d."purposeKey" = ${nudgeKey(request.id, stage)} AND d."memberId" = m."id")
      AND (SELECT count(DISTINCT d."purposeKey") FROM "Delivery" d
           WHERE d."purposeKey" IN (${Prisma.join(keys)}) AND d."memberId" = m."id" AND d."status" <> 'cancelled') < ${cap}
    ORDER BY m."id", a."lastSeenAt" DESC`;
}

const stageWords: Record<NudgeStage, (due: string) => string> = {
  before: (due) => `is due on ${due}, a week from now`,
  due: () => "is due today",
  after: (due) => `was due on ${due}. Whenever you're ready, it's still open`,
};

/** The nudge a champion receives: short, with the four ways to answer it. */
export function nudgeMessage(request: Pick<DueRequest, "id" | "organisationName" | "cycleLabel" | "dueOn">, stage: NudgeStage, days = 7): Message {
  const due = describeDay(request.dueOn);
  const words = stageWords[stage](due).replace("a week", days === 7 ? "a week" : `${days} days`);
  return message(
    `${request.organisationName}'s milestone report ${stage === "due" ? "is due today" : `(${request.cycleLabel})`}`,
    text(`A gentle reminder: ${request.organisationName}'s milestone report for ${request.cycleLabel} ${words}.`),
    note("Only the RAG and a short summary are needed; the rest is optional, and you can save a draft. If now isn't a good time, that's fine."),
    buttons(
      { label: "Fill in now", verb: "report", text: request.id, style: "primary" },
      { label: "Not now", verb: "report snooze", text: request.id },
      { label: "Someone else is doing this", verb: "report handover", text: request.id },
      { label: "Stop these", verb: "report stop", text: request.id },
    ),
  );
}
