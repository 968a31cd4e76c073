import { command, type Request } from "../kernel/context.js";
import { message, note, text, type Message } from "../kernel/view.js";
import { digestMessage, lastWeek, weekInNetwork } from "./weekly-digest.js";

/** `digest`: last week's digest now, whether or not the member gets it weekly. */
export async function showDigest({ ctx, requester }: Request): Promise<Message> {
  if (!requester.member) return notJoined(requester.address.platform);
  const week = await weekInNetwork(ctx, lastWeek(ctx, ctx.now()));
  if (week.quiet) return message("A quiet week in the network: no updates were shared last week.");
  return digestMessage(ctx, week);
}

/** `digest stop` (or the digest's "Stop these"): no more weekly digests, replacing the digest the button was on. */
export async function stopDigest({ ctx, requester }: Request): Promise<Message> {
  if (!requester.member) return notJoined(requester.address.platform);
  await ctx.prisma.member.updateMany({ where: { id: requester.member.id, digestOptedOutAt: null }, data: { digestOptedOutAt: ctx.now() } });
  const reply = "Done: no more weekly digests.";
  return { ...message(reply, text(reply), note(`If you'd like them again, type ${command(requester.address.platform, "digest on")}.`)), replacesOriginal: true };
}

/** `digest on`: the weekly digest again, from next Monday. */
export async function resumeDigest({ ctx, requester }: Request): Promise<Message> {
  if (!requester.member) return notJoined(requester.address.platform);
  await ctx.prisma.member.update({ where: { id: requester.member.id }, data: { digestOptedOutAt: null } });
  return message("You'll get the weekly digest again, on Mondays in sending hours.");
}

function notJoined(platform: "slack" | "teams"): Message {
  const reply = `The digest is for members of the network. Join first with ${command(platform, "join")}.`;
  return message(reply);
}
