import { joinFirst } from "../kernel/join-first.js";
import { command, type Request } from "../kernel/context.js";
import { formatDate, trainingLevelLabels } from "../kernel/labels.js";
import { buttons, heading, message, note, text, type View } from "../kernel/view.js";
import { earnedLevel, levelSuggestion } from "./suggest-level.js";
import { levelLabel } from "./training-labels.js";

/** `training mine`: the member's own record, newest first, and their profile's level. */
export async function showMyTraining(request: Request): Promise<View> {
  const { ctx, requester } = request;
  if (!requester.member) return joinFirst(request, "Training records");
  const platform = requester.address.platform;
  const records = await ctx.prisma.trainingRecord.findMany({
    where: { memberId: requester.member.id },
    orderBy: [{ completedOn: "desc" }, { createdAt: "desc" }],
    include: { course: { select: { number: true, title: true, level: true } }, event: { select: { title: true } } },
  });
  const level = `Your profile's training level: ${levelLabel(requester.member.trainingLevel)}.`;
  if (records.length === 0) {
    const reply = "You haven't recorded any training yet.";
    return message(reply, text(`${reply} ${level}`), buttons({ label: "I've done some training", verb: "training done", style: "primary" }), note(`Or type ${command(platform, "training done")}.`));
  }
  const items = records.map((record) => {
    const what = record.course ? `${record.course.title} (#${record.course.number}, ${trainingLevelLabels[record.course.level]})` : `${record.otherTitle ?? "Training"} (not in the network's offer)`;
    return `${formatDate(record.completedOn, "UTC")}: ${what}${record.event ? `, attended: ${record.event.title}` : ""}`;
  });
  return message(
    `Your training: ${records.length} recorded`,
    heading("Your training"),
    { type: "list", items },
    text(level),
    ...levelSuggestion(await earnedLevel(ctx, requester.member.id), requester.member.trainingLevel),
    note(`Only you see this list; coordinators see counts, never names. Add more with ${command(platform, "training done")}.`),
  );
}
