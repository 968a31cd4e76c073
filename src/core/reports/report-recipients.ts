import { Prisma } from "../../db/generated/client.js";
import type { CoreContext } from "../kernel/context.js";

/** The network's coordinators, by role or from configuration, each once on the platform they last used. */
export function coordinatorRecipients(ctx: CoreContext): Prisma.Sql {
  const bootstrap = ctx.coordinators.map((entry) => Prisma.sql`(a."platform"::text = ${entry.platform} AND a."userId" = ${entry.userId})`);
  const byConfig = bootstrap.length > 0 ? Prisma.sql` OR ${Prisma.join(bootstrap, " OR ")}` : Prisma.empty;
  return Prisma.sql`
    SELECT DISTINCT ON (COALESCE(m."id", a."id")) m."id" AS "memberId", a."id" AS "addressId", a."platform", a."workspaceId"
    FROM "Address" a LEFT JOIN "Member" m ON m."id" = a."memberId" AND m."networkId" = ${ctx.networkId} AND m."leftAt" IS NULL
    WHERE a."active" AND ((m."role" = 'coordinator')${byConfig})
    ORDER BY COALESCE(m."id", a."id"), a."lastSeenAt" DESC`;
}

/** The purpose keys of a request's nudges, one per stage, so each stage reaches an address once. */
export const nudgeStages = ["before", "due", "after"] as const;
export type NudgeStage = (typeof nudgeStages)[number];
export const nudgeKey = (requestId: string, stage: NudgeStage) => `report:${requestId}:nudge:${stage}`;
export const nudgeKeys = (requestId: string) => nudgeStages.map((stage) => nudgeKey(requestId, stage));

/**
 * Holds back nudges of a request still waiting to go (queued in quiet time, say): all of them once the
 * report is in, or only those to the members named after a snooze, a stop or a hand-over.
 */
export async function holdNudges(ctx: CoreContext, requestId: string, reason: string, memberIds?: readonly string[]): Promise<number> {
  const held = await ctx.prisma.delivery.updateMany({
    where: { purposeKey: { in: nudgeKeys(requestId) }, status: { in: ["queued", "retrying"] }, ...(memberIds ? { memberId: { in: [...memberIds] } } : {}) },
    data: { status: "cancelled", lastError: reason, updatedAt: ctx.now() },
  });
  return held.count;
}
