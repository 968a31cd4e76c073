import { openNextCycle } from "./open-cycle.js";
import { queueOverdueDigest } from "./report-digest.js";
import { runReportNudges } from "./report-nudges.js";
import { dailySlot, weeklySlot, type Job } from "../kernel/job.js";
import type { CoreContext } from "../kernel/context.js";

/**
 * Opens reporting cycles (06:00), sends report nudges (10:00, held to sending hours by the outbox) and the
 * coordinators' weekly digest of overdue reports (Mondays 09:30), in the network's time zone.
 */
export function reportJobs(ctx: CoreContext): Job[] {
  return [
    {
      id: "reports-open-cycles",
      cron: "0 6 * * *",
      slot: dailySlot,
      run: async () => {
        const opened = await openNextCycle(ctx);
        return opened ? `opened cycle #${opened.number} (${opened.label}) for ${opened.requests} organisations` : "no cycle to open";
      },
    },
    {
      id: "reports-nudges",
      cron: "0 10 * * *",
      slot: dailySlot,
      run: async () => {
        const { requests, queued } = await runReportNudges(ctx, ctx.reportNudges);
        return `queued ${queued} nudges for ${requests} open reports`;
      },
    },
    {
      id: "reports-digest",
      cron: "30 9 * * 1",
      slot: weeklySlot,
      run: async ({ slot }) => {
        const { organisations, queued } = await queueOverdueDigest(ctx, slot);
        return `${organisations} overdue organisations; digest queued to ${queued} coordinators`;
      },
    },
  ];
}
