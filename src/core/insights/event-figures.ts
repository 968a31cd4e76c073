import { sectorLabels, sectors } from "../kernel/labels.js";
import { count, organisationsInScope, percent, seriesOf, type SectionFigures } from "./section.js";

/** How many events the chart compares by name: the latest in the period. */
const eventsShown = 8;

/**
 * Network events that took place in the period: who was invited, who said they'd go, who answered at all,
 * by event and by sector; in a scope, only the invitations of its organisations' members.
 */
export const eventFigures: SectionFigures = async (ctx, period, scope) => {
  const inScope = await organisationsInScope(ctx, scope);
  const events = await ctx.prisma.networkEvent.findMany({
    where: { networkId: ctx.networkId, status: "scheduled", startsAt: { gte: period.from, lt: period.to }, invitedAt: { not: null } },
    orderBy: { startsAt: "asc" },
    select: { id: true, number: true, title: true },
  });
  const ids = events.map((event) => event.id);
  const [answers, bySector] = await Promise.all([
    ctx.prisma.eventInvitation.groupBy({
      by: ["eventId", "answer"],
      where: { eventId: { in: ids }, ...(inScope ? { member: { organisationId: { in: inScope } } } : {}) },
      _count: { _all: true },
    }),
    ctx.prisma.$queryRaw<{ sector: string | null; invited: number; answered: number; going: number }[]>`
      SELECT o."sector"::text AS "sector", count(*)::int AS "invited", count(i."answer")::int AS "answered", count(*) FILTER (WHERE i."answer" = 'going')::int AS "going"
      FROM "EventInvitation" i JOIN "Member" m ON m."id" = i."memberId" LEFT JOIN "Organisation" o ON o."id" = m."organisationId"
      WHERE i."eventId" = ANY(${ids}::text[]) AND (${inScope === undefined}::boolean OR m."organisationId" = ANY(${inScope ?? []}::text[]))
      GROUP BY 1`,
  ]);
  const tally = (eventId: string, answer?: "going" | "maybe" | "declined" | "answered") =>
    answers
      .filter((row) => row.eventId === eventId && (answer === undefined || (answer === "answered" ? row.answer !== null : row.answer === answer)))
      .reduce((sum, row) => sum + row._count._all, 0);
  const label = (event: (typeof events)[number]) => `#${event.number} ${event.title.slice(0, 30)}`;
  const shown = events.slice(-eventsShown);
  const invited = events.reduce((sum, event) => sum + tally(event.id), 0);
  const going = events.reduce((sum, event) => sum + tally(event.id, "going"), 0);
  const answered = events.reduce((sum, event) => sum + tally(event.id, "answered"), 0);
  const sectorRows = sectors.flatMap((sector) => bySector.filter((row) => row.sector === sector).map((row) => ({ ...row, name: sectorLabels[sector] })));

  return {
    key: "events",
    title: "Network events",
    headline: [
      { label: "Events held", value: count(events.length) },
      { label: "Invitations", value: count(invited) },
      { label: "Said they'd go", value: `${count(going)} (${percent(going, invited)})` },
      { label: "Answered", value: `${count(answered)} (${percent(answered, invited)})` },
    ],
    charts: [
      {
        name: "event-answers",
        chart: {
          kind: "grouped-bar",
          title: "Invited, going and answered, by event",
          xTitle: "Event",
          yTitle: "People",
          series: seriesOf(shown.map(label), ["Invited", "Going", "Answered"], (eventLabel, name) => {
            const event = shown.find((candidate) => label(candidate) === eventLabel)!;
            return tally(event.id, name === "Invited" ? undefined : name === "Going" ? "going" : "answered");
          }),
        },
      },
      {
        name: "event-answers-by-sector",
        chart: {
          kind: "grouped-bar",
          title: "Invited, going and answered, by sector",
          xTitle: "Sector",
          yTitle: "People",
          series: seriesOf(sectorRows.map((row) => row.name), ["Invited", "Going", "Answered"], (sectorName, name) => {
            const row = sectorRows.find((candidate) => candidate.name === sectorName)!;
            return name === "Invited" ? row.invited : name === "Going" ? row.going : row.answered;
          }),
        },
      },
    ],
    lines: [
      ...events.map((event) => `${label(event)}: ${count(tally(event.id))} invited, ${count(tally(event.id, "going"))} going, ${count(tally(event.id, "maybe"))} maybe, ${count(tally(event.id, "declined"))} can't, ${count(tally(event.id) - tally(event.id, "answered"))} no answer.`),
      ...sectorRows.map((row) => `${row.name}: ${percent(row.answered, row.invited)} answered, ${percent(row.going, row.invited)} going (${count(row.invited)} invited).`),
      ...(events.length === 0 ? ["No network events took place in this period."] : []),
    ],
  };
};
