import { command, type CoreContext, type Request } from "../kernel/context.js";
import { sectorLabels, trainingLevelLabels, trainingLevels } from "../kernel/labels.js";
import { heading, message, note, text, type Block, type View } from "../kernel/view.js";
import { barrierLabels, barriers, dayOf, findNeedsSurvey, latestSentSurvey, minimumGroup, type NeedsSurvey } from "./needs-survey.js";

type Dimension = "all" | "sector" | "organisation";
type Question = "level" | "topic" | "barrier";

/** One group of answers (everyone, a sector, an organisation), counted in the database. */
export interface NeedsGroup {
  dimension: Dimension;
  /** The sector or organisation id; null for everyone, or for answers with no sector or organisation. */
  key: string | null;
  answers: number;
  /** How many chose each answer to each question. */
  counts: Record<Question, Map<string, number>>;
}

/** `needs results [survey]`: what people said they need, counts only, for groups large enough. */
export async function showNeedsResults({ ctx, interaction, requester }: Request): Promise<View> {
  const typed = interaction.text.trim().replace(/^#/, "");
  const platform = requester.address.platform;
  const survey = typed ? await findNeedsSurvey(ctx, Number(typed)) : await latestSentSurvey(ctx);
  if (!survey || !survey.sentAt) {
    return message(typed ? `I can't find a learning-needs survey that was sent with the number "${typed.slice(0, 20)}".` : `No learning-needs survey has been sent yet. Send one with ${command(platform, "needs survey")}.`);
  }
  const minimum = minimumGroup(ctx);
  const groups = showableNeedsGroups(await countNeedsAnswers(ctx, survey.id), minimum);
  const everyone = groups.find((group) => group.dimension === "all");
  const status = survey.closedAt || (survey.closesAt && survey.closesAt <= ctx.now()) ? `closed ${dayOf(ctx, survey.closesAt!)}` : `open until ${dayOf(ctx, survey.closesAt!)}`;
  const top: Block[] = [heading(`Learning needs: survey #${survey.number} (${status})`)];
  if (!everyone) {
    return message(
      `Learning-needs survey #${survey.number}: too few answers to show`,
      ...top,
      text(`Asked ${survey.askedCount.toLocaleString("en-GB")}. Fewer than ${minimum} people have answered, so to keep answers anonymous there are no results to show yet.`),
    );
  }
  const names = await sliceNames(ctx);
  const slices = (dimension: Dimension) => groups.filter((group) => group.dimension === dimension).map((group) => `${sliceName(group, names)}, ${group.answers} answers: ${summary(group, survey)}`);
  const bySector = slices("sector");
  const byOrganisation = slices("organisation");
  return message(
    `Learning-needs survey #${survey.number}: ${everyone.answers} answers`,
    ...top,
    text(`${everyone.answers.toLocaleString("en-GB")} of ${survey.askedCount.toLocaleString("en-GB")} people asked have answered.`),
    {
      type: "fields",
      fields: [
        { label: "Levels wanted next", value: line(everyone.counts.level, trainingLevels.map((level) => [level, trainingLevelLabels[level]])) },
        { label: "Topics wanted", value: line(everyone.counts.topic, survey.topics.map((topic) => [topic, topic]), true) },
        { label: "What gets in the way", value: line(everyone.counts.barrier, barriers.map((barrier) => [barrier, barrierLabels[barrier]]), true) },
      ],
    },
    ...(bySector.length > 0 ? [text("By sector"), { type: "list" as const, items: bySector }] : []),
    ...(byOrganisation.length > 0 ? [text("By organisation"), { type: "list" as const, items: byOrganisation }] : []),
    note(`Counts only: how many chose each answer (people could choose several). Only groups of ${minimum} or more answers are shown, and no group that could be worked out from the others. Answers are anonymous: nothing links them to a person.`),
  );
}

/** `Skilled 7 · Enhanced 3`, in the order given (or most chosen first); every option, so a 0 is said too. */
function line(counts: Map<string, number>, options: [string, string][], byCount = false): string {
  const rows = options.map(([value, label]) => ({ label, count: counts.get(value) ?? 0 }));
  if (byCount) rows.sort((a, b) => b.count - a.count);
  return rows.map((row) => `${row.label} ${row.count}`).join(" · ");
}

/** A slice in one line: the answers chosen at all, most chosen first. */
function summary(group: NeedsGroup, survey: NeedsSurvey): string {
  const chosen = (question: Question, options: [string, string][]) =>
    options
      .map(([value, label]) => ({ label, count: group.counts[question].get(value) ?? 0 }))
      .filter((row) => row.count > 0)
      .sort((a, b) => b.count - a.count)
      .map((row) => `${row.label} ${row.count}`)
      .join(", ") || "none chosen";
  return [
    `levels ${chosen("level", trainingLevels.map((level) => [level, trainingLevelLabels[level]]))}`,
    `topics ${chosen("topic", survey.topics.map((topic) => [topic, topic]))}`,
    `in the way ${chosen("barrier", barriers.map((barrier) => [barrier, barrierLabels[barrier]]))}`,
  ].join("; ");
}

/** Counts a survey's answers for everyone, by sector and by organisation, in the database: never the answers themselves. */
export async function countNeedsAnswers(ctx: CoreContext, surveyId: string): Promise<NeedsGroup[]> {
  const [sizes, choices] = await Promise.all([
    ctx.prisma.$queryRaw<{ dimension: Dimension; key: string | null; answers: number }[]>`
      SELECT CASE WHEN GROUPING(a."sector") = 0 THEN 'sector' WHEN GROUPING(a."organisationId") = 0 THEN 'organisation' ELSE 'all' END AS "dimension",
             COALESCE(a."sector"::text, a."organisationId") AS "key", count(*)::int AS "answers"
      FROM "LearningNeedsAnswer" a WHERE a."surveyId" = ${surveyId}
      GROUP BY GROUPING SETS ((), (a."sector"), (a."organisationId"))`,
    ctx.prisma.$queryRaw<{ dimension: Dimension; key: string | null; question: Question; choice: string; count: number }[]>`
      WITH chosen AS (
        SELECT a."sector"::text AS "sector", a."organisationId", 'level' AS "question", c::text AS "choice" FROM "LearningNeedsAnswer" a, unnest(a."levels") c WHERE a."surveyId" = ${surveyId}
        UNION ALL
        SELECT a."sector"::text, a."organisationId", 'topic', c FROM "LearningNeedsAnswer" a, unnest(a."topics") c WHERE a."surveyId" = ${surveyId}
        UNION ALL
        SELECT a."sector"::text, a."organisationId", 'barrier', c::text FROM "LearningNeedsAnswer" a, unnest(a."barriers") c WHERE a."surveyId" = ${surveyId})
      SELECT CASE WHEN GROUPING("sector") = 0 THEN 'sector' WHEN GROUPING("organisationId") = 0 THEN 'organisation' ELSE 'all' END AS "dimension",
             COALESCE("sector", "organisationId") AS "key", "question", "choice", count(*)::int AS "count"
      FROM chosen
      GROUP BY GROUPING SETS (("question", "choice"), ("sector", "question", "choice"), ("organisationId", "question", "choice"))`,
  ]);
  const groups = new Map<string, NeedsGroup>();
  const id = (dimension: Dimension, key: string | null) => `${dimension}:${key ?? ""}`;
  for (const size of sizes) {
    groups.set(id(size.dimension, size.key), { dimension: size.dimension, key: size.key, answers: size.answers, counts: { level: new Map(), topic: new Map(), barrier: new Map() } });
  }
  for (const row of choices) groups.get(id(row.dimension, row.key))?.counts[row.question].set(row.choice, row.count);
  return [...groups.values()];
}

/**
 * The groups that may be shown: everyone only with at least `minimum` answers, and within each dimension
 * slices of at least `minimum`, never leaving a hidden remainder (everyone less the slices shown) smaller
 * than `minimum`, since subtracting would reveal it. The smallest shown slice is hidden too until that holds.
 */
export function showableNeedsGroups(groups: readonly NeedsGroup[], minimum: number): NeedsGroup[] {
  const everyone = groups.find((group) => group.dimension === "all");
  if (!everyone || everyone.answers < minimum) return [];
  const shown: NeedsGroup[] = [everyone];
  for (const dimension of ["sector", "organisation"] as const) {
    const slices = groups.filter((group) => group.dimension === dimension && group.answers >= minimum).sort((a, b) => b.answers - a.answers);
    let hidden = everyone.answers - slices.reduce((sum, slice) => sum + slice.answers, 0);
    while (hidden > 0 && hidden < minimum && slices.length > 0) hidden += slices.pop()!.answers;
    shown.push(...slices);
  }
  return shown;
}

function sliceName(group: NeedsGroup, names: ReadonlyMap<string, string>): string {
  if (group.key === null) return group.dimension === "sector" ? "No sector given" : "Not with an organisation";
  return names.get(group.key) ?? "An organisation no longer listed";
}

async function sliceNames(ctx: CoreContext): Promise<Map<string, string>> {
  const organisations = await ctx.prisma.organisation.findMany({ where: { networkId: ctx.networkId }, select: { id: true, name: true } });
  return new Map<string, string>([...Object.entries(sectorLabels), ...organisations.map((organisation): [string, string] => [organisation.id, organisation.name])]);
}
