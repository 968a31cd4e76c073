import { DateTime } from "luxon";
import type { CoreContext } from "../kernel/context.js";
import type { Job } from "../kernel/job.js";

/**
 * Closes each survey past its time: no more answers, and its answers rewritten in random order, so where
 * a row sits on disk says nothing about when (or after whose participation) it was written.
 */
export async function closeNeedsSurveys(ctx: CoreContext): Promise<number> {
  const due = await ctx.prisma.learningNeedsSurvey.findMany({ where: { networkId: ctx.networkId, closedAt: null, closesAt: { lte: ctx.now() } }, select: { id: true } });
  for (const survey of due) {
    await ctx.prisma.$transaction(async (tx) => {
      // Holding the survey's row keeps out an answer that passed its open check a moment before closing.
      const open = await tx.$queryRaw<unknown[]>`SELECT 1 FROM "LearningNeedsSurvey" WHERE "id" = ${survey.id} AND "closedAt" IS NULL FOR UPDATE`;
      if (open.length === 0) return;
      await tx.$executeRaw`
        WITH moved AS (DELETE FROM "LearningNeedsAnswer" WHERE "surveyId" = ${survey.id} RETURNING *)
        INSERT INTO "LearningNeedsAnswer" SELECT * FROM moved ORDER BY random()`;
      await tx.learningNeedsSurvey.update({ where: { id: survey.id }, data: { closedAt: ctx.now() } });
    });
  }
  return due.length;
}

/** `2026-12-07T10`: the hour `at` falls in, in the time zone. */
function hourlySlot(at: Date, timeZone: string): string {
  return DateTime.fromJSDate(at, { zone: timeZone }).toFormat("yyyy-MM-dd'T'HH");
}

export function trainingJobs(ctx: CoreContext): Job[] {
  return [{ id: "learning-needs-close", cron: "7 * * * *", slot: hourlySlot, run: async () => `closed ${await closeNeedsSurveys(ctx)} learning-needs surveys` }];
}
