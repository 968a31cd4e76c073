import { describeTarget } from "../training/coverage-target.js";
import { sectorLabels } from "../kernel/labels.js";
import { statedLevelLabels, statedLevels, type TrainingCounts } from "./training-counts.js";

/** The columns of the training table, as the dashboard, its CSV and the workbook give them. */
export const trainingColumns = [
  "Organisation",
  "Sector",
  "Locality",
  "Members",
  ...statedLevels.map((level) => statedLevelLabels[level]),
  "Target",
  "At or above the target's level",
  "Needed for the target",
  "Target reached",
  "Completed in the period",
] as const;

/** The columns that hold numbers, by index. */
export const trainingNumberColumns: ReadonlySet<number> = new Set([3, 4, 5, 6, 7, 8, 10, 11, 13]);

export type TrainingRow = (string | number | null)[];

/**
 * One row an organisation, in name order: members at each level, its target and where it stands, and
 * training completed in the period; then members with no organisation, when the scope counts them.
 * Blank target cells where no target is set.
 */
export function trainingTableRows(counts: TrainingCounts): TrainingRow[] {
  const rows: TrainingRow[] = counts.organisations.map((row) => {
    const coverage = row.coverage;
    return [
      row.name,
      sectorLabels[row.sector],
      row.locality ?? "Not set",
      row.members,
      ...statedLevels.map((level) => row.levels[level]),
      coverage ? describeTarget(coverage.target) : null,
      coverage ? coverage.reached : null,
      coverage ? coverage.needed : null,
      coverage ? (coverage.met ? "Reached" : `Not yet: ${coverage.needed - coverage.reached > 0 ? `${coverage.needed - coverage.reached} more` : "no members yet"}`) : null,
      row.completed,
    ];
  });
  if (counts.unattached) rows.push(["No organisation", null, null, counts.unattached.members, ...statedLevels.map((level) => counts.unattached!.levels[level]), null, null, null, null, counts.unattached.completed]);
  return rows;
}
