import type { Request } from "../kernel/context.js";
import type { HomeContribution } from "../kernel/feature.js";
import { divider, type Block } from "../kernel/view.js";
import { eventBlocks, rsvpButtons } from "./event-card.js";

/** Invitations a home shows at most; `events` lists them all. */
const shown = 2;

/** On a home: upcoming events this member is invited to and hasn't answered, with the RSVP buttons. */
export async function eventsHome({ ctx, requester }: Request): Promise<HomeContribution> {
  const coordinatorActions = requester.isCoordinator ? [{ label: "Plan an event", verb: "event new" }] : [];
  if (!requester.member) return {};
  const unanswered = await ctx.prisma.eventInvitation.findMany({
    where: { memberId: requester.member.id, answer: null, event: { networkId: ctx.networkId, status: "scheduled", startsAt: { gt: ctx.now() } } },
    include: { event: true },
    orderBy: { event: { startsAt: "asc" } },
    take: shown,
  });
  const waiting: Block[] = unanswered.flatMap(({ event }, index) => [
    ...(index > 0 ? [divider()] : []),
    // The title, when and where; the description is in the invite and `events`.
    ...eventBlocks(ctx, { ...event, description: "" }),
    rsvpButtons(event, null, true),
  ]);
  return { waiting, coordinatorActions };
}
