import { recordAudit } from "../kernel/audit.js";
import { people } from "../kernel/labels.js";
import type { CoreContext, Request } from "../kernel/context.js";
import { queueDeliveries } from "../kernel/outbox.js";
import { describeMoment } from "../kernel/sending-hours.js";
import { message, note, text, type Message, type View } from "../kernel/view.js";
import { fillPlaces, tellOfPlace } from "./answer-invite.js";
import { eventBlocks, rsvpButtons, withCourse } from "./event-card.js";
import { eventForm, type EventAnswers, type EventDetails } from "./event-form.js";
import { findEvent, type StoredEvent } from "./find-event.js";
import { invitees } from "./invitees.js";
import { sendInvites } from "./send-invites.js";

/** `event edit 4`: the form with the event's details; for a drafted occurrence, adjusting it. */
export async function editEvent(request: Request): Promise<View> {
  const found = await findEvent(request, "event edit");
  if ("problem" in found) return found.problem;
  const refusal = unchangeable(request.ctx, found.event);
  return refusal ?? eventForm(request.ctx, found.event);
}

/** Why an event can't be changed any more, or undefined when it can. */
export function unchangeable(ctx: CoreContext, event: StoredEvent): Message | undefined {
  if (event.status === "cancelled") return message(`Event #${event.number}, ${event.title}, was cancelled, so it can't be changed. Plan a new one with "event new".`);
  if (event.startsAt <= ctx.now()) return message(`Event #${event.number}, ${event.title}, has already started, so it can't be changed.`);
  return undefined;
}

/** What invitees are told changed, in words; capacity and audience changes aren't news to them. */
function changesWorthTelling(before: EventDetails, after: EventDetails): string[] {
  const changed: string[] = [];
  if (before.title !== after.title) changed.push("the title");
  if (before.startsAt.getTime() !== after.startsAt.getTime() || before.endsAt.getTime() !== after.endsAt.getTime()) changed.push("the time");
  if (before.location !== after.location) changed.push("the place");
  if (before.joinUrl !== after.joinUrl) changed.push("the join link");
  if (before.description !== after.description) changed.push("the description");
  return changed;
}

/**
 * Saves an edited event. Once invites went out, everyone invited who hasn't declined is told what changed,
 * once (the purpose key carries the calendar sequence), and a larger capacity gives places to the waiting
 * list. Before that, the new invite time applies, and a drafted occurrence becomes a real one.
 */
export async function saveChanges(request: Request, before: StoredEvent, answers: EventAnswers): Promise<View> {
  const { ctx } = request;
  const refusal = unchangeable(ctx, before);
  if (refusal) return refusal;
  const { details } = answers;
  const invited = before.invitedAt !== null;
  const changed = invited ? changesWorthTelling(before, details) : [];
  const { event, promoted } = await ctx.prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT "id" FROM "NetworkEvent" WHERE "id" = ${before.id} FOR UPDATE`;
    const updated = await tx.networkEvent.update({
      where: { id: before.id },
      data: {
        ...details,
        status: "scheduled",
        ...(invited ? {} : { inviteAt: answers.inviteAt ?? ctx.now() }),
        ...(changed.length > 0 ? { sequence: { increment: 1 } } : {}),
      },
      include: withCourse,
    });
    return { event: { ...updated, audience: details.audience }, promoted: invited ? await fillPlaces(tx, before.id, details.capacity) : [] };
  });
  for (const memberId of promoted) await tellOfPlace(ctx, event, memberId);
  const told = changed.length > 0 ? await tellOfChange(ctx, event, changed) : 0;
  const newlyInvited = invited || !answers.inviteAt ? await sendInvites(ctx, event) : 0;
  await recordAudit(request, {
    action: before.status === "draft" ? "event.confirm" : "event.edit",
    subject: `event #${event.number}`,
    detail: [changed.length > 0 ? `changed ${changed.join(", ")}` : "", promoted.length > 0 ? `${promoted.length} from the waiting list` : ""].filter(Boolean).join("; ") || undefined,
  });
  const reply = savedSummary(ctx, event, { invited, changed, told, newlyInvited, inviteAt: answers.inviteAt, promoted: promoted.length });
  return message(reply, text(reply), ...eventBlocks(ctx, event));
}

interface SaveOutcome {
  invited: boolean;
  changed: string[];
  told: number;
  newlyInvited: number;
  inviteAt: Date | null;
  promoted: number;
}

/** What saving did, in words, for the coordinator. */
function savedSummary(ctx: CoreContext, event: StoredEvent, outcome: SaveOutcome): string {
  const { invited, changed, told, newlyInvited, inviteAt, promoted } = outcome;
  const lines = [`Event #${event.number} is saved.`];
  if (changed.length > 0) lines.push(`${people(told)} who hadn't declined will be told that ${joinWords(changed)} changed.`);
  else if (invited) lines.push("Nothing invitees need to hear about changed, so nobody was messaged.");
  if (invited && newlyInvited > 0) lines.push(`${people(newlyInvited)} newly in the audience will get the invite.`);
  if (!invited && inviteAt) lines.push(`Invites go ${describeMoment(inviteAt, ctx.timeZone, ctx.now())}.`);
  else if (!invited) lines.push(`Invites are on their way to ${people(newlyInvited)}, within sending hours.`);
  if (promoted > 0) lines.push(`${people(promoted)} from the waiting list got a place and will be told.`);
  return lines.join(" ");
}

async function tellOfChange(ctx: CoreContext, event: StoredEvent, changed: string[]): Promise<number> {
  return queueDeliveries(ctx, {
    purposeKey: `event:${event.number}:change:${event.sequence}`,
    view: message(
      `Changed: ${event.title}`,
      text(`A change to ${event.title}: ${joinWords(changed)} ${changed.length === 1 ? "has" : "have"} changed. Here are the details as they are now.`),
      ...eventBlocks(ctx, event),
      rsvpButtons(event, null),
      note("Your answer stays as it was; change it here if you need to. The calendar file is updated too."),
    ),
    recipients: invitees(event.id, event.audience, { answers: ["going", "maybe", null] }),
    respectQuietHours: true,
  });
}

/** `the time, the place and the title` */
export function joinWords(words: string[]): string {
  return words.length <= 1 ? (words[0] ?? "") : `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;
}
