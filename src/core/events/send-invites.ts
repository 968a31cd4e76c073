import { audienceSchema, recipientsQuery } from "../kernel/audience.js";
import type { CoreContext } from "../kernel/context.js";
import { queueDeliveries } from "../kernel/outbox.js";
import { inviteMessage, withCourse } from "./event-card.js";
import type { StoredEvent } from "./find-event.js";
import { invitees } from "./invitees.js";

/**
 * Invites the event's audience as it is now: one invitation and one invite delivery each, within sending
 * hours. Safe to run twice, or on two replicas at once: invitations and deliveries already there are
 * kept, so nobody is invited twice. Returns how many were newly invited.
 */
export async function sendInvites(ctx: CoreContext, event: StoredEvent): Promise<number> {
  const now = ctx.now();
  const invited = await ctx.prisma.$executeRaw`
    INSERT INTO "EventInvitation" ("id", "eventId", "memberId", "invitedAt")
    SELECT gen_random_uuid()::text, ${event.id}, r."memberId", ${now}
    FROM (${recipientsQuery(ctx, event.audience)}) r
    ON CONFLICT ("eventId", "memberId") DO NOTHING`;
  // Everyone invited, not only the new: an invitation whose delivery was lost (a crash in between) gets it now.
  await queueDeliveries(ctx, {
    purposeKey: `event:${event.number}:invite`,
    view: inviteMessage(ctx, event),
    recipients: invitees(event.id, event.audience, { answers: ["going", "maybe", "declined", null] }),
    respectQuietHours: true,
  });
  await ctx.prisma.networkEvent.updateMany({ where: { id: event.id, invitedAt: null }, data: { invitedAt: now } });
  return invited;
}

/** Events whose chosen invite time has come, not yet invited, not started: for the scheduler. */
export async function dueInvites(ctx: CoreContext, limit = 50): Promise<StoredEvent[]> {
  const now = ctx.now();
  const due = await ctx.prisma.networkEvent.findMany({
    where: { networkId: ctx.networkId, status: "scheduled", invitedAt: null, inviteAt: { lte: now }, startsAt: { gt: now } },
    orderBy: { inviteAt: "asc" },
    take: limit,
    include: withCourse,
  });
  return due.map((event) => ({ ...event, audience: audienceSchema.parse(event.audience) }));
}
