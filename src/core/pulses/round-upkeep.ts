import { Prisma } from "../../db/generated/client.js";
import type { CoreContext } from "../kernel/context.js";
import { queueDeliveries } from "../kernel/outbox.js";
import { message, note, text, type Message } from "../kernel/view.js";
import { aggregatePulseAnswers, tallyRound } from "./aggregate-answers.js";
import { findRound, pulseQuestionMessage, type PulseRoundView } from "./pulse-round.js";
import { pulseSettings } from "./settings.js";

/** Everyone the round was sent to who is still a member: the round's own deliveries say who was asked. */
function askedQuery(round: PulseRoundView, only: Prisma.Sql = Prisma.empty): Prisma.Sql {
  return Prisma.sql`
    SELECT d."memberId", d."addressId", d."platform", d."workspaceId"
    FROM "Delivery" d JOIN "Member" m ON m."id" = d."memberId"
    WHERE d."purposeKey" = ${`pulse:${round.number}`} AND m."leftAt" IS NULL ${only}`;
}

/**
 * The one reminder, half way through each open round, to those asked who have not answered and have not
 * opted out since. The participation record says who answered, never what.
 */
export async function remindPulseRounds(ctx: CoreContext): Promise<number> {
  const now = ctx.now();
  const due = await ctx.prisma.$queryRaw<{ number: number }[]>`
    SELECT "number" FROM "PulseRound"
    WHERE "networkId" = ${ctx.networkId} AND "remindedAt" IS NULL AND "closedAt" IS NULL AND "closesAt" > ${now}
      AND "opensAt" + ("closesAt" - "opensAt") / 2 <= ${now}`;
  let reminded = 0;
  for (const { number } of due) {
    const round = (await findRound(ctx, number))!;
    reminded += await queueDeliveries(ctx, {
      purposeKey: `pulse-reminder:${round.number}`,
      view: pulseQuestionMessage(ctx, round, "A gentle reminder, only this once: this pulse is still open. There's no need to answer if you'd rather not."),
      recipients: askedQuery(
        round,
        Prisma.sql`AND m."pulsesOptedOutAt" IS NULL
          AND NOT EXISTS (SELECT 1 FROM "PulseParticipation" p WHERE p."roundId" = ${round.id} AND p."memberId" = d."memberId")`,
      ),
      respectQuietHours: true,
    });
    await ctx.prisma.pulseRound.update({ where: { id: round.id }, data: { remindedAt: now } });
  }
  return reminded;
}

/**
 * Closes each round past its time: everyone who was asked gets a one-line "you said" summary (or word that
 * too few answered to show any), the answers are counted once into PulseTally for results, and rewritten
 * in random order, so where a row sits on disk says nothing about when it was written.
 */
export async function closePulseRounds(ctx: CoreContext): Promise<number> {
  const due = await ctx.prisma.pulseRound.findMany({
    where: { networkId: ctx.networkId, closedAt: null, closesAt: { lte: ctx.now() } },
    select: { number: true },
    orderBy: { number: "asc" },
  });
  for (const { number } of due) {
    const round = (await findRound(ctx, number))!;
    // Queued before the round is marked closed: a run that dies between the two queues nothing twice when it runs again.
    await queueDeliveries(ctx, { purposeKey: `pulse-closed:${round.number}`, view: await youSaid(ctx, round), recipients: askedQuery(round), respectQuietHours: true });
    await ctx.prisma.$transaction(async (tx) => {
      // Holding the round's row keeps out an answer that passed its open check a moment before closing.
      const open = await tx.$queryRaw<unknown[]>`SELECT 1 FROM "PulseRound" WHERE "id" = ${round.id} AND "closedAt" IS NULL FOR UPDATE`;
      if (open.length === 0) return;
      await tallyRound(tx, round.id);
      await tx.$executeRaw`
        WITH moved AS (DELETE FROM "PulseAnswer" WHERE "roundId" = ${round.id} RETURNING *)
        INSERT INTO "PulseAnswer" SELECT * FROM moved ORDER BY random()`;
      await tx.pulseRound.update({ where: { id: round.id }, data: { closedAt: ctx.now() } });
    });
  }
  return due.length;
}

/** `You said: mostly "Often" (average 3.6 of 5, 23 answers).` Nothing about the answers when too few answered. */
export async function youSaid(ctx: CoreContext, round: PulseRoundView): Promise<Message> {
  const minimum = pulseSettings(ctx).minimumGroup;
  const [total] = (await aggregatePulseAnswers(ctx.prisma, { networkId: ctx.networkId, roundId: round.id })).filter((group) => group.dimension === "principle");
  const heard = `Pulse #${round.number} on ${round.principle} has closed.`;
  if (!total || total.answers < minimum) {
    const line = `${heard} Fewer than ${minimum} people answered, so to keep answers anonymous there's nothing to share this time. Thank you if you took part.`;
    return message(line);
  }
  const most = total.distribution.indexOf(Math.max(...total.distribution));
  const line = `${heard} You said: mostly "${round.scaleLabels[most]}" (average ${total.mean.toFixed(1)} of 5, from ${total.answers} answers). Thank you.`;
  return message(line, text(line), note(`The question was: ${round.question}`));
}
