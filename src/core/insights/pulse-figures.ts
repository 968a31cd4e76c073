import { DateTime } from "luxon";
import { checkInSettings } from "../check-ins/settings.js";
import { monthsOf } from "../kernel/period.js";
import { aggregatePulseAnswers, showableGroups } from "../pulses/aggregate-answers.js";
import { pulseSettings } from "../pulses/settings.js";
import { count, type SectionFigures } from "./section.js";

/**
 * Pulse answers per principle, round by round, only for rounds with enough answers to show (the rule
 * `pulse results` follows), and check-ins as counts only, for months when enough people checked in.
 */
export const pulseFigures: SectionFigures = async (ctx, period) => {
  const minimum = pulseSettings(ctx).minimumGroup;
  const checkInMinimum = checkInSettings(ctx).minimumGroup;
  const [groups, rounds, checkIns] = await Promise.all([
    aggregatePulseAnswers(ctx.prisma, { networkId: ctx.networkId, since: period.from, until: period.to }),
    ctx.prisma.pulseRound.findMany({ where: { networkId: ctx.networkId, opensAt: { gte: period.from, lt: period.to } }, orderBy: { opensAt: "asc" }, select: { number: true, opensAt: true } }),
    ctx.prisma.$queryRaw<{ month: string; checkIns: number; people: number }[]>`
      SELECT to_char((c."createdAt" AT TIME ZONE 'UTC') AT TIME ZONE ${ctx.timeZone}, 'YYYY-MM') AS "month", count(*)::int AS "checkIns", count(DISTINCT c."memberId")::int AS "people"
      FROM "CheckIn" c JOIN "Member" m ON m."id" = c."memberId"
      WHERE m."networkId" = ${ctx.networkId} AND c."createdAt" >= ${period.from} AND c."createdAt" < ${period.to}
      GROUP BY 1`,
  ]);
  const shown = showableGroups(groups, minimum).filter((group) => group.dimension === "round");
  const roundLabel = new Map(rounds.map((round) => [String(round.number), `#${round.number} ${DateTime.fromJSDate(round.opensAt, { zone: ctx.timeZone }).toFormat("d LLL")}`]));
  const principles = [...new Set(shown.map((group) => group.principle))];
  // Only the rounds shown are counted: a total over every round, less those shown, would give away a small round's count.
  const shownAnswers = shown.reduce((sum, group) => sum + group.answers, 0);
  const months = monthsOf(period, ctx.timeZone).map((month) => ({
    label: month.label,
    row: checkIns.find((row) => row.month === month.key),
  }));
  const showableMonths = months.filter((month) => (month.row?.people ?? 0) >= checkInMinimum);
  const totalCheckIns = checkIns.reduce((sum, row) => sum + row.checkIns, 0);
  const checkInPeople = await ctx.prisma.$queryRaw<{ people: number }[]>`
    SELECT count(DISTINCT c."memberId")::int AS "people" FROM "CheckIn" c JOIN "Member" m ON m."id" = c."memberId"
    WHERE m."networkId" = ${ctx.networkId} AND c."createdAt" >= ${period.from} AND c."createdAt" < ${period.to}`;
  const checkInsShown = (checkInPeople[0]?.people ?? 0) >= checkInMinimum;

  return {
    key: "pulses",
    title: "Pulses and check-ins",
    headline: [
      { label: "Pulse rounds", value: count(rounds.length) },
      { label: "Pulse answers shown", value: count(shownAnswers) },
      { label: "Check-ins", value: checkInsShown ? count(totalCheckIns) : `not shown (fewer than ${checkInMinimum} people)` },
    ],
    charts: [
      {
        name: "pulse-trend",
        chart: {
          kind: "line",
          title: "Pulse answers, average on a 1 to 5 scale, round by round",
          xTitle: "Round",
          yTitle: "Average answer",
          series: principles.map((principle) => ({
            name: principle,
            points: shown.filter((group) => group.principle === principle).sort((a, b) => Number(a.key) - Number(b.key)).map((group) => ({ x: roundLabel.get(group.key ?? "") ?? `#${group.key}`, y: Math.round(group.mean * 10) / 10 })),
          })),
        },
      },
      {
        name: "check-ins",
        chart: {
          kind: "bar",
          title: "Check-ins per month (counts only)",
          xTitle: "Month",
          yTitle: "Check-ins",
          series: [{ name: "Check-ins", points: showableMonths.map((month) => ({ x: month.label, y: month.row!.checkIns })) }],
        },
      },
    ],
    lines: [
      ...shown
        .sort((a, b) => Number(a.key) - Number(b.key))
        .map((group) => `${roundLabel.get(group.key ?? "") ?? `#${group.key}`}, ${group.principle}: average ${group.mean.toFixed(1)} from ${count(group.answers)} answers.`),
      ...(rounds.length > shown.length ? [`${count(rounds.length - shown.length)} ${rounds.length - shown.length === 1 ? "round had" : "rounds had"} fewer than ${minimum} answers, so ${rounds.length - shown.length === 1 ? "its results aren't" : "their results aren't"} shown.`] : []),
      ...showableMonths.map((month) => `${month.label}: ${count(month.row!.checkIns)} check-ins from ${count(month.row!.people)} people.`),
    ],
    note: `Pulse results show only for ${minimum} or more answers, and check-ins only as counts for ${checkInMinimum} or more people; nobody's answers or check-in text are ever shown.`,
  };
};
