import { Prisma } from "../../db/generated/client.js";
import { recordAudit } from "../kernel/audit.js";
import { people } from "../kernel/labels.js";
import type { CoreContext, Request } from "../kernel/context.js";
import { queueDeliveries } from "../kernel/outbox.js";
import { buttons, message, note, text, type View } from "../kernel/view.js";
import { unchangeable } from "./change-event.js";
import { eventBlocks } from "./event-card.js";
import { countAnswers } from "./event-counts.js";
import { findEvent, type StoredEvent } from "./find-event.js";
import { invitees } from "./invitees.js";

/**
 * `event cancel 4` asks first; `event cancel 4 confirm` cancels: what hasn't been sent about it is
 * stopped, and everyone whose invite reached them and who hasn't declined is told once, with a
 * calendar file that removes it.
 */
export async function cancelEvent(request: Request): Promise<View> {
  const { ctx } = request;
  const found = await findEvent(request, "event cancel");
  if ("problem" in found) return found.problem;
  const { event, rest } = found;
  const refusal = unchangeable(ctx, event);
  if (refusal) return refusal;
  if (rest[0]?.toLowerCase() !== "confirm") return askFirst(ctx, event);

  const by = request.requester.member?.displayName ?? "a coordinator";
  const cancelled = await ctx.prisma.networkEvent.updateManyAndReturn({
    where: { id: event.id, status: { not: "cancelled" } },
    data: { status: "cancelled", cancelledAt: ctx.now(), sequence: { increment: 1 } },
  });
  if (!cancelled[0]) return message(`Event #${event.number} was already cancelled.`);
  const stopped = await ctx.prisma.delivery.updateMany({
    where: { purposeKey: { startsWith: `event:${event.number}:` }, status: { in: ["queued", "retrying"] } },
    data: { status: "cancelled", lastError: `event cancelled by ${by}`, updatedAt: ctx.now() },
  });
  const now: StoredEvent = { ...cancelled[0], audience: event.audience };
  const told = event.invitedAt ? await tellOfCancellation(ctx, now) : 0;
  await recordAudit(request, { action: "event.cancel", subject: `event #${event.number}`, detail: `${event.title}; ${told} told` });
  const notSent = stopped.count > 0 ? ` ${stopped.count} messages about it that hadn't gone yet won't be sent.` : "";
  const reply = `Event #${event.number}, ${event.title}, is cancelled. ${people(told)} who hadn't declined will be told.${notSent}`;
  return message(reply);
}

async function askFirst(ctx: CoreContext, event: StoredEvent): Promise<View> {
  const counts = event.invitedAt ? (await countAnswers(ctx, event.id)).total : undefined;
  const toTell = counts ? counts.going + counts.waiting + counts.maybe + counts.none : 0;
  const consequence = event.invitedAt ? `${people(toTell)} who haven't declined will be told it's off.` : "Nobody has been invited yet, so nobody will be messaged.";
  return message(
    `Cancel event #${event.number}?`,
    text(`Cancel event #${event.number}, ${event.title}? ${consequence}`),
    ...eventBlocks(ctx, event),
    buttons({ label: "Yes, cancel it", verb: "event cancel", text: `${event.number} confirm`, style: "danger" }),
    note("This can't be undone; you'd plan a new event instead."),
  );
}

async function tellOfCancellation(ctx: CoreContext, event: StoredEvent): Promise<number> {
  const reached = Prisma.sql`
    SELECT r.* FROM (${invitees(event.id, event.audience, { answers: ["going", "maybe", null] })}) r
    WHERE EXISTS (SELECT 1 FROM "Delivery" d WHERE d."memberId" = r."memberId" AND d."purposeKey" = ${`event:${event.number}:invite`} AND d."status" IN ('sent', 'sending'))`;
  return queueDeliveries(ctx, {
    purposeKey: `event:${event.number}:cancel`,
    view: message(
      `Cancelled: ${event.title}`,
      text(`Sorry, ${event.title} has been cancelled. You don't need to do anything; the calendar link below removes it from your calendar.`),
      ...eventBlocks(ctx, event),
    ),
    recipients: reached,
    respectQuietHours: true,
  });
}
