import { Prisma } from "../../db/generated/client.js";
import { recipientsQuery } from "../kernel/audience.js";
import type { CoreContext } from "../kernel/context.js";
import { queueDeliveries } from "../kernel/outbox.js";
import { findRound, pulseQuestionMessage, type PulseRoundView } from "./pulse-round.js";
import { pulseSettings } from "./settings.js";

const dayMs = 86_400_000;

export type OpenRoundResult =
  | { opened: true; round: PulseRoundView; asked: number }
  | { opened: false; reason: "already-open" | "slot-taken" | "no-questions" | "unknown-principle"; round?: PulseRoundView };

export interface OpenRoundOptions {
  /** The schedule's slot: a slot opens one round, however often it runs. */
  slot?: string;
  startedById?: string;
  /** Ask about this principle instead of the next in turn. */
  principleId?: string;
}

/**
 * Opens a round on the next principle in turn (or the one chosen) and queues its question to every member
 * who has not opted out, in sending hours. One round is open at a time.
 *
 * @example
 * const result = await openPulseRound(ctx, { slot: "2026-01-13" });
 */
export async function openPulseRound(ctx: CoreContext, options: OpenRoundOptions = {}): Promise<OpenRoundResult> {
  const claimed = await ctx.prisma.$transaction(async (tx) => {
    // Two coordinators, or a coordinator and the schedule, at once: the second sees the first's round.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(7243007)`;
    const now = ctx.now();
    const open = await tx.pulseRound.findFirst({ where: { networkId: ctx.networkId, closedAt: null, closesAt: { gt: now } }, select: { number: true } });
    if (open) return { opened: false as const, reason: "already-open" as const, number: open.number };
    if (options.slot && (await tx.pulseRound.count({ where: { slot: options.slot } })) > 0) return { opened: false as const, reason: "slot-taken" as const };
    const question = await nextQuestion(tx, ctx.networkId, options.principleId);
    if (!question) return { opened: false as const, reason: options.principleId ? ("unknown-principle" as const) : ("no-questions" as const) };
    const round = await tx.pulseRound.create({
      data: {
        networkId: ctx.networkId,
        questionId: question.id,
        opensAt: now,
        closesAt: new Date(now.getTime() + pulseSettings(ctx).openDays * dayMs),
        slot: options.slot ?? null,
        startedById: options.startedById ?? null,
      },
      select: { number: true },
    });
    return { opened: true as const, number: round.number };
  });
  const round = "number" in claimed && claimed.number !== undefined ? await findRound(ctx, claimed.number) : null;
  if (!claimed.opened) return { opened: false, reason: claimed.reason, ...(round ? { round } : {}) };
  const asked = await askRound(ctx, round!);
  return { opened: true, round: round!, asked };
}

/** Queues the round's question to members who have not opted out; queuing again sends nothing twice. */
export async function askRound(ctx: CoreContext, round: PulseRoundView): Promise<number> {
  const everyone = recipientsQuery(ctx, { who: "everyone", organisations: [], sectors: [], localities: [], trainingLevels: [], platforms: ["slack", "teams"] });
  return queueDeliveries(ctx, {
    purposeKey: `pulse:${round.number}`,
    view: pulseQuestionMessage(ctx, round),
    recipients: Prisma.sql`
      SELECT r.* FROM (${everyone}) r JOIN "Member" m ON m."id" = r."memberId" WHERE m."pulsesOptedOutAt" IS NULL`,
    respectQuietHours: true,
  });
}

/**
 * The question to ask: the next principle after the last round's (by position, wrapping round) that has
 * a question in use, then within it the question asked least, and longest ago.
 */
async function nextQuestion(tx: Prisma.TransactionClient, networkId: string, principleId?: string): Promise<{ id: string } | null> {
  const questions = await tx.pulseQuestion.findMany({
    where: { networkId, retiredAt: null, ...(principleId ? { principleId } : {}) },
    select: { id: true, position: true, principleId: true, principle: { select: { position: true } }, _count: { select: { rounds: true } } },
  });
  if (questions.length === 0) return null;
  const last = await tx.pulseRound.findFirst({
    where: { networkId },
    orderBy: [{ opensAt: "desc" }, { number: "desc" }],
    select: { question: { select: { principle: { select: { position: true } } } } },
  });
  const lastPosition = last?.question.principle.position ?? -1;
  const positions = [...new Set(questions.map((question) => question.principle.position))].sort((a, b) => a - b);
  const nextPosition = principleId ? positions[0]! : (positions.find((position) => position > lastPosition) ?? positions[0]!);
  const candidates = questions.filter((question) => question.principle.position === nextPosition);
  const lastAsked = await tx.pulseRound.groupBy({ by: ["questionId"], where: { questionId: { in: candidates.map((question) => question.id) } }, _max: { opensAt: true } });
  const askedAt = new Map(lastAsked.map((row) => [row.questionId, row._max.opensAt?.getTime() ?? 0]));
  candidates.sort((a, b) => a._count.rounds - b._count.rounds || (askedAt.get(a.id) ?? 0) - (askedAt.get(b.id) ?? 0) || a.position - b.position);
  return candidates[0]!;
}
