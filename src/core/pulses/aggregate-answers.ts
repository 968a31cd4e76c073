import { Prisma, type PrismaClient } from "../../db/generated/client.js";

export type PulseDimension = "principle" | "round" | "sector" | "locality" | "organisation";

/** One group of answers, counted in the database: never the answers themselves. */
export interface AnswerGroup {
  principle: string;
  principlePosition: number;
  dimension: PulseDimension;
  /** The round's number, sector, locality or organisation id; null for the principle as a whole, or answers with no slice. */
  key: string | null;
  answers: number;
  mean: number;
  /** How many answered 1 … 5. */
  distribution: [number, number, number, number, number];
}

export interface AnswerFilter {
  networkId: string;
  /** Only rounds opened at or after this time. */
  since?: Date;
  /** Only this round. */
  roundId?: string;
}

interface Row {
  principle: string;
  position: number;
  dimension: PulseDimension;
  key: string | null;
  answers: number;
  mean: number;
  s1: number;
  s2: number;
  s3: number;
  s4: number;
  s5: number;
}

/**
 * Counts answers by principle, and within each principle by round, sector, locality and organisation, in
 * one aggregate query. Groups of every size come back: deciding what may be shown is the caller's.
 *
 * @example
 * const groups = await aggregatePulseAnswers(prisma, { networkId, since: oneYearAgo });
 */
export async function aggregatePulseAnswers(prisma: Pick<PrismaClient, "$queryRaw">, filter: AnswerFilter): Promise<AnswerGroup[]> {
  const conditions = [Prisma.sql`r."networkId" = ${filter.networkId}`];
  if (filter.since) conditions.push(Prisma.sql`r."opensAt" >= ${filter.since}`);
  if (filter.roundId) conditions.push(Prisma.sql`r."id" = ${filter.roundId}`);
  const rows = await prisma.$queryRaw<Row[]>`
    SELECT p."name" AS "principle", p."position",
           CASE WHEN GROUPING(r."number") = 0 THEN 'round'
                WHEN GROUPING(a."sector") = 0 THEN 'sector'
                WHEN GROUPING(a."locality") = 0 THEN 'locality'
                WHEN GROUPING(a."organisationId") = 0 THEN 'organisation'
                ELSE 'principle' END AS "dimension",
           COALESCE(r."number"::text, a."sector"::text, a."locality", a."organisationId") AS "key",
           count(*)::int AS "answers", avg(a."score")::float8 AS "mean",
           count(*) FILTER (WHERE a."score" = 1)::int AS "s1", count(*) FILTER (WHERE a."score" = 2)::int AS "s2",
           count(*) FILTER (WHERE a."score" = 3)::int AS "s3", count(*) FILTER (WHERE a."score" = 4)::int AS "s4",
           count(*) FILTER (WHERE a."score" = 5)::int AS "s5"
    FROM "PulseAnswer" a
    JOIN "PulseRound" r ON r."id" = a."roundId"
    JOIN "PulseQuestion" q ON q."id" = r."questionId"
    JOIN "Principle" p ON p."id" = q."principleId"
    WHERE ${Prisma.join(conditions, " AND ")}
    GROUP BY GROUPING SETS (
      (p."id", p."name", p."position"),
      (p."id", p."name", p."position", r."number"),
      (p."id", p."name", p."position", a."sector"),
      (p."id", p."name", p."position", a."locality"),
      (p."id", p."name", p."position", a."organisationId"))`;
  return rows.map((row) => ({
    principle: row.principle,
    principlePosition: row.position,
    dimension: row.dimension,
    key: row.key,
    answers: row.answers,
    mean: row.mean,
    distribution: [row.s1, row.s2, row.s3, row.s4, row.s5],
  }));
}

/**
 * The groups that may be shown: at least `minimum` answers each, and, within a principle, never a set of
 * slices whose hidden remainder (the principle's total less the slices shown) is a group too small to
 * show, since subtracting would reveal it. The smallest shown slice is hidden too until that holds.
 */
export function showableGroups(groups: readonly AnswerGroup[], minimum: number): AnswerGroup[] {
  const totals = groups.filter((group) => group.dimension === "principle" && group.answers >= minimum);
  const shown: AnswerGroup[] = [...totals];
  for (const total of totals) {
    for (const dimension of ["round", "sector", "locality", "organisation"] as const) {
      const slices = groups
        .filter((group) => group.principle === total.principle && group.dimension === dimension && group.answers >= minimum)
        .sort((a, b) => b.answers - a.answers);
      let hidden = total.answers - slices.reduce((sum, slice) => sum + slice.answers, 0);
      while (hidden > 0 && hidden < minimum && slices.length > 0) hidden += slices.pop()!.answers;
      shown.push(...slices);
    }
  }
  return shown;
}
