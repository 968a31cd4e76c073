import { draftNextOccurrences } from "./draft-series.js";
import { dueInvites, sendInvites } from "./send-invites.js";
import { sendDueReminders } from "./send-reminders.js";
import { dailySlot, type Job } from "../kernel/job.js";
import type { CoreContext } from "../kernel/context.js";

/** One slot per minute, in UTC so the hour the clocks go back still gives distinct slots: `2026-10-25T01:30`. */
export function minuteSlot(at: Date): string {
  return at.toISOString().slice(0, 16);
}

/**
 * Drafts each series' next occurrence (daily, 07:00), sends invites whose chosen time has come (every
 * five minutes) and reminders a week and a day before (hourly, at a quarter past). Every run does all
 * that is due, so a missed slot is made good by the next; purpose keys keep each message to one.
 */
export function eventJobs(ctx: CoreContext): Job[] {
  return [
    {
      id: "events.draft",
      cron: "0 7 * * *",
      slot: dailySlot,
      run: async () => {
        const drafted = await draftNextOccurrences(ctx);
        return drafted.length === 0 ? "no occurrence due for a draft" : `drafted ${drafted.map((event) => `#${event.number}`).join(", ")}`;
      },
    },
    {
      id: "events.invite",
      cron: "*/5 * * * *",
      slot: minuteSlot,
      run: async () => {
        const due = await dueInvites(ctx);
        let invited = 0;
        for (const event of due) invited += await sendInvites(ctx, event);
        return `${due.length} events' invites sent to ${invited} people`;
      },
    },
    {
      id: "events.remind",
      cron: "15 * * * *",
      slot: minuteSlot,
      run: async () => `${await sendDueReminders(ctx)} reminders queued`,
    },
  ];
}
