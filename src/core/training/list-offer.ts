import { joinFirst } from "../kernel/join-first.js";
import { command, type Request } from "../kernel/context.js";
import { trainingLevelLabels, trainingLevels } from "../kernel/labels.js";
import { buttons, heading, message, note, text, type Block, type View } from "../kernel/view.js";
import { courseLine } from "./training-labels.js";

/** `training`: the courses on offer, grouped by level, each with its number and link. */
export async function listOffer(request: Request): Promise<View> {
  const { ctx, requester } = request;
  if (!requester.member && !requester.isCoordinator) return joinFirst(request, "Training records");
  const platform = requester.address.platform;
  const courses = await ctx.prisma.trainingCourse.findMany({ where: { networkId: ctx.networkId, retiredAt: null }, orderBy: { number: "asc" } });
  if (courses.length === 0) {
    const reply = "The network's training offer is empty for now.";
    const next = requester.isCoordinator ? `Add the first course with ${command(platform, "training add")}.` : `You can still record training you've done with ${command(platform, "training done")}.`;
    return message(reply, text(reply), note(next));
  }
  const blocks: Block[] = [heading("The network's training offer")];
  for (const level of trainingLevels) {
    const atLevel = courses.filter((course) => course.level === level);
    if (atLevel.length === 0) continue;
    blocks.push(text(trainingLevelLabels[level]), { type: "list", items: atLevel.map(courseLine) });
  }
  blocks.push(
    buttons({ label: "I've done some training", verb: "training done", style: "primary" }, { label: "My training", verb: "training mine" }),
    note(`Done one of these, or something else? Record it with ${command(platform, "training done")}. Only you see your record; coordinators see counts.`),
    ...(requester.isCoordinator ? [note(`Run a facilitated or live online course as a network event with ${command(platform, "training schedule <number>")}; its facilitator takes attendance after it starts.`)] : []),
  );
  return message(`The network's training offer: ${courses.length} ${courses.length === 1 ? "course" : "courses"}`, ...blocks);
}
