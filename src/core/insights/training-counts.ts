import { DateTime } from "luxon";
import type { CoreContext } from "../kernel/context.js";
import { sectorLabels, trainingLevelLabels, trainingLevels, type sectors } from "../kernel/labels.js";
import type { Period } from "../kernel/period.js";
import { coverageOf, type Coverage } from "../training/training-map.js";
import { trainingFormats, type TrainingFormat, type TrainingLevel } from "../training/training-labels.js";
import { organisationsInScope, type FigureScope } from "./section.js";

/** A level as profiles state it, or `none` when a member hasn't stated one. */
export type StatedLevel = TrainingLevel | "none";
export const statedLevels: readonly StatedLevel[] = [...trainingLevels, "none"];
export const statedLevelLabels: Record<StatedLevel, string> = { ...trainingLevelLabels, none: "Not stated" };

/** Training done outside the network's offer has no level or format: it is counted as this. */
export const outsideOffer = "Outside the offer";
export const courseFormatLabels: Record<TrainingFormat, string> = { online: "Online", facilitated: "Facilitated", elearning: "E-learning" };

/** One organisation's training at the end of the period: counts only. */
export interface OrganisationTraining {
  id: string;
  name: string;
  sector: (typeof sectors)[number];
  locality: string | null;
  levels: Record<StatedLevel, number>;
  members: number;
  /** Where it stands against its target, if a coordinator set one. */
  coverage: Coverage | null;
  /** Training records completed in the period by its members. */
  completed: number;
}

/** Training records completed in the period, by the course's level and format (null for training outside the offer). */
export interface CompletedTally {
  level: TrainingLevel | null;
  format: TrainingFormat | null;
  completed: number;
}

export interface TrainingCounts {
  organisations: OrganisationTraining[];
  /** Members with no organisation, counted only when the scope picks no organisation. */
  unattached: { levels: Record<StatedLevel, number>; members: number; completed: number } | null;
  completed: CompletedTally[];
  /** How many different people completed training in the period. */
  people: number;
}

const noLevels = (): Record<StatedLevel, number> => ({ informed: 0, skilled: 0, enhanced: 0, specialist: 0, none: 0 });

/**
 * Members at each level (as their profiles say) at the end of the period, each organisation's standing
 * against its target (the training map's rule), and training completed in the period, for the
 * organisations a scope picks. Four queries, however many members; nobody's record is read, only counts.
 */
export async function trainingCounts(ctx: CoreContext, period: Period, scope: FigureScope = {}): Promise<TrainingCounts> {
  const inScope = await organisationsInScope(ctx, scope);
  const day = (date: Date) => DateTime.fromJSDate(date, { zone: ctx.timeZone }).toISODate()!;
  const [organisations, levelRows, completedRows, people] = await Promise.all([
    ctx.prisma.organisation.findMany({
      where: { networkId: ctx.networkId, ...(inScope ? { id: { in: inScope } } : {}) },
      orderBy: { name: "asc" },
      select: { id: true, name: true, sector: true, locality: true, coverageTarget: { select: { level: true, measure: true, figure: true, scope: true } } },
    }),
    ctx.prisma.member.groupBy({
      by: ["organisationId", "trainingLevel"],
      where: { networkId: ctx.networkId, leftAt: null, joinedAt: { lt: period.to }, ...(inScope ? { organisationId: { in: inScope } } : {}) },
      _count: { _all: true },
    }),
    ctx.prisma.$queryRaw<{ organisationId: string | null; level: TrainingLevel | null; format: TrainingFormat | null; completed: number }[]>`
      SELECT m."organisationId", c."level"::text AS "level", c."format"::text AS "format", count(*)::int AS "completed"
      FROM "TrainingRecord" r JOIN "Member" m ON m."id" = r."memberId" LEFT JOIN "TrainingCourse" c ON c."id" = r."courseId"
      WHERE m."networkId" = ${ctx.networkId} AND m."leftAt" IS NULL AND r."completedOn" >= ${day(period.from)}::date AND r."completedOn" < ${day(period.to)}::date
        AND (${inScope === undefined}::boolean OR m."organisationId" = ANY(${inScope ?? []}::text[]))
      GROUP BY 1, 2, 3`,
    ctx.prisma.$queryRaw<{ people: number }[]>`
      SELECT count(DISTINCT r."memberId")::int AS "people"
      FROM "TrainingRecord" r JOIN "Member" m ON m."id" = r."memberId"
      WHERE m."networkId" = ${ctx.networkId} AND m."leftAt" IS NULL AND r."completedOn" >= ${day(period.from)}::date AND r."completedOn" < ${day(period.to)}::date
        AND (${inScope === undefined}::boolean OR m."organisationId" = ANY(${inScope ?? []}::text[]))`,
  ]);
  const levelsOf = (organisationId: string | null) => {
    const levels = noLevels();
    for (const row of levelRows) if (row.organisationId === organisationId) levels[row.trainingLevel ?? "none"] += row._count._all;
    return levels;
  };
  const completedOf = (organisationId: string | null) => completedRows.filter((row) => row.organisationId === organisationId).reduce((sum, row) => sum + row.completed, 0);
  const sum = (levels: Record<StatedLevel, number>) => statedLevels.reduce((total, level) => total + levels[level], 0);

  const rows = organisations.map((organisation): OrganisationTraining => {
    const levels = levelsOf(organisation.id);
    return {
      id: organisation.id,
      name: organisation.name,
      sector: organisation.sector,
      locality: organisation.locality,
      levels,
      members: sum(levels),
      coverage: organisation.coverageTarget ? coverageOf(organisation.coverageTarget, { levels, records: 0 }) : null,
      completed: completedOf(organisation.id),
    };
  });
  const unattachedLevels = levelsOf(null);
  const unattached = inScope === undefined && (sum(unattachedLevels) > 0 || completedOf(null) > 0) ? { levels: unattachedLevels, members: sum(unattachedLevels), completed: completedOf(null) } : null;
  const completed = new Map<string, CompletedTally>();
  for (const row of completedRows) {
    const key = `${row.level}:${row.format}`;
    const tally = completed.get(key) ?? completed.set(key, { level: row.level, format: row.format, completed: 0 }).get(key)!;
    tally.completed += row.completed;
  }
  return { organisations: rows, unattached, completed: [...completed.values()], people: people[0]?.people ?? 0 };
}

/** `Informed 3, Skilled 1, Enhanced 0, Specialist 0, not stated 2`. */
export function levelsLine(levels: Record<StatedLevel, number>): string {
  return statedLevels.map((level) => `${level === "none" ? "not stated" : statedLevelLabels[level]} ${levels[level].toLocaleString("en-GB")}`).join(", ");
}

/** The sectors the organisations are in, each with its members at each level, in the sectors' own order. */
export function levelsBySector(organisations: readonly OrganisationTraining[]): { sector: (typeof sectors)[number]; name: string; levels: Record<StatedLevel, number>; members: number }[] {
  const bySector = new Map<(typeof sectors)[number], Record<StatedLevel, number>>();
  for (const organisation of organisations) {
    if (organisation.members === 0) continue;
    const levels = bySector.get(organisation.sector) ?? bySector.set(organisation.sector, noLevels()).get(organisation.sector)!;
    for (const level of statedLevels) levels[level] += organisation.levels[level];
  }
  return (Object.keys(sectorLabels) as (typeof sectors)[number][])
    .filter((sector) => bySector.has(sector))
    .map((sector) => {
      const levels = bySector.get(sector)!;
      return { sector, name: sectorLabels[sector], levels, members: statedLevels.reduce((total, level) => total + levels[level], 0) };
    });
}

/** `Online`, `Facilitated`, `E-learning`, then training outside the offer. */
export const formatNames = [...trainingFormats.map((format) => courseFormatLabels[format]), outsideOffer];
/** `Informed` … `Specialist`, then training outside the offer. */
export const completedLevelNames = [...trainingLevels.map((level) => trainingLevelLabels[level]), outsideOffer];
export const formatName = (format: TrainingFormat | null) => (format ? courseFormatLabels[format] : outsideOffer);
export const completedLevelName = (level: TrainingLevel | null) => (level ? trainingLevelLabels[level] : outsideOffer);
