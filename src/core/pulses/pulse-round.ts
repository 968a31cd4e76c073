import { DateTime } from "luxon";
import type { CoreContext } from "../kernel/context.js";
import { buttons, heading, message, note, text, type Message } from "../kernel/view.js";
import { pulseSettings } from "./settings.js";

/** A round as members see it: its number, principle, question and scale. */
export interface PulseRoundView {
  id: string;
  number: number;
  principle: string;
  question: string;
  scaleLabels: string[];
  opensAt: Date;
  closesAt: Date;
  closedAt: Date | null;
}

const roundSelect = {
  id: true,
  number: true,
  opensAt: true,
  closesAt: true,
  closedAt: true,
  question: { select: { text: true, scaleLabels: true, principle: { select: { name: true } } } },
} as const;

type RoundRow = { id: string; number: number; opensAt: Date; closesAt: Date; closedAt: Date | null; question: { text: string; scaleLabels: string[]; principle: { name: string } } };

function toView(round: RoundRow): PulseRoundView {
  return {
    id: round.id,
    number: round.number,
    principle: round.question.principle.name,
    question: round.question.text,
    scaleLabels: round.question.scaleLabels,
    opensAt: round.opensAt,
    closesAt: round.closesAt,
    closedAt: round.closedAt,
  };
}

/** The round open for answers now, if any. */
export async function findOpenRound(ctx: CoreContext): Promise<PulseRoundView | null> {
  const now = ctx.now();
  const round = await ctx.prisma.pulseRound.findFirst({
    where: { networkId: ctx.networkId, closedAt: null, opensAt: { lte: now }, closesAt: { gt: now } },
    orderBy: { opensAt: "desc" },
    select: roundSelect,
  });
  return round ? toView(round) : null;
}

export async function findRound(ctx: CoreContext, number: number): Promise<PulseRoundView | null> {
  const round = await ctx.prisma.pulseRound.findFirst({ where: { networkId: ctx.networkId, number }, select: roundSelect });
  return round ? toView(round) : null;
}

export function isOpen(ctx: CoreContext, round: PulseRoundView): boolean {
  const now = ctx.now().getTime();
  return !round.closedAt && round.opensAt.getTime() <= now && round.closesAt.getTime() > now;
}

/** `Tuesday 14 January`, in the network's time zone. */
export function dayOf(ctx: CoreContext, at: Date): string {
  return DateTime.fromJSDate(at, { zone: ctx.timeZone }).toFormat("cccc d LLLL");
}

/** What makes a pulse safe to answer, said in the question itself. */
export function anonymityNote(ctx: CoreContext): string {
  return (
    `Anonymous: your answer is stored without your name or anything that links it to you, and nobody can see how you answered. ` +
    `Results are shown only for groups of ${pulseSettings(ctx).minimumGroup} or more.`
  );
}

/**
 * The question as it is sent and shown: one button per point of the scale (one tap answers), a button
 * for answering with a comment, and a way to leave it or stop these.
 */
export function pulseQuestionMessage(ctx: CoreContext, round: PulseRoundView, opening?: string): Message {
  const roundText = String(round.number);
  return message(
    `Pulse: ${round.question}`,
    heading(`Pulse on ${round.principle}`),
    ...(opening ? [text(opening)] : []),
    text(round.question),
    buttons(...round.scaleLabels.map((label, index) => ({ label, verb: "pulse answer", text: `${roundText} ${index + 1}` }))),
    buttons(
      { label: "Answer with a comment", verb: "pulse", text: roundText },
      { label: "Not now", verb: "pulse later", text: roundText },
      { label: "Stop these", verb: "pulse stop" },
    ),
    note(`${anonymityNote(ctx)} Optional: answer only if you'd like to. Open until ${dayOf(ctx, round.closesAt)}.`),
  );
}
