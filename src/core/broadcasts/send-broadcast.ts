import { audienceSchema, recipientsQuery } from "../kernel/audience.js";
import { broadcastForm, broadcastMessage, changeableBy } from "./compose-broadcast.js";
import { people } from "../kernel/labels.js";
import { recordAudit } from "../kernel/audit.js";
import type { Request } from "../kernel/context.js";
import { broadcastStatusView, findBroadcast, loadBroadcastStatus } from "./broadcast-status.js";
import { oneAddress, queueDeliveries } from "../kernel/outbox.js";
import { recordBroadcastLinks } from "./broadcast-links.js";
import { message, type Message, type View } from "../kernel/view.js";
import type { Broadcast } from "../../db/generated/client.js";

/**
 * `broadcast send 12`, from the preview's button: fixes the recipients as the network is now and
 * queues one delivery each. Pressing it twice, or on two platforms at once, queues nothing more.
 */
export async function sendBroadcast(request: Request): Promise<View> {
  const { ctx, requester } = request;
  const found = await findOwnBroadcast(request);
  if ("problem" in found) return found.problem;
  const broadcast = found.broadcast;
  if (broadcast.cancelledAt) return message(`Broadcast #${broadcast.number} was discarded or cancelled, so it can't be sent. Start a new one with "broadcast".`);

  const claimed = await ctx.prisma.broadcast.updateMany({
    where: { id: broadcast.id, queuedAt: null, cancelledAt: null },
    data: { queuedAt: ctx.now() },
  });
  if (claimed.count === 0) return broadcastStatusView(ctx, await loadBroadcastStatus(ctx, broadcast.id), "It was already sent; here is how it's going.");

  const audience = audienceSchema.parse(broadcast.audience);
  const authorName = requester.member?.displayName ?? requester.address.displayName ?? "a coordinator";
  // Numbered before any message is queued, so the dispatcher can give each recipient their own counted links.
  await recordBroadcastLinks(ctx, broadcast);
  const recipientCount = await queueDeliveries(ctx, {
    purposeKey: `broadcast:${broadcast.number}`,
    broadcastId: broadcast.id,
    view: broadcastMessage(ctx, { number: broadcast.number, text: broadcast.text, authorName, ackChoices: broadcast.ackChoices }),
    recipients: recipientsQuery(ctx, audience),
    respectQuietHours: !broadcast.sendNow,
  });
  await ctx.prisma.broadcast.update({ where: { id: broadcast.id }, data: { recipientCount } });
  await recordAudit(request, { action: "broadcast.send", subject: `broadcast #${broadcast.number}`, detail: `to ${people(recipientCount)}${broadcast.sendNow ? ", sent now" : ""}` });
  // The progress line: a message of its own in the coordinator's chat, replaced in place as it goes.
  const status = await loadBroadcastStatus(ctx, broadcast.id);
  await queueDeliveries(ctx, {
    purposeKey: `broadcast:${broadcast.number}:progress`,
    view: broadcastStatusView(ctx, status),
    recipients: oneAddress({ addressId: requester.addressId, memberId: requester.member?.id ?? null }),
    respectQuietHours: false,
  });
  const reply = `Broadcast #${broadcast.number} is on its way to ${people(recipientCount)}. I'll keep a progress line up to date in our chat.`;
  return message(reply);
}

/** `broadcast edit 12`: the form again with the draft's values. */
export async function editBroadcast(request: Request): Promise<View> {
  const found = await findOwnBroadcast(request);
  if ("problem" in found) return found.problem;
  const { broadcast } = found;
  if (broadcast.queuedAt) return message(`Broadcast #${broadcast.number} has already been sent, so it can't be edited. You can cancel what hasn't gone yet with "broadcast cancel ${broadcast.number}".`);
  if (broadcast.cancelledAt) return message(`Broadcast #${broadcast.number} was discarded. Start a new one with "broadcast".`);
  return broadcastForm(request, {
    number: broadcast.number,
    text: broadcast.text,
    audience: audienceSchema.parse(broadcast.audience),
    sendNow: broadcast.sendNow,
    ackChoices: broadcast.ackChoices,
  });
}

/** `broadcast discard 12`: drops a draft nobody has sent. */
export async function discardBroadcast(request: Request): Promise<View> {
  const found = await findOwnBroadcast(request);
  if ("problem" in found) return found.problem;
  const { broadcast } = found;
  const discarded = await request.ctx.prisma.broadcast.updateMany({
    where: { id: broadcast.id, queuedAt: null, cancelledAt: null },
    data: { cancelledAt: request.ctx.now() },
  });
  if (discarded.count === 1) await recordAudit(request, { action: "broadcast.discard", subject: `broadcast #${broadcast.number}` });
  if (discarded.count === 1) return message(`Broadcast #${broadcast.number} is discarded. Nothing was sent.`);
  if (broadcast.queuedAt) return message(`Broadcast #${broadcast.number} has already been sent. To stop what hasn't gone yet, use "broadcast cancel ${broadcast.number}".`);
  return message(`Broadcast #${broadcast.number} was already discarded.`);
}



/**
 * The broadcast a preview's button names, if it is the requester's to change (see {@link changeableBy}):
 * the number comes back from the client, and one coordinator's draft is not another's to send.
 */
export async function findOwnBroadcast(request: Request): Promise<{ broadcast: Broadcast } | { problem: Message }> {
  const found = await findBroadcast(request);
  if ("problem" in found) return found;
  const { id, number, authorId } = found.broadcast;
  const own = await request.ctx.prisma.broadcast.count({ where: { id, ...changeableBy(request.requester.member?.id) } });
  if (own === 1) return found;
  const author = await request.ctx.prisma.member.findUnique({ where: { id: authorId! }, select: { displayName: true } });
  const reply = `Broadcast #${number} is ${author?.displayName ?? "another coordinator"}'s, so only they can send, edit or discard it. Nothing was changed. You can start your own with "broadcast".`;
  return { problem: message(reply) };
}
