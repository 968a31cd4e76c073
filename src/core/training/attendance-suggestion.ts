import type { TrainingCourse } from "../../db/generated/client.js";
import { command, type CoreContext } from "../kernel/context.js";
import { formatDate } from "../kernel/labels.js";
import { oneAddress, queueDeliveries } from "../kernel/outbox.js";
import { message, note, text } from "../kernel/view.js";
import type { StoredEvent } from "../events/find-event.js";
import { earnedLevel, levelSuggestion } from "./suggest-level.js";

/** One suggestion per person per event, however often its attendance is saved. */
export const attendancePurpose = (eventNumber: number) => `training-attendance:${eventNumber}:level`;

/**
 * Offers each newly recorded attendee whose training now reaches a higher level than their profile says
 * the same choice `training done` offers (Yes, update my level / Not now), as a message within sending
 * hours, once per event. Nothing is changed until they say yes. Returns how many were offered.
 */
export async function suggestLevelsAfterAttendance(ctx: CoreContext, attendance: { event: StoredEvent; course: TrainingCourse; memberIds: readonly string[] }): Promise<number> {
  const { event, course } = attendance;
  if (attendance.memberIds.length === 0) return 0;
  const members = await ctx.prisma.member.findMany({
    where: { id: { in: [...attendance.memberIds] }, networkId: ctx.networkId, leftAt: null },
    select: { id: true, trainingLevel: true, addresses: { where: { active: true }, orderBy: { lastSeenAt: "desc" }, take: 1, select: { id: true, platform: true } } },
  });
  let offered = 0;
  for (const member of members) {
    const address = member.addresses[0];
    if (!address) continue;
    const suggestion = levelSuggestion(await earnedLevel(ctx, member.id), member.trainingLevel);
    if (suggestion.length === 0) continue;
    // On whichever address they were last seen: once per person, even if that changed since.
    if ((await ctx.prisma.delivery.count({ where: { purposeKey: attendancePurpose(event.number), memberId: member.id } })) > 0) continue;
    const summary = `${course.title} is on your training record`;
    offered += await queueDeliveries(ctx, {
      purposeKey: attendancePurpose(event.number),
      view: message(
        summary,
        text(`You took part in ${event.title} on ${formatDate(event.startsAt, ctx.timeZone)}, so course #${course.number}, ${course.title}, is now on your training record.`),
        ...suggestion,
        note(`Your profile changes only if you say yes. Only you see your record: ${command(address.platform, "training mine")}. Something not right? Tell the session's facilitator or a coordinator.`),
      ),
      recipients: oneAddress({ addressId: address.id, memberId: member.id }),
      respectQuietHours: true,
    });
  }
  return offered;
}
