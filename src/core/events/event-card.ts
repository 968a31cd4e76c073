import type { CoreContext } from "../kernel/context.js";
import type { EventDetails } from "./event-form.js";
import { buttons, formatted, heading, message, note, text, type Block, type Button, type Message } from "../kernel/view.js";

/** An event as members see it: what the coordinator said, but for whom, and where it stands. */
export interface EventFacts extends Omit<EventDetails, "audience"> {
  number: number;
  sequence: number;
  status: "draft" | "scheduled" | "cancelled";
  /** The course from the training offer it delivers, when it is a training session. */
  trainingCourse?: DeliveredCourse | null;
}

export interface DeliveredCourse {
  number: number;
  title: string;
}

/** What to include when reading an event, so its card can say which course it delivers. */
export const withCourse = { trainingCourse: { select: { number: true, title: true } } } as const;

export type Answer = "going" | "maybe" | "declined";

export const answerLabels: Record<Answer, string> = { going: "Going", maybe: "Maybe", declined: "Can't make it" };

/** `2027-01-24T10:00:00Z`: the strict RFC 3339 both platforms' date functions accept. */
export const utcInstant = (at: Date) => at.toISOString().replace(/\.\d{3}Z$/, "Z");

/** How long after an event ends its calendar link keeps working: an invite sits in chat for months. */
const calendarLinkGraceMs = 7 * 86_400_000;

/** The signed link to the event's calendar file, valid until a week after it ends; absent without a public URL. */
export function calendarLink(ctx: CoreContext, event: Pick<EventFacts, "number" | "endsAt">): string | undefined {
  return ctx.links?.sign(`/downloads/events/${event.number}.ics`, new Date(Math.max(event.endsAt.getTime(), ctx.now().getTime()) + calendarLinkGraceMs));
}

/** Title, when, where and what: the part every event message shares. */
export function eventBlocks(ctx: CoreContext, event: EventFacts): Block[] {
  const blocks: Block[] = [
    heading(event.status === "cancelled" ? `Cancelled: ${event.title}` : event.title),
    { type: "when", label: "When", start: utcInstant(event.startsAt), end: utcInstant(event.endsAt), timeZone: ctx.timeZone },
  ];
  const where: string[] = [];
  if (event.location) where.push(`**Where:** ${literal(event.location)}`);
  if (event.joinUrl) where.push(`**Online:** [join link](${event.joinUrl})`);
  if (where.length > 0) blocks.push(formatted(where.join("\n")));
  if (event.trainingCourse) blocks.push(text(`Training: this session delivers course #${event.trainingCourse.number}, ${event.trainingCourse.title}.`));
  if (event.description) blocks.push(text(event.description));
  const calendar = event.status === "draft" ? undefined : calendarLink(ctx, event);
  if (calendar) blocks.push(formatted(`[${event.status === "cancelled" ? "Remove from your calendar (.ics)" : "Add to calendar (.ics)"}](${calendar})`));
  return blocks;
}

// The place is typed text inside formatted text: keep its markup characters literal.
function literal(value: string): string {
  return value.replace(/[*_[\]()]/g, " ").replace(/\s+/g, " ").trim();
}

/** Going / Maybe / Can't make it; the chosen one stands out. `fromList` answers with the whole list again. */
export function rsvpButtons(event: Pick<EventFacts, "number">, chosen: Answer | null, fromList = false): Block {
  const button = (answer: Answer): Button => ({
    label: answerLabels[answer],
    verb: "event rsvp",
    text: `${event.number} ${answer}${fromList ? " list" : ""}`,
    ...(chosen === answer ? { style: "primary" as const } : {}),
  });
  return buttons(button("going"), button("maybe"), button("declined"));
}

/** Where someone stands, in words: `You said you're going.`, or on the waiting list. */
export function answerLine(answer: Answer | null, waiting: boolean): string {
  if (waiting) return "You're on the waiting list. If a place comes up, it's yours and I'll tell you.";
  switch (answer) {
    case "going":
      return "You said you're going. See you there.";
    case "maybe":
      return "You said maybe. Change it whenever you know.";
    case "declined":
      return "You said you can't make it. Thanks for letting us know; you can change it if plans change.";
    case null:
      return "You haven't answered yet.";
  }
}

/** The invite: the event, the buttons, and what answering does. */
export function inviteMessage(ctx: CoreContext, event: EventFacts): Message {
  return message(
    `You're invited: ${event.title}`,
    ...eventBlocks(ctx, event),
    rsvpButtons(event, null),
    note(`You're invited because you're part of ${ctx.networkName}. You can change your answer until it starts; coordinators see who's coming.`),
  );
}

/** The invite as one person sees it after answering: their answer marked, the buttons still there. */
export function answeredInvite(ctx: CoreContext, event: EventFacts, answer: Answer, waiting: boolean): Message {
  return {
    ...message(`${answerLabels[answer]}: ${event.title}`, ...eventBlocks(ctx, event), text(answerLine(answer, waiting)), rsvpButtons(event, answer), note("You can change your answer until it starts.")),
    replacesOriginal: true,
  };
}
