import type { Request } from "../kernel/context.js";
import type { HomeContribution } from "../kernel/feature.js";
import { buttons, text } from "../kernel/view.js";
import { dayOf, findOpenRound } from "./pulse-round.js";

/** On a home: the open pulse question, if this member hasn't answered it and hasn't said "Stop these". */
export async function pulsesHome({ ctx, requester }: Request): Promise<HomeContribution> {
  const member = requester.member;
  const coordinatorActions = requester.isCoordinator ? [{ label: "Pulse results", verb: "pulse results" }] : [];
  if (!member) return {};
  const [round, stopped] = await Promise.all([
    findOpenRound(ctx),
    ctx.prisma.member.count({ where: { id: member.id, pulsesOptedOutAt: { not: null } } }),
  ]);
  if (!round || stopped > 0) return { coordinatorActions };
  const answered = await ctx.prisma.pulseParticipation.count({ where: { roundId: round.id, memberId: member.id } });
  if (answered > 0) return { coordinatorActions };
  return {
    waiting: [
      text(`A pulse question on ${round.principle}, open until ${dayOf(ctx, round.closesAt)}: ${round.question} It's anonymous and optional.`),
      buttons({ label: "Answer the pulse", verb: "pulse", text: String(round.number) }),
    ],
    coordinatorActions,
  };
}
