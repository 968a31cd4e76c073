import { recordAudit } from "../kernel/audit.js";
import { people } from "../kernel/labels.js";
import type { Request } from "../kernel/context.js";
import { message, type View } from "../kernel/view.js";
import { openPulseRound } from "./open-round.js";
import { dayOf } from "./pulse-round.js";

/** `pulse start [principle]`: a coordinator opens a round now, sent in sending hours. */
export async function startPulseRound(request: Request): Promise<View> {
  const { ctx, requester, interaction } = request;
  const named = interaction.text.trim().replace(/^#/, "");
  let principleId: string | undefined;
  if (named) {
    const principle = await ctx.prisma.principle.findFirst({ where: { networkId: ctx.networkId, name: { equals: named, mode: "insensitive" } }, select: { id: true } });
    if (!principle) {
      const names = await ctx.prisma.principle.findMany({ where: { networkId: ctx.networkId }, orderBy: { position: "asc" }, select: { name: true } });
      return message(`I don't know a principle called "${named.slice(0, 60)}". The network's principles are: ${names.map((entry) => entry.name).join(", ")}.`);
    }
    principleId = principle.id;
  }
  const result = await openPulseRound(ctx, { startedById: requester.member?.id, principleId });
  if (!result.opened) {
    if (result.reason === "already-open" && result.round) {
      return message(`Pulse #${result.round.number} on ${result.round.principle} is still open, until ${dayOf(ctx, result.round.closesAt)}. One round runs at a time.`);
    }
    return message(named ? `There's no question in use for ${named}. Add one with "pulse add".` : `There are no pulse questions in use. Add one with "pulse add".`);
  }
  const { round, asked } = result;
  await recordAudit(request, { action: "pulse.start", subject: `pulse #${round.number}`, detail: `${round.principle}, to ${people(asked)}` });
  return message(`Pulse #${round.number} on ${round.principle} is open until ${dayOf(ctx, round.closesAt)}. It's on its way to ${people(asked)}, in sending hours: "${round.question}"`);
}
