import { Prisma } from "../../db/generated/client.js";
import { recordAudit } from "../kernel/audit.js";
import type { CoreContext, Request } from "../kernel/context.js";
import { people } from "../kernel/labels.js";
import { queueDeliveries } from "../kernel/outbox.js";
import { buttons, formatted, heading, message, note, text, type Message } from "../kernel/view.js";
import { broadcastPurpose } from "./acknowledge-broadcast.js";
import { findBroadcast } from "./broadcast-status.js";
import { ackBlocks } from "./compose-broadcast.js";

/** What the one reminder of a broadcast is queued as: an address gets it once. */
export const reminderPurpose = (number: number) => `broadcast:${number}:reminder`;
/** Matches every broadcast's reminder (and never a broadcast itself, `broadcast:<number>`). */
export const anyReminderPurpose = { startsWith: "broadcast:", endsWith: ":reminder" } as const;

/**
 * `broadcast remind [number]`: one kind reminder, in sending hours, to each person the broadcast reached
 * who was asked to acknowledge it and hasn't. Never to anyone who left or can't be reached, and never
 * twice to the same person: a second `remind` queues nothing for those already reminded.
 */
export async function remindBroadcast(request: Request): Promise<Message> {
  const { ctx } = request;
  const found = await findBroadcast(request);
  if ("problem" in found) return found.problem;
  const { broadcast } = found;
  if (!broadcast.queuedAt) return message(`Broadcast #${broadcast.number} hasn't been sent, so there's nobody to remind.`);
  if (broadcast.ackChoices.length === 0) {
    return message(`Broadcast #${broadcast.number} didn't ask people to acknowledge it, so there's nobody to remind. Nothing was sent.`);
  }
  const reminded = await queueDeliveries(ctx, {
    purposeKey: reminderPurpose(broadcast.number),
    view: reminderMessage(ctx, broadcast),
    recipients: notYetAcknowledgedRecipients(broadcast),
    respectQuietHours: true,
  });
  await recordAudit(request, { action: "broadcast.remind", subject: `broadcast #${broadcast.number}`, detail: `to ${people(reminded)}` });
  if (reminded > 0) {
    return message(
      `A reminder about broadcast #${broadcast.number} is on its way to ${people(reminded)} who haven't acknowledged it yet, in sending hours. Nobody gets more than one.`,
    );
  }
  const already = await ctx.prisma.delivery.count({ where: { purposeKey: reminderPurpose(broadcast.number) } });
  if (already > 0) return message(`Everyone who hasn't acknowledged broadcast #${broadcast.number} has already had its one reminder, so nothing more was sent.`);
  return message(`Everyone broadcast #${broadcast.number} reached and can still be reached has acknowledged it, so there's nobody to remind. Nothing was sent.`);
}

/**
 * Members the broadcast was delivered to who haven't acknowledged it, haven't left or said Stop these to
 * reminders, haven't had its reminder, and have an address the bot can still reach (the one it went to,
 * else the last seen).
 */
function notYetAcknowledgedRecipients(broadcast: { id: string; number: number }): Prisma.Sql {
  return Prisma.sql`
    SELECT DISTINCT ON (m."id") m."id" AS "memberId", a."id" AS "addressId", a."platform", a."workspaceId"
    FROM "Delivery" d
    JOIN "Member" m ON m."id" = d."memberId" AND m."leftAt" IS NULL AND m."broadcastRemindersOptedOutAt" IS NULL
    JOIN "Address" a ON a."memberId" = m."id" AND a."active"
    WHERE d."broadcastId" = ${broadcast.id} AND d."purposeKey" = ${broadcastPurpose(broadcast.number)} AND d."status" = 'sent'
      AND NOT EXISTS (SELECT 1 FROM "BroadcastAcknowledgement" k WHERE k."broadcastId" = d."broadcastId" AND k."memberId" = m."id")
      AND NOT EXISTS (SELECT 1 FROM "Delivery" r WHERE r."purposeKey" = ${reminderPurpose(broadcast.number)} AND r."memberId" = m."id")
    ORDER BY m."id", (a."id" = d."addressId") DESC, a."lastSeenAt" DESC`;
}

/** The reminder: the announcement again with its buttons, and why it came. It names nobody. */
function reminderMessage(ctx: Pick<CoreContext, "networkName">, broadcast: { number: number; text: string; ackChoices: readonly string[] }): Message {
  return message(
    `${ctx.networkName}: a gentle reminder about an announcement`,
    heading(`A gentle reminder from ${ctx.networkName}`),
    text("This announcement asked for a quick answer, and we haven't had yours yet. If it's slipped past, one press below is all it takes."),
    formatted(broadcast.text),
    ...ackBlocks(broadcast),
    note("This is the only reminder about this announcement. Stop these: no reminders about later announcements either."),
    buttons({ label: "Stop these", verb: "reminders stop" }),
  );
}
