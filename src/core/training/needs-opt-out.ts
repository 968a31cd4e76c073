import { command, type Request } from "../kernel/context.js";
import { message, type View } from "../kernel/view.js";

/** `needs stop`: no more learning-needs surveys; any still waiting to go to them are called off. */
export async function stopNeedsSurveys({ ctx, requester }: Request): Promise<View> {
  if (!requester.member) return message("You're not receiving learning-needs surveys: they go only to members of the network.");
  const memberId = requester.member.id;
  await ctx.prisma.member.updateMany({ where: { id: memberId, learningNeedsOptedOutAt: null }, data: { learningNeedsOptedOutAt: ctx.now() } });
  await ctx.prisma.delivery.updateMany({
    where: { memberId, purposeKey: { startsWith: "learning-needs:" }, status: { in: ["queued", "retrying"] } },
    data: { status: "cancelled", lastError: "the member said Stop these", updatedAt: ctx.now() },
  });
  const platform = requester.address.platform;
  return {
    ...message(`Done: I won't send you learning-needs surveys. If you change your mind, type ${command(platform, "needs resume")}. You can still answer one you've had with ${command(platform, "needs")}.`),
    replacesOriginal: true,
  };
}

/** `needs resume`: learning-needs surveys again, from the next one sent. */
export async function resumeNeedsSurveys({ ctx, requester }: Request): Promise<View> {
  if (!requester.member) return message(`Learning-needs surveys go to members of the network. Type ${command(requester.address.platform, "join")} to join.`);
  await ctx.prisma.member.update({ where: { id: requester.member.id }, data: { learningNeedsOptedOutAt: null } });
  return message("Welcome back: the next learning-needs survey will come to you. Answers are always anonymous, and always optional.");
}
