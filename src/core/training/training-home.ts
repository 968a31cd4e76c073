import type { Request } from "../kernel/context.js";
import type { HomeContribution } from "../kernel/feature.js";
import { formatDate } from "../kernel/labels.js";
import { buttons, text, type Block } from "../kernel/view.js";

/** How long after a session its facilitator is reminded on their home to take attendance. */
const attendanceWindowMs = 14 * 86_400_000;

/** On a facilitator's home: sessions they ran in the last fortnight with no attendance taken yet. */
export async function trainingHome({ ctx, requester }: Request): Promise<HomeContribution> {
  if (!requester.member) return {};
  const now = ctx.now();
  const sessions = await ctx.prisma.networkEvent.findMany({
    where: {
      networkId: ctx.networkId,
      facilitatorId: requester.member.id,
      trainingCourseId: { not: null },
      status: "scheduled",
      startsAt: { lte: now, gt: new Date(now.getTime() - attendanceWindowMs) },
      trainingRecords: { none: {} },
    },
    orderBy: { startsAt: "asc" },
    take: 2,
    select: { number: true, title: true, startsAt: true },
  });
  const waiting: Block[] = sessions.flatMap((session) => [
    text(`You facilitated ${session.title} on ${formatDate(session.startsAt, ctx.timeZone)}. Who took part? Ticking them puts it on their training record.`),
    buttons({ label: "Take attendance", verb: "training attendance", text: String(session.number), style: "primary" }),
  ]);
  return { waiting };
}
