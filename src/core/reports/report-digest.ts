import type { CoreContext } from "../kernel/context.js";
import { queueDeliveries } from "../kernel/outbox.js";
import { buttons, heading, message, note, type Message } from "../kernel/view.js";
import { daysBetween, dateToDay, describeDay, today } from "./days.js";
import { coordinatorRecipients } from "./report-recipients.js";

interface OverdueRequest {
  organisationName: string;
  cycleLabel: string;
  dueOn: Date;
  status: "draft" | "submitted" | null;
  remindersStopped: boolean;
}

/**
 * The coordinators' weekly digest of what is overdue: each organisation whose latest report is past
 * its due day and not submitted. Queued once per `slot` (the week) to each coordinator; nothing is sent
 * when nothing is overdue. Returns how many organisations it listed.
 */
export async function queueOverdueDigest(ctx: CoreContext, slot: string): Promise<{ organisations: number; queued: number }> {
  const day = today(ctx);
  const overdue = await ctx.prisma.$queryRaw<OverdueRequest[]>`
    SELECT o."name" AS "organisationName", c."label" AS "cycleLabel", c."dueOn", mr."status",
           EXISTS (SELECT 1 FROM "ReportNudgeState" s WHERE s."requestId" = r."id" AND s."stoppedAt" IS NOT NULL) AS "remindersStopped"
    FROM "ReportRequest" r
    JOIN "ReportingCycle" c ON c."id" = r."cycleId"
    JOIN "Organisation" o ON o."id" = r."organisationId"
    LEFT JOIN "MilestoneReport" mr ON mr."requestId" = r."id"
    WHERE c."networkId" = ${ctx.networkId} AND c."dueOn" < ${day}::date AND (mr."status" IS NULL OR mr."status" <> 'submitted')
      AND NOT EXISTS (
        SELECT 1 FROM "ReportRequest" later JOIN "ReportingCycle" lc ON lc."id" = later."cycleId"
        WHERE later."organisationId" = r."organisationId" AND lc."opensOn" <= ${day}::date AND lc."dueOn" > c."dueOn")
    ORDER BY c."dueOn", o."name"
    LIMIT 500`;
  if (overdue.length === 0) return { organisations: 0, queued: 0 };
  const queued = await queueDeliveries(ctx, {
    purposeKey: `reports:digest:${slot}`,
    view: digestMessage(overdue, day),
    recipients: coordinatorRecipients(ctx),
    respectQuietHours: true,
  });
  return { organisations: overdue.length, queued };
}

function digestMessage(overdue: OverdueRequest[], day: string): Message {
  const items = overdue.map((row) => {
    const late = daysBetween(dateToDay(row.dueOn), day);
    const where = row.status === "draft" ? "a draft is saved" : "not started yet";
    return `${row.organisationName} (${row.cycleLabel}): due ${describeDay(row.dueOn)}, ${late} day${late === 1 ? "" : "s"} ago; ${where}${row.remindersStopped ? "; reminders paused by a champion" : ""}`;
  });
  return message(
    `${overdue.length} milestone report${overdue.length === 1 ? " is" : "s are"} past the due day`,
    heading("Reports past their due day"),
    { type: "list", items },
    note("Champions get a few short reminders, then no more from the bot. A personal word from you may help; some may simply need more time."),
    buttons({ label: "See this cycle", verb: "reports" }),
  );
}
