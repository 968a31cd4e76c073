import { command, type CoreContext, type Request } from "../kernel/context.js";
import { message, type Message, type View } from "../kernel/view.js";
import { loadBroadcastLinks, withCountedLinks } from "./broadcast-links.js";
import { ackBlocks, broadcastMessage } from "./compose-broadcast.js";

/** The delivery a broadcast's message went out as: `broadcast:12`. */
export const broadcastPurpose = (number: number) => `broadcast:${number}`;

/**
 * `broadcast ack 12 2`, from a broadcast's buttons: records the person's answer (one row per broadcast and
 * person, changed in place) and shows the message again in place, with "Thanks, noted" and the answer. The
 * button's data comes from the client: the broadcast must have been sent to one of the presser's addresses,
 * and the choice must be one it offered, or nothing is stored.
 */
export async function acknowledgeBroadcast({ ctx, requester, interaction }: Request): Promise<View> {
  const typed = /^#?(\d{1,9})\s+(\d{1,2})$/.exec(interaction.text.trim());
  if (!typed) return message("That button didn't carry an answer I can read, so nothing was saved. Please press one of the buttons on the announcement.");
  const member = requester.member;
  if (!member) return message(`Please join the network first (${command(requester.address.platform, "join")}), then press the button again.`);
  const number = Number(typed[1]);
  const broadcast = await ctx.prisma.broadcast.findFirst({
    where: { networkId: ctx.networkId, number },
    select: { id: true, number: true, text: true, ackChoices: true, author: { select: { displayName: true, leftAt: true } } },
  });
  const delivery = broadcast
    ? await ctx.prisma.delivery.findFirst({
        where: { broadcastId: broadcast.id, purposeKey: broadcastPurpose(number), OR: [{ memberId: member.id }, { address: { memberId: member.id } }] },
        select: { id: true, sentAt: true },
      })
    : null;
  if (!broadcast || !delivery) return message("That announcement wasn't sent to you, so there's nothing to answer. Nothing was saved.");
  const choice = broadcast.ackChoices[Number(typed[2]) - 1];
  if (!choice) return message(`That isn't one of the answers announcement #${number} offers, so nothing was saved. Please press one of its buttons.`);

  const now = ctx.now();
  await ctx.prisma.$executeRaw`
    INSERT INTO "BroadcastAcknowledgement" ("id", "broadcastId", "memberId", "deliveryId", "choice", "at")
    VALUES (gen_random_uuid()::text, ${broadcast.id}, ${member.id}, ${delivery.id}, ${choice}, ${now})
    ON CONFLICT ("broadcastId", "memberId") DO UPDATE SET "choice" = EXCLUDED."choice", "at" = EXCLUDED."at", "deliveryId" = EXCLUDED."deliveryId"`;

  // No author: a configured coordinator who never joined, or one who left; neither is named again here.
  const authorName = broadcast.author && !broadcast.author.leftAt ? broadcast.author.displayName : "a coordinator";
  const sent = await keepCountedLinks(ctx, broadcastMessage(ctx, { ...broadcast, authorName, ackChoices: [] }), { number, deliveryId: delivery.id, sentAt: delivery.sentAt });
  const answered = ackBlocks(broadcast, choice);
  // The answer goes where the buttons were, above the note on who sent it.
  const blocks = [...sent.blocks.slice(0, -1), ...answered, ...sent.blocks.slice(-1)];
  return { ...message(`Thanks, noted: ${choice}`, ...blocks), replacesOriginal: true };
}

/** The message shown in place keeps the person's own counted links, as the dispatcher sent them. */
async function keepCountedLinks(ctx: CoreContext, sent: Message, delivery: { number: number; deliveryId: string; sentAt: Date | null }): Promise<Message> {
  if (!ctx.links?.reachableFromOutside) return sent;
  const links = await loadBroadcastLinks(ctx.prisma, delivery.number);
  return withCountedLinks(sent, links, ctx.links, { ...delivery, sentAt: delivery.sentAt ?? ctx.now() });
}
