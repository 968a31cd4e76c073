import type { CoreContext } from "../kernel/context.js";
import { queueDeliveries } from "../kernel/outbox.js";
import { message, note, text } from "../kernel/view.js";
import { answerLine, eventBlocks, rsvpButtons, withCourse, type Answer } from "./event-card.js";
import type { StoredEvent } from "./find-event.js";
import { invitees } from "./invitees.js";
import { audienceSchema } from "../kernel/audience.js";

const dayMs = 86_400_000;

/** The reminders, each sent from `before` the start to those going (with a place) or maybe. */
export const reminders = [
  { key: "7d", before: 7 * dayMs, words: "in a week" },
  { key: "1d", before: dayMs, words: "tomorrow" },
] as const;

/**
 * Queues every reminder that is due: a week and a day before each event, to those going or maybe,
 * within sending hours. A reminder is due from its time until the next one's (or the start); one
 * whose time had passed when the invite went out is not sent. Queuing again sends nothing twice, and
 * someone who says going later still gets the reminders still to come. Returns how many were queued.
 */
export async function sendDueReminders(ctx: CoreContext): Promise<number> {
  const now = ctx.now();
  const events = await ctx.prisma.networkEvent.findMany({
    where: { networkId: ctx.networkId, status: "scheduled", invitedAt: { not: null }, startsAt: { gt: now, lte: new Date(now.getTime() + reminders[0].before) } },
    orderBy: { startsAt: "asc" },
    include: withCourse,
  });
  let queued = 0;
  for (const row of events) {
    const event: StoredEvent = { ...row, audience: audienceSchema.parse(row.audience) };
    const due = dueReminder(event, now);
    if (!due) continue;
    for (const answer of ["going", "maybe"] as const) {
      queued += await queueDeliveries(ctx, {
        purposeKey: `event:${event.number}:remind:${due.key}`,
        view: reminderMessage(ctx, event, due.words, answer),
        recipients: invitees(event.id, event.audience, { answers: [answer], waiting: false }),
        respectQuietHours: true,
      });
    }
  }
  return queued;
}

/** The reminder due for an event now, if any. */
export function dueReminder(event: Pick<StoredEvent, "startsAt" | "invitedAt">, now: Date): (typeof reminders)[number] | undefined {
  const untilStart = event.startsAt.getTime() - now.getTime();
  const invitedBefore = event.startsAt.getTime() - (event.invitedAt?.getTime() ?? now.getTime());
  return [...reminders].reverse().find((reminder) => untilStart <= reminder.before && untilStart > 0 && invitedBefore > reminder.before);
}

function reminderMessage(ctx: CoreContext, event: StoredEvent, when: string, answer: Answer) {
  return message(
    `Reminder: ${event.title} is ${when}`,
    text(`A reminder: ${event.title} is ${when}. ${answerLine(answer, false)}`),
    ...eventBlocks(ctx, event),
    rsvpButtons(event, answer),
    note("Plans change: you can change your answer here until it starts. You get reminders because you said going or maybe."),
  );
}
