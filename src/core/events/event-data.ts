import { fillPlaces } from "./answer-invite.js";
import type { MemberDataPart } from "../kernel/member-data.js";

const invitations: MemberDataPart = {
  model: "EventInvitation",
  key: "eventInvitations",
  about: "Network events you were invited to, your answer (going, maybe or can't make it), when you answered, and whether you were on a waiting list.",
  onLeave: "Deleted. If you had a place, it goes to the first person on the waiting list.",
  exportRows: (db, memberId) =>
    db.eventInvitation.findMany({
      where: { memberId },
      orderBy: { invitedAt: "asc" },
      include: { event: { select: { number: true, title: true, startsAt: true, endsAt: true, status: true } } },
    }),
  async erase(tx, leaver, ctx) {
    const places = await tx.eventInvitation.findMany({
      where: { memberId: leaver.id, answer: "going", waitlistedAt: null, event: { status: "scheduled", startsAt: { gt: ctx.now() } } },
      select: { eventId: true, event: { select: { capacity: true } } },
    });
    await tx.eventInvitation.deleteMany({ where: { memberId: leaver.id } });
    for (const place of places) await fillPlaces(tx, place.eventId, place.event.capacity);
  },
};

const eventsPlanned: MemberDataPart = {
  model: "NetworkEvent",
  key: "eventsPlanned",
  about: "Network events you planned as a coordinator, or were named to facilitate as a training session.",
  onLeave: "Kept as the network's record, without your name.",
  exportRows: (db, memberId) => db.networkEvent.findMany({ where: { OR: [{ createdById: memberId }, { facilitatorId: memberId }] }, orderBy: { createdAt: "asc" } }),
  async erase(tx, leaver) {
    await tx.networkEvent.updateMany({ where: { createdById: leaver.id }, data: { createdById: null } });
    await tx.networkEvent.updateMany({ where: { facilitatorId: leaver.id }, data: { facilitatorId: null } });
  },
};

const seriesPlanned: MemberDataPart = {
  model: "EventSeries",
  key: "eventSeriesPlanned",
  about: "Repeating network events you set up as a coordinator; drafts of the next one are sent to you to confirm.",
  onLeave: "Kept without your name; drafts go to the network's coordinators instead.",
  exportRows: (db, memberId) => db.eventSeries.findMany({ where: { createdById: memberId }, orderBy: { createdAt: "asc" } }),
  async erase(tx, leaver) {
    await tx.eventSeries.updateMany({ where: { createdById: leaver.id }, data: { createdById: null } });
  },
};

/** What events hold about a member, for `mydata` and `leave`. */
export const eventData: readonly MemberDataPart[] = [invitations, eventsPlanned, seriesPlanned];
