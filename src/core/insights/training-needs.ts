import type { CoreContext } from "../kernel/context.js";
import { sectorLabels, trainingLevelLabels, trainingLevels } from "../kernel/labels.js";
import type { Period } from "../kernel/period.js";
import { countNeedsAnswers, showableNeedsGroups, type NeedsGroup } from "../training/needs-results.js";
import { barrierLabels, barriers, minimumGroup } from "../training/needs-survey.js";
import type { FigureScope } from "./section.js";

/** How many surveys a period's figures cover: the latest open during it. */
const surveysCovered = 3;

/** One learning-needs survey open during the period, with the counts of the group the scope picks, if that group may be shown. */
export interface SurveyNeeds {
  number: number;
  sentAt: Date;
  askedCount: number;
  /** `everyone`, `Health`, `Calder NHS Trust`: whose answers the counts are. */
  groupName: string;
  /** Null when the group has fewer answers than the minimum (or could be worked out from groups shown): then no figure is given. */
  shown: { answers: number; options: NeedsOption[] } | null;
}

/** How many chose one answer to one question. */
export interface NeedsOption {
  question: "Level wanted" | "Topic wanted" | "In the way";
  answer: string;
  count: number;
}

/**
 * The learning needs of the surveys open during the period, counts only, by the rules `needs results`
 * follows (its own functions): a group is given only with at least TI_MIN_GROUP answers, and never one
 * that could be worked out from the others. In a scope, an organisation's or a sector's group is given
 * when `needs results` would show it; answers carry no locality, so a locality alone shows everyone's.
 */
export async function trainingNeeds(ctx: CoreContext, period: Period, scope: FigureScope = {}): Promise<SurveyNeeds[]> {
  const organisation = scope.organisationId
    ? await ctx.prisma.organisation.findFirst({ where: { id: scope.organisationId, networkId: ctx.networkId }, select: { name: true } })
    : null;
  const picked: { dimension: NeedsGroup["dimension"]; key: string | null; name: string } = organisation
    ? { dimension: "organisation", key: scope.organisationId!, name: organisation.name }
    : scope.sector
      ? { dimension: "sector", key: scope.sector, name: sectorLabels[scope.sector] }
      : { dimension: "all", key: null, name: "everyone" };
  return (await surveysWithGroups(ctx, period)).map(({ survey, groups }) => {
    const group = groups.find((candidate) => candidate.dimension === picked.dimension && candidate.key === picked.key);
    return { number: survey.number, sentAt: survey.sentAt, askedCount: survey.askedCount, groupName: picked.name, shown: group ? { answers: group.answers, options: optionsOf(group, survey.topics) } : null };
  });
}

/** A survey open during the period with every group of its answers `needs results` would show, named. */
export interface SurveyGroups {
  survey: { number: number; sentAt: Date; askedCount: number; topics: string[] };
  groups: (NeedsGroup & { name: string; options: NeedsOption[] })[];
}

/** The surveys open during the period, newest first, each with the groups of answers that may be shown (none when too few answered). */
export async function surveysWithGroups(ctx: CoreContext, period: Period): Promise<SurveyGroups[]> {
  const [surveys, organisations] = await Promise.all([
    ctx.prisma.learningNeedsSurvey.findMany({
      where: { networkId: ctx.networkId, sentAt: { not: null, lt: period.to }, closesAt: { gte: period.from } },
      orderBy: { number: "desc" },
      take: surveysCovered,
      select: { id: true, number: true, sentAt: true, askedCount: true, topics: true },
    }),
    ctx.prisma.organisation.findMany({ where: { networkId: ctx.networkId }, select: { id: true, name: true } }),
  ]);
  const minimum = minimumGroup(ctx);
  const names = new Map<string, string>([...Object.entries(sectorLabels), ...organisations.map((organisation): [string, string] => [organisation.id, organisation.name])]);
  const nameOf = (group: NeedsGroup) =>
    group.dimension === "all" ? "Everyone" : group.key === null ? (group.dimension === "sector" ? "No sector given" : "Not with an organisation") : (names.get(group.key) ?? "An organisation no longer listed");
  return Promise.all(
    surveys.map(async ({ id, ...survey }) => ({
      survey: { ...survey, sentAt: survey.sentAt! },
      groups: showableNeedsGroups(await countNeedsAnswers(ctx, id), minimum).map((group) => ({ ...group, name: nameOf(group), options: optionsOf(group, survey.topics) })),
    })),
  );
}

/** Every answer to every question, a 0 said too, in the order the survey asks them. */
function optionsOf(group: NeedsGroup, topics: readonly string[]): NeedsOption[] {
  return [
    ...trainingLevels.map((level) => ({ question: "Level wanted" as const, answer: trainingLevelLabels[level], count: group.counts.level.get(level) ?? 0 })),
    ...topics.map((topic) => ({ question: "Topic wanted" as const, answer: topic, count: group.counts.topic.get(topic) ?? 0 })),
    ...barriers.map((barrier) => ({ question: "In the way" as const, answer: barrierLabels[barrier], count: group.counts.barrier.get(barrier) ?? 0 })),
  ];
}
