import { z } from "zod";
import { Prisma } from "../../db/generated/client.js";
import type { CoreContext } from "../kernel/context.js";
import { firstSendingTime, queueDeliveries } from "../kernel/outbox.js";
import { buttons, message, note, text, type Message } from "../kernel/view.js";
import { addDays, dateToDay, describeDay, today, type Day } from "./days.js";
import { nudgeKey, nudgeStages, type NudgeStage } from "./report-recipients.js";

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
  batchSize: z.number().int().min(1).max(1_000).default(100),
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

/**
 * The stage a request is at today: the latest of a week before, the due day, and a week after, each
 * standing until the next. The week after stands for a week too (room for a run missed while the bot was
 * down); beyond it nothing more is sent, so a champion who joins months later isn't told of an old report.
 */
export function stageOn(day: Day, dueOn: Day, days: number): NudgeStage | null {
  if (day >= addDays(dueOn, 2 * days)) return null;
  if (day >= addDays(dueOn, days)) return "after";
  if (day >= dueOn) return "due";
  if (day >= addDays(dueOn, -days)) return "before";
  return null;
}

/**
 * One nudge run: for every organisation's open, unsubmitted request that has reached a stage, queues
 * that stage's nudge to its champions (or the one it was handed to) who haven't stopped or snoozed them
 * and haven't had the cap. Requests are read a page at a time and each page's recipients are chosen in
 * one query, so memory is bounded by the page, not the network; purpose keys make a second run, or a
 * replica's, queue nothing.
 */
export async function runReportNudges(ctx: CoreContext, options: NudgeOptions = {}): Promise<{ requests: number; queued: number }> {
  const { days, cap, batchSize } = nudgeOptionsSchema.parse(options);
  const day = today(ctx);
  let cursor = "";
  let requests = 0;
  let queued = 0;
  const firstSendingAt = await firstSendingTime(ctx, ctx.now(), true);
  for (;;) {
    const page = await dueRequests(ctx, day, days, cursor, batchSize);
    const staged = page.flatMap((request) => {
      const stage = stageOn(day, dateToDay(request.dueOn), days);
      return stage && cap > 0 ? [{ ...request, stage }] : [];
    });
    const recipients = await pageRecipients(ctx, staged, cap);
    for (const request of staged) {
      requests++;
      const chosen = recipients.filter((recipient) => recipient.requestId === request.id);
      if (chosen.length === 0) continue;
      queued += await queueDeliveries(ctx, {
        purposeKey: nudgeKey(request.id, request.stage),
        view: nudgeMessage(request, request.stage, days),
        recipients: stillWanted(ctx, request.id, chosen),
        respectQuietHours: true,
        firstSendingAt,
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
    WHERE c."networkId" = ${ctx.networkId} AND c."opensOn" <= ${day}::date AND c."dueOn" - ${days}::int <= ${day}::date AND c."dueOn" + ${2 * days}::int > ${day}::date
      AND (mr."status" IS NULL OR mr."status" <> 'submitted')
      AND NOT EXISTS (
        SELECT 1 FROM "ReportRequest" later JOIN "ReportingCycle" lc ON lc."id" = later."cycleId"
        WHERE later."organisationId" = r."organisationId" AND lc."opensOn" <= ${day}::date AND lc."dueOn" > c."dueOn")
      AND r."id" > ${cursor}
    ORDER BY r."id"
    LIMIT ${limit}`;
}

interface Recipient {
  requestId: string;
  memberId: string;
  addressId: string;
  platform: string;
  workspaceId: string;
}

/**
 * The champions to nudge for a page of requests, each once on the platform they last used: the one it
 * was handed to while they are still its champion, otherwise all of them; never someone who left,
 * stopped these, is snoozed, already had this stage, or had the cap.
 */
function pageRecipients(ctx: CoreContext, requests: readonly (DueRequest & { stage: NudgeStage })[], cap: number): Promise<Recipient[]> {
  if (requests.length === 0) return Promise.resolve([]);
  const column = (pick: (request: DueRequest & { stage: NudgeStage }) => string | null) => requests.map(pick);
  return ctx.prisma.$queryRaw<Recipient[]>`
    WITH q AS (
      SELECT * FROM unnest(${column((request) => request.id)}::text[], ${column((request) => request.organisationId)}::text[],
                           ${column((request) => request.assigneeId)}::text[], ${column((request) => nudgeKey(request.id, request.stage))}::text[])
        AS q("requestId", "organisationId", "assigneeId", "purposeKey")),
    -- What each member already had about each request, read once for the page through the purpose key index.
    had AS (
      SELECT q."requestId", d."memberId", count(DISTINCT d."purposeKey") FILTER (WHERE d."status" <> 'cancelled') AS "nudges",
             bool_or(d."purposeKey" = q."purposeKey") AS "thisStage"
      FROM q JOIN "Delivery" d ON d."purposeKey" IN (${Prisma.join(nudgeStages.map((stage) => Prisma.sql`'report:' || q."requestId" || ${`:nudge:${stage}`}`))})
      WHERE d."memberId" IS NOT NULL
      GROUP BY q."requestId", d."memberId")
    SELECT DISTINCT ON (q."requestId", m."id") q."requestId", m."id" AS "memberId", a."id" AS "addressId", a."platform"::text AS "platform", a."workspaceId"
    FROM q
    JOIN "Member" m ON m."organisationId" = q."organisationId" AND m."networkId" = ${ctx.networkId} AND m."role" = 'champion' AND m."leftAt" IS NULL
    JOIN "Address" a ON a."memberId" = m."id" AND a."active"
    LEFT JOIN "Member" assignee ON assignee."id" = q."assigneeId" AND assignee."organisationId" = q."organisationId"
      AND assignee."role" = 'champion' AND assignee."leftAt" IS NULL
    LEFT JOIN had ON had."requestId" = q."requestId" AND had."memberId" = m."id"
    WHERE (assignee."id" IS NULL OR m."id" = assignee."id")
      AND (had."memberId" IS NULL OR (NOT had."thisStage" AND had."nudges" < ${cap}))
    ORDER BY q."requestId", m."id", a."lastSeenAt" DESC`;
}

/**
 * The chosen recipients as the outbox reads them, checked again as the rows are written: someone who
 * snoozed or stopped, or a report submitted, since the page was read is left out.
 */
function stillWanted(ctx: CoreContext, requestId: string, chosen: readonly Recipient[]): Prisma.Sql {
  const column = (pick: (recipient: Recipient) => string) => chosen.map(pick);
  return Prisma.sql`
    SELECT u."memberId", u."addressId", u."platform"::"Platform" AS "platform", u."workspaceId"
    FROM unnest(${column((recipient) => recipient.memberId)}::text[], ${column((recipient) => recipient.addressId)}::text[],
                ${column((recipient) => recipient.platform)}::text[], ${column((recipient) => recipient.workspaceId)}::text[])
      AS u("memberId", "addressId", "platform", "workspaceId")
    WHERE NOT EXISTS (
        SELECT 1 FROM "ReportNudgeState" s WHERE s."requestId" = ${requestId} AND s."memberId" = u."memberId"
          AND (s."stoppedAt" IS NOT NULL OR s."snoozedUntil" > ${ctx.now()}))
      AND NOT EXISTS (SELECT 1 FROM "MilestoneReport" mr WHERE mr."requestId" = ${requestId} AND mr."status" = 'submitted')`;
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
