import { command, type CoreContext, type Request } from "../kernel/context.js";
import { trainingLevels } from "../kernel/labels.js";
import { buttons, message, note, text, type Block, type View } from "../kernel/view.js";
import { levelLabel, levelRank, type TrainingLevel } from "./training-labels.js";

/** The highest level among the courses from the offer a member has recorded; null when none. */
export async function earnedLevel(ctx: CoreContext, memberId: string): Promise<TrainingLevel | null> {
  const records = await ctx.prisma.trainingRecord.findMany({ where: { memberId, courseId: { not: null } }, select: { course: { select: { level: true } } } });
  const ranks = records.flatMap((record) => (record.course ? [levelRank(record.course.level)] : []));
  return ranks.length > 0 ? trainingLevels[Math.max(...ranks)]! : null;
}

/** The suggestion to raise the profile's level, when the training shows a higher one; nothing otherwise. */
export function levelSuggestion(earned: TrainingLevel | null, profile: TrainingLevel | null): Block[] {
  if (!earned || levelRank(earned) <= levelRank(profile)) return [];
  return [
    text(`Your training reaches ${levelLabel(earned)} level; your profile says ${levelLabel(profile)}. Would you like to update your profile?`),
    buttons({ label: "Yes, update my level", verb: "training level", text: earned, style: "primary" }, { label: "Not now", verb: "training later" }),
  ];
}

/**
 * "Yes, update my level": the level is worked out again from the member's records, never taken from the
 * button, and changed only when it is the one offered and still higher than the profile's.
 */
export async function confirmLevel({ ctx, requester, interaction }: Request): Promise<View> {
  const platform = requester.address.platform;
  if (!requester.member) return message(`Training records are for members of the network. Type ${command(platform, "join")} to join.`);
  const current = requester.member.trainingLevel;
  const earned = await earnedLevel(ctx, requester.member.id);
  const offered = interaction.text.trim().toLowerCase();
  if (!earned || offered !== earned || levelRank(earned) <= levelRank(current)) {
    const reply = `Your profile's level stays ${levelLabel(current)}: your training records don't show a different one to update it to, so nothing was changed.`;
    return { ...message(reply, text(reply), note(`${command(platform, "training mine")} shows what you've recorded.`)), replacesOriginal: true };
  }
  const changed = await ctx.prisma.member.updateMany({ where: { id: requester.member.id, trainingLevel: current }, data: { trainingLevel: earned } });
  if (changed.count === 0) return { ...message("Your profile changed while you were deciding, so I've left it as it is. Nothing was changed."), replacesOriginal: true };
  const reply = `Done: your profile's training level is now ${levelLabel(earned)}.`;
  return { ...message(reply, text(reply), note(`You can change it any time: ${command(platform, "join")} opens your profile.`)), replacesOriginal: true };
}

/** "Not now": the profile stays as it is. */
export async function keepLevel({ requester }: Request): Promise<View> {
  const reply = `No problem: your profile stays as it is. Your training is still recorded; ${command(requester.address.platform, "training mine")} shows it.`;
  return { ...message(reply), replacesOriginal: true };
}
