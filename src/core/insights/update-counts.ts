import { DateTime } from "luxon";
import type { CoreContext } from "../kernel/context.js";
import type { Period } from "../kernel/period.js";

/** How many updates (principle null) or updates tagged with a principle: in one month (`2026-10`, in the network's time zone), or by one organisation over the period. */
export interface UpdateCount {
  principleId: string | null;
  updates: number;
}

/** The period's counts twice over: month by month, and organisation by organisation. */
export interface UpdateCounts {
  byMonth: (UpdateCount & { month: string })[];
  byOrganisation: (UpdateCount & { organisationId: string | null })[];
}

/** Which updates count: only those of these organisations, and (for principle counts) only this principle. */
export interface UpdateCountScope {
  organisationIds?: readonly string[];
  principleId?: string;
}

/**
 * The period's updates, and the principles they were tagged with, counted by month and by organisation.
 * Read from the monthly tally (`UpdateTally`, kept by the database on every write) for the whole months
 * of the period, and from the updates themselves for the days either side of them, so five years cost
 * about what a month does. Only the two summaries leave the database: PGlite spends more on handing
 * over rows than on counting them. Counts of nothing are left out.
 *
 * @example
 * const { byMonth, byOrganisation } = await updateCounts(ctx, lastTwelveMonths, { principleId: safety.id });
 * // byMonth: [{ month: "2026-01", principleId: null, updates: 12 }, { month: "2026-01", principleId: safety.id, updates: 5 }, …]
 */
export async function updateCounts(ctx: CoreContext, period: Period, scope: UpdateCountScope = {}): Promise<UpdateCounts> {
  const whole = wholeMonths(period, ctx.timeZone);
  const everyOrganisation = scope.organisationIds === undefined;
  const everyPrinciple = scope.principleId === undefined;
  const organisations = [...(scope.organisationIds ?? [])];
  const principle = scope.principleId ?? "";
  const rows = await ctx.prisma.$queryRaw<{ month: string | null; organisationId: string | null; principleId: string; updates: number }[]>`
    WITH "edges" AS (
      SELECT u."id", u."organisationId", to_char((u."createdAt" AT TIME ZONE 'UTC') AT TIME ZONE ${ctx.timeZone}, 'YYYY-MM') AS "month"
      FROM "Update" u
      WHERE u."networkId" = ${ctx.networkId}
        AND ((u."createdAt" >= ${period.from} AND u."createdAt" < ${whole.fromInstant}) OR (u."createdAt" >= ${whole.toInstant} AND u."createdAt" < ${period.to}))
        AND (${everyOrganisation}::boolean OR u."organisationId" = ANY(${organisations}::text[]))
    )
    SELECT "month", "organisationId", "principleId", sum("updates")::int AS "updates"
    FROM (
      SELECT to_char(t."month", 'YYYY-MM') AS "month", t."organisationId", t."principleId", t."updates"
      FROM "UpdateTally" t
      WHERE t."networkId" = ${ctx.networkId} AND t."month" >= ${whole.fromDay}::date AND t."month" < ${whole.toDay}::date
        AND (${everyOrganisation}::boolean OR t."organisationId" = ANY(${organisations}::text[]))
        AND (t."principleId" = '' OR ${everyPrinciple}::boolean OR t."principleId" = ${principle})
      UNION ALL
      SELECT e."month", coalesce(e."organisationId", ''), '', count(*)::int FROM "edges" e GROUP BY 1, 2
      UNION ALL
      SELECT e."month", coalesce(e."organisationId", ''), up."principleId", count(*)::int
      FROM "edges" e JOIN "UpdatePrinciple" up ON up."updateId" = e."id"
      WHERE (${everyPrinciple}::boolean OR up."principleId" = ${principle})
      GROUP BY 1, 2, 3
    ) AS "counted"
    GROUP BY GROUPING SETS (("month", "principleId"), ("organisationId", "principleId"))
    HAVING sum("updates") > 0`;
  const counts: UpdateCounts = { byMonth: [], byOrganisation: [] };
  for (const row of rows) {
    const count = { principleId: row.principleId || null, updates: row.updates };
    if (row.month !== null) counts.byMonth.push({ ...count, month: row.month });
    else counts.byOrganisation.push({ ...count, organisationId: row.organisationId || null });
  }
  return counts;
}

/**
 * The calendar months wholly inside the period, as their first days (`2026-10-01`) and as instants; an
 * empty span at the period's end when no month is whole, so the updates themselves count it all.
 */
function wholeMonths(period: Period, timeZone: string): { fromDay: string; toDay: string; fromInstant: Date; toInstant: Date } {
  const from = DateTime.fromJSDate(period.from, { zone: timeZone });
  const firstWhole = from.equals(from.startOf("month")) ? from : from.startOf("month").plus({ months: 1 });
  const end = DateTime.fromJSDate(period.to, { zone: timeZone }).startOf("month");
  const [start, stop] = end > firstWhole ? [firstWhole, end] : [DateTime.fromJSDate(period.to, { zone: timeZone }), DateTime.fromJSDate(period.to, { zone: timeZone })];
  return { fromDay: start.toISODate()!, toDay: stop.toISODate()!, fromInstant: start.toJSDate(), toInstant: stop.toJSDate() };
}
