import { DateTime } from "luxon";
import { describeTarget } from "../training/coverage-target.js";
import { minimumGroup } from "../training/needs-survey.js";
import { count, seriesOf, type SectionFigures } from "./section.js";
import {
  completedLevelName,
  completedLevelNames,
  formatName,
  formatNames,
  levelsBySector,
  levelsLine,
  outsideOffer,
  statedLevelLabels,
  statedLevels,
  trainingCounts,
  type OrganisationTraining,
  type StatedLevel,
} from "./training-counts.js";
import { trainingNeeds, type SurveyNeeds } from "./training-needs.js";

/** Organisations named one by one; the rest are folded into one line. */
const organisationsNamed = 10;
/** Organisations the coverage chart draws (those furthest from their target first) and the lines name. */
const targetsShown = 12;
const targetsListed = 20;

/**
 * Training across the network for a period: members at each level (as their profiles say) by sector and
 * organisation at the end of the period, where organisations stand against their targets, training
 * completed in the period by level and format, and the learning needs of the surveys open during it,
 * only for groups `needs results` would show. Counts only; in a scope, only its organisations' members.
 */
export const trainingFigures: SectionFigures = async (ctx, period, scope = {}) => {
  const [counts, needs] = await Promise.all([trainingCounts(ctx, period, scope), trainingNeeds(ctx, period, scope)]);
  const minimum = minimumGroup(ctx);
  const everyone = [...counts.organisations.map((row) => row.levels), ...(counts.unattached ? [counts.unattached.levels] : [])];
  const total = (level: StatedLevel) => everyone.reduce((sum, levels) => sum + levels[level], 0);
  const members = statedLevels.reduce((sum, level) => sum + total(level), 0);
  const sectors = levelsBySector(counts.organisations);
  const byMembers = counts.organisations.filter((row) => row.members > 0).sort((a, b) => b.members - a.members || a.name.localeCompare(b.name));
  const targets = counts.organisations.filter((row) => row.coverage);
  const reached = targets.filter((row) => row.coverage!.met);
  // Furthest from the target first: those are the ones a coordinator asks about.
  const furthest = [...targets].sort((a, b) => shortfall(b) - shortfall(a) || a.name.localeCompare(b.name));
  const completed = counts.completed.reduce((sum, tally) => sum + tally.completed, 0);
  const completedBy = (keep: (tally: (typeof counts.completed)[number]) => boolean) => counts.completed.filter(keep).reduce((sum, tally) => sum + tally.completed, 0);
  const outside = completedBy((tally) => tally.level === null);
  const levelNames = completedLevelNames.filter((name) => name !== outsideOffer || outside > 0);
  // The newest survey whose answers may be shown; a newer one with too few answers is only said so in words.
  const latest = needs.find((survey) => survey.shown) ?? needs[0];

  return {
    key: "training",
    title: "Training",
    headline: [
      { label: "Members with a level stated", value: `${count(members - total("none"))} of ${count(members)}` },
      { label: "Targets reached", value: targets.length > 0 ? `${count(reached.length)} of ${count(targets.length)}` : "no targets set" },
      { label: "Training completed in the period", value: count(completed) },
      { label: "People who completed training", value: count(counts.people) },
      { label: "Learning-needs answers", value: !latest ? "no survey in the period" : latest.shown ? `${count(latest.shown.answers)} (survey #${latest.number})` : "not shown: too few answers to keep them anonymous" },
    ],
    charts: [
      {
        name: "levels-by-sector",
        chart: {
          kind: "stacked-bar",
          title: "Members at each training level, by sector",
          xTitle: "Sector",
          yTitle: "Members",
          series: seriesOf(sectors.map((row) => row.name), statedLevels.map((level) => statedLevelLabels[level]), (sectorName, levelName) => {
            const level = statedLevels.find((candidate) => statedLevelLabels[candidate] === levelName)!;
            return sectors.find((row) => row.name === sectorName)!.levels[level];
          }),
        },
      },
      {
        name: "coverage",
        chart: {
          kind: "grouped-bar",
          title: "Organisations against their training targets",
          xTitle: "Organisation",
          yTitle: "Members",
          series: seriesOf(furthest.slice(0, targetsShown).map((row) => row.name), ["At or above the target's level", "Needed for the target"], (name, series) => {
            const coverage = furthest.find((row) => row.name === name)!.coverage!;
            return series === "Needed for the target" ? coverage.needed : coverage.reached;
          }),
        },
      },
      {
        name: "completed",
        chart: {
          kind: "stacked-bar",
          title: "Training completed in the period, by level and format",
          xTitle: "Level",
          yTitle: "Completed",
          series: completed === 0 ? [] : seriesOf(levelNames, formatNames.filter((name) => name !== outsideOffer || outside > 0), (levelName, format) =>
            completedBy((tally) => completedLevelName(tally.level) === levelName && formatName(tally.format) === format),
          ),
        },
      },
      {
        name: "learning-needs",
        chart: {
          kind: "horizontal-bar",
          title: latest?.shown ? `Learning needs, survey #${latest.number}: how many chose each answer` : "Learning needs: how many chose each answer",
          xTitle: "Answer",
          yTitle: "People",
          series: latest?.shown ? [{ name: "People", points: latest.shown.options.map((option) => ({ x: `${option.question}: ${option.answer}`, y: option.count })) }] : [],
        },
      },
    ],
    lines: [
      `By sector: ${sectors.map((row) => `${row.name}: ${levelsLine(row.levels)}`).join("; ") || "no members yet"}.`,
      ...byMembers.slice(0, organisationsNamed).map((row) => `${row.name}: ${levelsLine(row.levels)}.`),
      ...(byMembers.length > organisationsNamed ? [`${count(byMembers.length - organisationsNamed)} more organisations: ${levelsLine(folded(byMembers.slice(organisationsNamed)))}.`] : []),
      ...(counts.unattached && counts.unattached.members > 0 ? [`Members without an organisation: ${levelsLine(counts.unattached.levels)}.`] : []),
      ...furthest.slice(0, targetsListed).map(targetLine),
      ...(targets.length > targetsListed ? [`${count(targets.length - targetsListed)} more organisations have targets: the dashboard and the workbook list them all.`] : []),
      completed === 0
        ? "No training was recorded as completed in this period."
        : `Completed in the period: ${count(completed)} by ${count(counts.people)} ${counts.people === 1 ? "person" : "people"}. By level: ${levelNames.map((name) => `${name} ${count(completedBy((tally) => completedLevelName(tally.level) === name))}`).join(", ")}. By format: ${formatNames.filter((name) => name !== outsideOffer || outside > 0).map((name) => `${name} ${count(completedBy((tally) => formatName(tally.format) === name))}`).join(", ")}.`,
      ...(needs.length === 0 ? ["No learning-needs survey was open in this period."] : needs.map((survey) => needsLine(survey, minimum, ctx.timeZone))),
    ],
    note:
      `Counts only: nobody's record or answers are shown. Levels are as members' profiles say; targets count members at or above the target's level. ` +
      `Learning needs show only for groups of ${minimum} or more answers, and no group that could be worked out from the others.` +
      (scope.locality && !scope.organisationId && !scope.sector ? " Learning-needs answers carry no locality, so they are everyone's." : ""),
  };
};

const shortfall = (row: OrganisationTraining) => (row.coverage!.met ? -1 : row.coverage!.needed - row.coverage!.reached);

function folded(rows: readonly OrganisationTraining[]): Record<StatedLevel, number> {
  return Object.fromEntries(statedLevels.map((level) => [level, rows.reduce((sum, row) => sum + row.levels[level], 0)])) as Record<StatedLevel, number>;
}

/** `Calder NHS Trust, target Informed or above for 80% of its members: 3 of 4 members now (75%), 1 more to reach it.` */
export function targetLine(row: OrganisationTraining): string {
  const { target, reached, needed, members, met } = row.coverage!;
  const head = `${row.name}, target ${describeTarget(target)}`;
  if (members === 0) return `${head}: no members in the network yet.`;
  const now = target.measure === "percent" ? `${count(reached)} of ${count(members)} ${members === 1 ? "member" : "members"} now (${Math.floor((reached * 100) / members)}%)` : `${count(reached)} now`;
  return `${head}: ${now}, ${met ? "reached" : `${count(needed - reached)} more to reach it`}.`;
}

function needsLine(survey: SurveyNeeds, minimum: number, timeZone: string): string {
  const head = `Learning-needs survey #${survey.number} (sent ${DateTime.fromJSDate(survey.sentAt, { zone: timeZone }).toFormat("d LLL yyyy")})`;
  if (!survey.shown) return `${head}: too few answers from ${survey.groupName} to keep them anonymous (fewer than ${minimum}, or a group that could be worked out from others), so no figures are shown.`;
  const chosen = (question: string) =>
    survey.shown!.options.filter((option) => option.question === question).map((option) => `${option.answer} ${count(option.count)}`).join(", ");
  return `${head}, ${survey.groupName}: ${count(survey.shown.answers)} answers. Levels wanted: ${chosen("Level wanted")}. Topics: ${chosen("Topic wanted")}. In the way: ${chosen("In the way")}.`;
}
