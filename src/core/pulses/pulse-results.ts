import { DateTime } from "luxon";
import type { CoreContext, Request } from "../kernel/context.js";
import { sectorLabels } from "../kernel/labels.js";
import { heading, message, note, text, type Block, type View } from "../kernel/view.js";
import { aggregatePulseAnswers, showableGroups, type AnswerGroup, type PulseDimension } from "./aggregate-answers.js";
import { dayOf, findRound, type PulseRoundView } from "./pulse-round.js";
import { pulseSettings } from "./settings.js";

const commentsShown = 20;

/** `pulse results [round]`: trends by principle over the last year, or one round; only groups large enough. */
export async function showPulseResults({ ctx, interaction }: Request): Promise<View> {
  const typed = interaction.text.trim().replace(/^#/, "");
  if (typed) {
    const number = Number(typed);
    const round = Number.isInteger(number) && number > 0 ? await findRound(ctx, number) : null;
    if (!round) return message(`I can't find pulse round "${typed.slice(0, 20)}". Type "pulse results" for every principle's trend.`);
    return roundResults(ctx, round);
  }
  const since = DateTime.fromJSDate(ctx.now(), { zone: ctx.timeZone }).minus({ years: 1 }).toJSDate();
  const minimum = pulseSettings(ctx).minimumGroup;
  const groups = showableGroups(await aggregatePulseAnswers(ctx.prisma, { networkId: ctx.networkId, since }), minimum);
  const names = await sliceNames(ctx);
  const totals = groups.filter((group) => group.dimension === "principle").sort((a, b) => a.principlePosition - b.principlePosition);
  if (totals.length === 0) {
    return message(`No principle has ${minimum} or more pulse answers in the last year yet, so there are no results to show. Results appear once groups are large enough to keep answers anonymous.`);
  }
  const blocks: Block[] = [heading("Pulse results: the last 12 months")];
  for (const total of totals) {
    const within = (dimension: PulseDimension) => groups.filter((group) => group.principle === total.principle && group.dimension === dimension);
    const trend = within("round").sort((a, b) => Number(a.key) - Number(b.key));
    blocks.push(text(`${total.principle}: ${summary(total)}`), {
      type: "fields",
      fields: [
        { label: "Answers 1 to 5", value: total.distribution.join(" · ") },
        { label: "Trend by round", value: trend.length > 0 ? trend.map((group) => `#${group.key} ${average(group)}`).join(" → ") : "no round large enough yet" },
        ...slices(within, names),
      ],
    });
  }
  blocks.push(note(thresholdNote(minimum) + " 1 is the lowest point of each question's scale, 5 the highest."));
  return message(`Pulse results for ${totals.length} principles`, ...blocks);
}

async function roundResults(ctx: CoreContext, round: PulseRoundView): Promise<View> {
  const minimum = pulseSettings(ctx).minimumGroup;
  const groups = showableGroups(await aggregatePulseAnswers(ctx.prisma, { networkId: ctx.networkId, roundId: round.id }), minimum);
  const total = groups.find((group) => group.dimension === "principle");
  const status = round.closedAt || round.closesAt <= ctx.now() ? `closed ${dayOf(ctx, round.closesAt)}` : `open until ${dayOf(ctx, round.closesAt)}`;
  const top: Block[] = [heading(`Pulse #${round.number} on ${round.principle} (${status})`), text(round.question)];
  if (!total) {
    return message(`Pulse #${round.number}: too few answers to show`, ...top, text(`Fewer than ${minimum} people have answered, so to keep answers anonymous there are no results to show.`));
  }
  const names = await sliceNames(ctx);
  const within = (dimension: PulseDimension) => groups.filter((group) => group.dimension === dimension);
  const comments = await ctx.prisma.$queryRaw<{ comment: string }[]>`
    SELECT "comment" FROM "PulseAnswer" WHERE "roundId" = ${round.id} AND "comment" IS NOT NULL ORDER BY random() LIMIT ${commentsShown}`;
  return message(
    `Pulse #${round.number}: ${summary(total)}`,
    ...top,
    text(summary(total)),
    { type: "fields", fields: [...round.scaleLabels.map((label, index) => ({ label, value: String(total.distribution[index]) })), ...slices(within, names)] },
    ...(comments.length > 0 ? [text("Comments, in no particular order:"), { type: "list" as const, items: comments.map((row) => row.comment) }] : []),
    note(thresholdNote(minimum)),
  );
}

function slices(within: (dimension: PulseDimension) => AnswerGroup[], names: ReadonlyMap<string, string>): { label: string; value: string }[] {
  const line = (dimension: PulseDimension) =>
    within(dimension)
      .map((group) => `${group.key === null ? "none given" : (names.get(group.key) ?? group.key)} ${average(group)} (${group.answers})`)
      .join(" · ");
  return [
    { label: "By sector", value: line("sector") },
    { label: "By locality", value: line("locality") },
    { label: "By organisation", value: line("organisation") },
  ].filter((field) => field.value);
}

async function sliceNames(ctx: CoreContext): Promise<Map<string, string>> {
  const organisations = await ctx.prisma.organisation.findMany({ where: { networkId: ctx.networkId }, select: { id: true, name: true } });
  return new Map<string, string>([...Object.entries(sectorLabels), ...organisations.map((organisation): [string, string] => [organisation.id, organisation.name])]);
}

const average = (group: AnswerGroup) => group.mean.toFixed(1);

/** `average 3.6 of 5 from 120 answers` */
export function summary(group: AnswerGroup): string {
  return `average ${average(group)} of 5 from ${group.answers.toLocaleString("en-GB")} answers`;
}

const thresholdNote = (minimum: number) =>
  `Only groups of ${minimum} or more answers are shown, and no group that could be worked out from the others. Answers are anonymous: nothing links them to a person.`;
