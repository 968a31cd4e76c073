import { findBroadcast } from "./broadcast-status.js";
import { recordAudit } from "../kernel/audit.js";
import type { Request } from "../kernel/context.js";
import { message, type Message } from "../kernel/view.js";

/**
 * `broadcast cancel [number]`: stops every delivery of the broadcast not yet sent. Messages already
 * handed to a platform can't be called back; the answer says how many that was.
 */
export async function cancelBroadcast(request: Request): Promise<Message> {
  const { ctx, requester } = request;
  const found = await findBroadcast(request);
  if ("problem" in found) return found.problem;
  const { broadcast } = found;
  if (!broadcast.queuedAt) {
    return message(`Broadcast #${broadcast.number} hasn't been sent${broadcast.cancelledAt ? " and was discarded" : ""}, so there's nothing to cancel.`);
  }
  const by = requester.member?.displayName ?? "a coordinator";
  const [cancelled] = await ctx.prisma.$transaction([
    ctx.prisma.delivery.updateMany({
      where: { broadcastId: broadcast.id, status: { in: ["queued", "retrying"] } },
      data: { status: "cancelled", lastError: `cancelled by ${by}`, updatedAt: ctx.now() },
    }),
    ctx.prisma.broadcast.updateMany({ where: { id: broadcast.id, cancelledAt: null }, data: { cancelledAt: ctx.now() } }),
  ]);
  await recordAudit(request, { action: "broadcast.cancel", subject: `broadcast #${broadcast.number}`, detail: `${cancelled.count} not sent` });
  const [sent, inFlight] = await Promise.all([
    ctx.prisma.delivery.count({ where: { broadcastId: broadcast.id, status: "sent" } }),
    ctx.prisma.delivery.count({ where: { broadcastId: broadcast.id, status: "sending" } }),
  ]);
  if (cancelled.count === 0 && inFlight === 0) return message(`Broadcast #${broadcast.number} had nothing left to send: ${sent} sent. Nothing was changed.`);
  const onTheirWay = inFlight > 0 ? ` ${inFlight} were already on their way and may still arrive.` : "";
  return message(`Cancelled broadcast #${broadcast.number}: ${cancelled.count} that hadn't gone yet won't be sent. ${sent} had already been sent.${onTheirWay}`);
}

