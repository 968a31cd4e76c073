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
  /** Only rounds opened before this time. */
  until?: Date;
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
 * Counts a closed round's answers by slice and score into PulseTally, inside the transaction that closes it.
 * Answers can't arrive meanwhile: answering holds the round's row (see `recordPulseAnswer`).
 */
export async function tallyRound(tx: Pick<PrismaClient, "$executeRaw">, roundId: string): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO "PulseTally" ("id", "roundId", "sector", "locality", "organisationId", "score", "answers")
    SELECT gen_random_uuid()::text, a."roundId", a."sector", a."locality", a."organisationId", a."score", count(*)::int
    FROM "PulseAnswer" a WHERE a."roundId" = ${roundId}
    GROUP BY a."roundId", a."sector", a."locality", a."organisationId", a."score"`;
}

/**
 * Counts answers by principle, and within each principle by round, sector, locality and organisation, in
 * one aggregate query. Groups of every size come back: deciding what may be shown is the caller's.
 *
 * @example
 * const groups = await aggregatePulseAnswers(prisma, { networkId, since: oneYearAgo });
 */
export async function aggregatePulseAnswers(prisma: Pick<PrismaClient, "$transaction">, filter: AnswerFilter): Promise<AnswerGroup[]> {
  const conditions = [Prisma.sql`r."networkId" = ${filter.networkId}`];
  if (filter.since) conditions.push(Prisma.sql`r."opensAt" >= ${filter.since}`);
  if (filter.until) conditions.push(Prisma.sql`r."opensAt" < ${filter.until}`);
  if (filter.roundId) conditions.push(Prisma.sql`r."id" = ${filter.roundId}`);
  // A closed round was counted once as it closed (PulseTally); only open rounds are counted from their
  // answers, and only those counts are joined and rolled up.
  const rows = await prisma.$transaction(async (tx) => {
    // An open round can hold tens of thousands of answers; with room the planner hashes them in memory.
    await tx.$executeRawUnsafe(`SET LOCAL work_mem = '64MB'`);
    return tx.$queryRaw<Row[]>`
    WITH chosen AS (SELECT r."id", r."closedAt" FROM "PulseRound" r WHERE ${Prisma.join(conditions, " AND ")}),
    counted AS (
      SELECT t."roundId", t."sector", t."locality", t."organisationId", t."score", t."answers" AS "n"
      FROM "PulseTally" t JOIN chosen ON chosen."id" = t."roundId"
      WHERE chosen."closedAt" IS NOT NULL
      UNION ALL
      SELECT a."roundId", a."sector", a."locality", a."organisationId", a."score", count(*)::int AS "n"
      FROM "PulseAnswer" a JOIN chosen ON chosen."id" = a."roundId"
      WHERE chosen."closedAt" IS NULL
      GROUP BY a."roundId", a."sector", a."locality", a."organisationId", a."score")
    SELECT p."name" AS "principle", p."position",
           CASE WHEN GROUPING(r."number") = 0 THEN 'round'
                WHEN GROUPING(c."sector") = 0 THEN 'sector'
                WHEN GROUPING(c."locality") = 0 THEN 'locality'
                WHEN GROUPING(c."organisationId") = 0 THEN 'organisation'
                ELSE 'principle' END AS "dimension",
           COALESCE(r."number"::text, c."sector"::text, c."locality", c."organisationId") AS "key",
           sum(c."n")::int AS "answers", (sum(c."score" * c."n")::float8 / sum(c."n")) AS "mean",
           COALESCE(sum(c."n") FILTER (WHERE c."score" = 1), 0)::int AS "s1", COALESCE(sum(c."n") FILTER (WHERE c."score" = 2), 0)::int AS "s2",
           COALESCE(sum(c."n") FILTER (WHERE c."score" = 3), 0)::int AS "s3", COALESCE(sum(c."n") FILTER (WHERE c."score" = 4), 0)::int AS "s4",
           COALESCE(sum(c."n") FILTER (WHERE c."score" = 5), 0)::int AS "s5"
    FROM counted c
    JOIN "PulseRound" r ON r."id" = c."roundId"
    JOIN "PulseQuestion" q ON q."id" = r."questionId"
    JOIN "Principle" p ON p."id" = q."principleId"
    GROUP BY GROUPING SETS (
      (p."id", p."name", p."position"),
      (p."id", p."name", p."position", r."number"),
      (p."id", p."name", p."position", c."sector"),
      (p."id", p."name", p."position", c."locality"),
      (p."id", p."name", p."position", c."organisationId"))`;
  });
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
