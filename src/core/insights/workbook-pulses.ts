import { DateTime } from "luxon";
import type { CoreContext } from "../kernel/context.js";
import type { Sheet, SheetCell } from "../kernel/feature.js";
import { sectorLabels } from "../kernel/labels.js";
import type { Period } from "../kernel/period.js";
import { aggregatePulseAnswers, showableGroups, type PulseDimension } from "../pulses/aggregate-answers.js";
import { pulseSettings } from "../pulses/settings.js";

const dimensionWords: Record<PulseDimension, string> = {
  principle: "All rounds",
  round: "Round",
  sector: "Sector",
  locality: "Locality",
  organisation: "Organisation",
};
const dimensionOrder: readonly PulseDimension[] = ["principle", "round", "sector", "locality", "organisation"];

/**
 * Pulse results for rounds opened in the period, only for groups `pulse results` would show: at least
 * the minimum group (TI_MIN_GROUP) and none that could be worked out from the others. How many gave each
 * answer is given for a principle's and a round's whole group, as `pulse results` gives it; no comments.
 */
export function pulseResultsSheet(ctx: CoreContext, period: Period): Sheet {
  async function* rows(): AsyncGenerator<SheetCell[]> {
    const [groups, rounds, organisations] = await Promise.all([
      aggregatePulseAnswers(ctx.prisma, { networkId: ctx.networkId, since: period.from, until: period.to }),
      ctx.prisma.pulseRound.findMany({ where: { networkId: ctx.networkId, opensAt: { gte: period.from, lt: period.to } }, select: { number: true, opensAt: true } }),
      ctx.prisma.organisation.findMany({ where: { networkId: ctx.networkId }, select: { id: true, name: true } }),
    ]);
    const opened = new Map(rounds.map((round) => [String(round.number), DateTime.fromJSDate(round.opensAt, { zone: ctx.timeZone }).toFormat("d LLL yyyy")]));
    const names = new Map<string, string>([...Object.entries(sectorLabels), ...organisations.map((organisation): [string, string] => [organisation.id, organisation.name])]);
    const groupName = (dimension: PulseDimension, key: string | null) => {
      if (dimension === "principle") return "All answers";
      if (key === null) return "None given";
      if (dimension === "round") return `#${key}, opened ${opened.get(key) ?? "before the period"}`;
      return names.get(key) ?? key;
    };
    const shown = showableGroups(groups, pulseSettings(ctx).minimumGroup).sort(
      (a, b) =>
        a.principlePosition - b.principlePosition ||
        dimensionOrder.indexOf(a.dimension) - dimensionOrder.indexOf(b.dimension) ||
        (a.dimension === "round" ? Number(a.key) - Number(b.key) : b.answers - a.answers),
    );
    for (const group of shown) {
      const whole = group.dimension === "principle" || group.dimension === "round";
      yield [group.principle, dimensionWords[group.dimension], groupName(group.dimension, group.key), group.answers, Math.round(group.mean * 10) / 10, ...(whole ? group.distribution : [null, null, null, null, null])];
    }
  }
  return {
    name: "Pulse results",
    columns: [
      { header: "Principle", width: 24 },
      { header: "By", width: 14 },
      { header: "Group", width: 34 },
      { header: "Answers", type: "number", width: 10 },
      { header: "Average (1 to 5)", type: "decimal", width: 16 },
      ...[1, 2, 3, 4, 5].map((score) => ({ header: `Answered ${score}`, type: "number" as const, width: 12 })),
    ],
    rows: rows(),
  };
}
