import { recordAudit } from "../kernel/audit.js";
import { people } from "../kernel/labels.js";
import type { Request } from "../kernel/context.js";
import { buttons, message, text, type Block, type View } from "../kernel/view.js";
import { eventBlocks } from "./event-card.js";
import { findEvent } from "./find-event.js";
import { sendInvites } from "./send-invites.js";

/** What a coordinator can do with a drafted occurrence. */
export function draftButtons(eventNumber: number): Block {
  const number = String(eventNumber);
  return buttons(
    { label: "Confirm and invite", verb: "event confirm", text: number, style: "primary" },
    { label: "Adjust", verb: "event edit", text: number },
    { label: "Skip this one", verb: "event skip", text: number },
    { label: "Stop repeating", verb: "event stop", text: number, style: "danger" },
  );
}

/** `event confirm 4`, from the draft's button: it becomes a real event and its invites go out. */
export async function confirmDraft(request: Request): Promise<View> {
  const { ctx } = request;
  const found = await findEvent(request, "event confirm");
  if ("problem" in found) return found.problem;
  const { event } = found;
  if (event.startsAt <= ctx.now()) return message(`Event #${event.number} has already started, so it can't be confirmed.`);
  const [confirmed] = await ctx.prisma.networkEvent.updateManyAndReturn({ where: { id: event.id, status: "draft" }, data: { status: "scheduled", inviteAt: ctx.now() } });
  if (!confirmed) return message(event.status === "cancelled" ? `Event #${event.number} was skipped or cancelled.` : `Event #${event.number} is already confirmed.`);
  const invited = await sendInvites(ctx, { ...confirmed, audience: event.audience });
  await recordAudit(request, { action: "event.confirm", subject: `event #${event.number}`, detail: `${people(invited)} invited` });
  const reply = `Confirmed: ${event.title}. Invites are on their way to ${people(invited)}, within sending hours.`;
  return { ...message(reply, text(reply), ...eventBlocks(ctx, { ...confirmed })), replacesOriginal: true };
}

/** `event skip 4`: a drafted occurrence that won't happen; the series goes on to the next. */
export async function skipDraft(request: Request): Promise<View> {
  const { ctx } = request;
  const found = await findEvent(request, "event skip");
  if ("problem" in found) return found.problem;
  const { event } = found;
  const skipped = await ctx.prisma.networkEvent.updateMany({ where: { id: event.id, status: "draft" }, data: { status: "cancelled", cancelledAt: ctx.now() } });
  if (skipped.count === 0) return message(`Event #${event.number} isn't a draft any more, so there's nothing to skip. To call it off, use "event cancel ${event.number}".`);
  await recordAudit(request, { action: "event.skip", subject: `event #${event.number}`, detail: event.title });
  const reply = `Skipped: nobody will be invited to event #${event.number}. I'll draft the one after as usual.`;
  return { ...message(reply), replacesOriginal: true };
}

/**
 * `event stop 4`: the series event #4 belongs to ends; nothing more is drafted. A draft not yet
 * confirmed is skipped with it; events already confirmed stay as they are.
 */
export async function stopSeries(request: Request): Promise<View> {
  const { ctx } = request;
  const found = await findEvent(request, "event stop");
  if ("problem" in found) return found.problem;
  const { event } = found;
  if (!event.seriesId) return message(`Event #${event.number} doesn't repeat, so there's nothing to stop. To call it off, use "event cancel ${event.number}".`);
  const ended = await ctx.prisma.eventSeries.updateMany({ where: { id: event.seriesId, endedAt: null }, data: { endedAt: ctx.now() } });
  const skipped = await ctx.prisma.networkEvent.updateMany({ where: { seriesId: event.seriesId, status: "draft" }, data: { status: "cancelled", cancelledAt: ctx.now() } });
  if (ended.count === 0) return message(`${event.title} had already stopped repeating.`);
  await recordAudit(request, { action: "event.stop", subject: `series of event #${event.number}`, detail: event.title });
  const draft = skipped.count > 0 ? " The drafted one won't happen, and nobody was invited to it." : "";
  const reply = `${event.title} won't repeat any more: I won't draft another.${draft} Events already confirmed go ahead as planned.`;
  return { ...message(reply), replacesOriginal: true };
}
