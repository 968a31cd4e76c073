import { command, type Request } from "../kernel/context.js";
import { message, type View } from "../kernel/view.js";

/** `pulse stop`: no more pulse questions or reminders; answering on demand still works. */
export async function stopPulses({ ctx, requester }: Request): Promise<View> {
  if (!requester.member) return message("You're not receiving pulse questions: they go only to members of the network.");
  await ctx.prisma.member.updateMany({ where: { id: requester.member.id, pulsesOptedOutAt: null }, data: { pulsesOptedOutAt: ctx.now() } });
  const platform = requester.address.platform;
  return {
    ...message(`Done: I won't send you pulse questions. If you change your mind, type ${command(platform, "pulse resume")}. You can still answer an open one with ${command(platform, "pulse")}.`),
    replacesOriginal: true,
  };
}

/** `pulse resume`: pulse questions again, from the next round. */
export async function resumePulses({ ctx, requester }: Request): Promise<View> {
  if (!requester.member) return message(`Pulse questions go to members of the network. Type ${command(requester.address.platform, "join")} to join.`);
  await ctx.prisma.member.update({ where: { id: requester.member.id }, data: { pulsesOptedOutAt: null } });
  return message("Welcome back: the next pulse question will come to you. Answers are always anonymous, and always optional.");
}
