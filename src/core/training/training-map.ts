import { DateTime } from "luxon";
import { command, type Request } from "../kernel/context.js";
import { sectorLabels, sectors, trainingLevelLabels, trainingLevels } from "../kernel/labels.js";
import { heading, message, note, text, type Block, type View } from "../kernel/view.js";
import { describeTarget, peopleNeeded, type CoverageTargetView } from "./coverage-target.js";
import { levelRank } from "./training-labels.js";

type Sector = (typeof sectors)[number];

/** Members at each level (`none` for no level stated), and training records completed, for one organisation or sector. */
export interface Tally {
  levels: Record<string, number>;
  records: number;
}

/** Where an organisation stands against its target. */
export interface Coverage {
  target: CoverageTargetView;
  reached: number;
  needed: number;
  members: number;
  /** A percentage of nobody is never met. */
  met: boolean;
}

/** Items a list block holds, so no one block outgrows a platform's limit with a hundred organisations. */
const itemsPerBlock = 25;

/**
 * `training map`: for each organisation and each sector, how many members are at each level (as their
 * profiles say), how many training records were completed in the last 12 months, and where each
 * organisation stands against the target a coordinator set for it. Counts only.
 */
export async function showTrainingMap({ ctx, requester }: Request): Promise<View> {
  const since = DateTime.fromJSDate(ctx.now(), { zone: ctx.timeZone }).minus({ months: 12 }).toISODate()!;
  const [organisations, levelRows, recordRows] = await Promise.all([
    ctx.prisma.organisation.findMany({
      where: { networkId: ctx.networkId },
      orderBy: { name: "asc" },
      select: { id: true, name: true, sector: true, coverageTarget: { select: { level: true, measure: true, figure: true, scope: true } } },
    }),
    ctx.prisma.$queryRaw<{ organisationId: string | null; level: string | null; count: number }[]>`
      SELECT m."organisationId", m."trainingLevel"::text AS "level", count(*)::int AS "count"
      FROM "Member" m
      WHERE m."networkId" = ${ctx.networkId} AND m."leftAt" IS NULL
      GROUP BY 1, 2`,
    ctx.prisma.$queryRaw<{ organisationId: string | null; count: number }[]>`
      SELECT m."organisationId", count(*)::int AS "count"
      FROM "TrainingRecord" r JOIN "Member" m ON m."id" = r."memberId"
      WHERE m."networkId" = ${ctx.networkId} AND m."leftAt" IS NULL AND r."completedOn" >= ${since}::date
      GROUP BY 1`,
  ]);
  const byOrganisation = new Map<string | null, Tally>();
  const tallyOf = (key: string | null) => byOrganisation.get(key) ?? byOrganisation.set(key, { levels: {}, records: 0 }).get(key)!;
  for (const row of levelRows) tallyOf(row.organisationId).levels[row.level ?? "none"] = row.count;
  for (const row of recordRows) tallyOf(row.organisationId).records = row.count;

  const bySector = new Map<Sector, Tally>();
  for (const organisation of organisations) {
    const tally = byOrganisation.get(organisation.id);
    if (!tally) continue;
    const sector = bySector.get(organisation.sector) ?? bySector.set(organisation.sector, { levels: {}, records: 0 }).get(organisation.sector)!;
    for (const [level, count] of Object.entries(tally.levels)) sector.levels[level] = (sector.levels[level] ?? 0) + count;
    sector.records += tally.records;
  }

  const coverage = new Map<string, Coverage>();
  for (const organisation of organisations) {
    if (!organisation.coverageTarget) continue;
    const tally = byOrganisation.get(organisation.id);
    coverage.set(organisation.id, coverageOf(organisation.coverageTarget, tally));
  }
  const targetsBySector = new Map<Sector, { set: number; reached: number }>();
  for (const organisation of organisations) {
    const standing = coverage.get(organisation.id);
    if (!standing) continue;
    const sector = targetsBySector.get(organisation.sector) ?? targetsBySector.set(organisation.sector, { set: 0, reached: 0 }).get(organisation.sector)!;
    sector.set += 1;
    if (standing.met) sector.reached += 1;
  }

  const organisationItems = organisations.map((organisation) => line(organisation.name, byOrganisation.get(organisation.id)) + targetText(coverage.get(organisation.id)));
  const unattached = byOrganisation.get(null);
  if (unattached) organisationItems.push(line("Not with an organisation", unattached));
  const sectorItems = sectors
    .filter((sector) => bySector.has(sector) || targetsBySector.has(sector))
    .map((sector) => line(sectorLabels[sector], bySector.get(sector)) + sectorTargetText(targetsBySector.get(sector)));
  if (organisationItems.length === 0) return message("Nobody has joined the network yet, so there's nothing to map.");

  const blocks: Block[] = [
    heading("Training across the network"),
    text(`Members at each level, as their profiles say, and training recorded as completed since ${DateTime.fromISO(since).toFormat("d LLL yyyy")}.`),
    text("By sector"),
    ...listBlocks(sectorItems),
    text("By organisation"),
    ...listBlocks(organisationItems),
    note(
      "Counts only: nobody's name or record is shown. Levels come from members' profiles; each member chooses whether to update theirs from their training. " +
        `Targets count members of the network at or above the target's level; staff who haven't joined aren't counted. Set one with ${command(requester.address.platform, "training target")}.`,
    ),
  ];
  return message(`Training across the network: ${organisations.length} organisations`, ...blocks);
}

/** `Calder NHS Trust: Informed 3, Skilled 1, Enhanced 0, Specialist 0, not set 2; 4 completed in 12 months`. */
function line(name: string, tally: Tally | undefined): string {
  const levels = [...trainingLevels, "none" as const].map((level) => `${level === "none" ? "not set" : trainingLevelLabels[level]} ${tally?.levels[level] ?? 0}`);
  return `${name}: ${levels.join(", ")}; ${tally?.records ?? 0} completed in 12 months`;
}

/** Where an organisation with this target stands, from its members' levels: the rule the training map and `insights training` share. */
export function coverageOf(target: CoverageTargetView, tally: Tally | undefined): Coverage {
  const levels = Object.entries(tally?.levels ?? {});
  const members = levels.reduce((sum, [, count]) => sum + count, 0);
  const reached = levels.filter(([level]) => level !== "none" && levelRank(level as CoverageTargetView["level"]) >= levelRank(target.level)).reduce((sum, [, count]) => sum + count, 0);
  const needed = peopleNeeded(target, members);
  return { target, reached, needed, members, met: members > 0 && reached >= needed };
}

/** `; target Informed or above for 80% of its members: 3 of 4 members now (75%), 1 more to reach it`. */
function targetText(coverage: Coverage | undefined): string {
  if (!coverage) return "";
  const { target, reached, needed, members, met } = coverage;
  if (members === 0) return `; target ${describeTarget(target)}: no members in the network yet`;
  const now =
    target.measure === "percent"
      ? `${reached} of ${members} ${members === 1 ? "member" : "members"} now${members > 0 ? ` (${Math.floor((reached * 100) / members)}%)` : ""}`
      : `${reached} now`;
  const standing = met ? "reached" : `${needed - reached} more to reach it`;
  return `; target ${describeTarget(target)}: ${now}, ${standing}`;
}

/** `; targets reached 1 of 2`. */
function sectorTargetText(targets: { set: number; reached: number } | undefined): string {
  return targets ? `; targets reached ${targets.reached} of ${targets.set}` : "";
}

function listBlocks(items: string[]): Block[] {
  if (items.length === 0) return [text("None yet.")];
  const blocks: Block[] = [];
  for (let start = 0; start < items.length; start += itemsPerBlock) blocks.push({ type: "list", items: items.slice(start, start + itemsPerBlock) });
  return blocks;
}
