import { command, type Request } from "../kernel/context.js";
import { message, type View } from "../kernel/view.js";
import { anyReminderPurpose } from "./remind-broadcast.js";

/**
 * `reminders stop` (the reminder's "Stop these"): no more reminders about announcements not
 * yet acknowledged; one still waiting to go is called off. Announcements themselves still come.
 */
export async function stopBroadcastReminders({ ctx, requester }: Request): Promise<View> {
  if (!requester.member) return message("You're not receiving reminders about announcements: they go only to members of the network.");
  const memberId = requester.member.id;
  await ctx.prisma.member.updateMany({ where: { id: memberId, broadcastRemindersOptedOutAt: null }, data: { broadcastRemindersOptedOutAt: ctx.now() } });
  await ctx.prisma.delivery.updateMany({
    where: { memberId, purposeKey: anyReminderPurpose, status: { in: ["queued", "retrying"] } },
    data: { status: "cancelled", lastError: "the member said Stop these", updatedAt: ctx.now() },
  });
  return {
    ...message(
      `Done: I won't remind you about announcements you haven't answered. Announcements still come, and you can still answer this one with its buttons. If you change your mind, type ${command(requester.address.platform, "reminders resume")}.`,
    ),
    replacesOriginal: true,
  };
}

/** `reminders resume`: reminders again, from the next one a coordinator sends. */
export async function resumeBroadcastReminders({ ctx, requester }: Request): Promise<View> {
  if (!requester.member) return message(`Reminders about announcements go to members of the network. Type ${command(requester.address.platform, "join")} to join.`);
  await ctx.prisma.member.update({ where: { id: requester.member.id }, data: { broadcastRemindersOptedOutAt: null } });
  return message("Done: if an announcement asks for an answer and yours hasn't come, you may get one gentle reminder about it.");
}
