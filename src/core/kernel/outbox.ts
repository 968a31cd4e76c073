import { Prisma } from "../../db/generated/client.js";
import type { CoreContext } from "./context.js";
import { nextSendingTime, parseSendingHours } from "./sending-hours.js";
import type { Message } from "./view.js";

/** What to queue: one message, for everyone a recipients query returns (see `recipientsQuery`). */
export interface Outgoing {
  /** What it is for, e.g. `broadcast:42`. Queuing the same purpose to the same address again does nothing. */
  purposeKey: string;
  view: Message;
  /** Rows of `memberId`, `addressId`, `platform`, `workspaceId`. */
  recipients: Prisma.Sql;
  broadcastId?: string;
  /** False for a coordinator's "send now": it goes out even in quiet time. */
  respectQuietHours: boolean;
  /** Not before this time (default: now). */
  notBefore?: Date;
  /**
   * When it may first go, worked out already with {@link firstSendingTime} by a caller queuing many
   * messages in one run (a nudge run), so the network's sending hours are read once rather than per call.
   */
  firstSendingAt?: Date;
}

/**
 * Writes one delivery per recipient, in one statement, and wakes the dispatcher. Returns how many were
 * new: a purpose already queued to an address is skipped, so a repeated request sends nothing twice.
 *
 * @example
 * await queueDeliveries(ctx, { purposeKey: `broadcast:${number}`, view, recipients: recipientsQuery(ctx, audience), respectQuietHours: true });
 */
export async function queueDeliveries(ctx: CoreContext, outgoing: Outgoing): Promise<number> {
  const now = ctx.now();
  const due = outgoing.firstSendingAt ?? (await firstSendingTime(ctx, outgoing.notBefore ?? now, outgoing.respectQuietHours));
  const queued = await ctx.prisma.$executeRaw`
    INSERT INTO "Delivery" ("id", "networkId", "purposeKey", "broadcastId", "memberId", "addressId", "platform", "workspaceId",
                            "view", "respectQuietHours", "nextAttemptAt", "createdAt", "updatedAt")
    SELECT gen_random_uuid()::text, ${ctx.networkId}, ${outgoing.purposeKey}, ${outgoing.broadcastId ?? null}, r."memberId", r."addressId",
           r."platform", r."workspaceId", ${JSON.stringify(outgoing.view)}::jsonb, ${outgoing.respectQuietHours},
           ${due}, ${now}, ${now}
    FROM (${outgoing.recipients}) r
    ON CONFLICT ("purposeKey", "addressId") DO NOTHING`;
  if (queued > 0) ctx.deliveriesQueued?.();
  return queued;
}

/**
 * When a delivery may first go: held to the network's sending hours unless it may go at any time. The
 * dispatcher checks again before sending, for retries that run into quiet time.
 */
export async function firstSendingTime(ctx: CoreContext, notBefore: Date, respectQuietHours: boolean): Promise<Date> {
  if (!respectQuietHours) return notBefore;
  const network = await ctx.prisma.network.findUniqueOrThrow({ where: { id: ctx.networkId }, select: { sendingHours: true } });
  return nextSendingTime(parseSendingHours(network.sendingHours), ctx.timeZone, notBefore);
}

/** The recipients query for one known address. */
export function oneAddress(address: { addressId: string; memberId: string | null }): Prisma.Sql {
  return Prisma.sql`
    SELECT ${address.memberId}::text AS "memberId", a."id" AS "addressId", a."platform", a."workspaceId"
    FROM "Address" a WHERE a."id" = ${address.addressId}`;
}
