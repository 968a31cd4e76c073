import { monthsOf } from "../kernel/period.js";
import { count, organisationsInScope, seriesOf, type SectionFigures } from "./section.js";

/** How many organisations the map shows by name; the rest are counted together. */
const mapOrganisations = 10;

/**
 * The network's work in the period: updates month by month by principle, and the map of which
 * organisations and localities tagged which principles; in a scope, only its organisations' updates, and
 * only those tagged with its principle.
 */
export const workFigures: SectionFigures = async (ctx, period, scope = {}) => {
  const inScope = await organisationsInScope(ctx, scope);
  const [everyOrganisation, everyPrinciple] = [inScope === undefined, scope.principleId === undefined];
  const [principles, totals, tagged, organisations] = await Promise.all([
    ctx.prisma.principle.findMany({ where: { networkId: ctx.networkId, id: scope.principleId }, orderBy: { position: "asc" }, select: { id: true, name: true } }),
    ctx.prisma.$queryRaw<{ updates: number; organisations: number; authors: number }[]>`
      SELECT count(*)::int AS "updates", count(DISTINCT u."organisationId")::int AS "organisations", count(DISTINCT u."authorId")::int AS "authors"
      FROM "Update" u WHERE u."networkId" = ${ctx.networkId} AND u."createdAt" >= ${period.from} AND u."createdAt" < ${period.to}
        AND (${everyOrganisation}::boolean OR u."organisationId" = ANY(${inScope ?? []}::text[]))
        AND (${everyPrinciple}::boolean OR EXISTS (SELECT 1 FROM "UpdatePrinciple" up WHERE up."updateId" = u."id" AND up."principleId" = ${scope.principleId ?? ""}))`,
    ctx.prisma.$queryRaw<{ month: string; organisationId: string | null; principleId: string; updates: number }[]>`
      SELECT to_char((u."createdAt" AT TIME ZONE 'UTC') AT TIME ZONE ${ctx.timeZone}, 'YYYY-MM') AS "month", u."organisationId", up."principleId", count(*)::int AS "updates"
      FROM "Update" u JOIN "UpdatePrinciple" up ON up."updateId" = u."id"
      WHERE u."networkId" = ${ctx.networkId} AND u."createdAt" >= ${period.from} AND u."createdAt" < ${period.to}
        AND (${everyOrganisation}::boolean OR u."organisationId" = ANY(${inScope ?? []}::text[]))
        AND (${everyPrinciple}::boolean OR up."principleId" = ${scope.principleId ?? ""})
      GROUP BY 1, 2, 3`,
    ctx.prisma.organisation.findMany({ where: { networkId: ctx.networkId }, select: { id: true, name: true, locality: true } }),
  ]);
  const summary = totals[0] ?? { updates: 0, organisations: 0, authors: 0 };
  const names = principles.map((principle) => principle.name);
  const principleName = new Map(principles.map((principle) => [principle.id, principle.name]));
  const organisation = new Map(organisations.map((row) => [row.id, row]));
  const localityOf = (id: string | null) => (id ? organisation.get(id)?.locality : undefined) ?? "Not set";
  // Each chart's cells summed once, in one pass per chart: a five-year period has tens of thousands of rows.
  const totalsBy = (key: (row: (typeof tagged)[number]) => string) => {
    const totals = new Map<string, number>();
    for (const row of tagged) totals.set(key(row), (totals.get(key(row)) ?? 0) + row.updates);
    return (cell: string) => totals.get(cell) ?? 0;
  };
  const nameOf = (row: (typeof tagged)[number]) => principleName.get(row.principleId) ?? "";
  const byMonth = totalsBy((row) => `${row.month}|${nameOf(row)}`);
  const byOrganisation = totalsBy((row) => `${row.organisationId}|${nameOf(row)}`);
  const organisationTotal = totalsBy((row) => row.organisationId ?? "");
  const byLocality = totalsBy((row) => `${localityOf(row.organisationId)}|${nameOf(row)}`);
  const principleTotal = totalsBy(nameOf);

  const months = monthsOf(period, ctx.timeZone);
  const monthLabels = months.map((month) => month.label);
  const keyOf = new Map(months.map((month) => [month.label, month.key]));

  const organisationTotals = [...new Set(tagged.map((row) => row.organisationId))]
    .flatMap((id) => (id && organisation.has(id) ? [{ id, name: organisation.get(id)!.name, updates: organisationTotal(id) }] : []))
    .sort((a, b) => b.updates - a.updates || a.name.localeCompare(b.name));
  const mapped = organisationTotals.slice(0, mapOrganisations);
  const localities = [...new Set(tagged.map((row) => localityOf(row.organisationId)))].sort();
  const byPrinciple = names.map((name) => ({ name, updates: principleTotal(name) }));
  const idOfName = new Map(mapped.map((row) => [row.name, row.id]));

  return {
    key: "work",
    title: "The work",
    headline: [
      { label: "Updates shared", value: count(summary.updates) },
      { label: "Champions who shared", value: count(summary.authors) },
      { label: "Organisations who shared", value: count(summary.organisations) },
    ],
    charts: [
      {
        name: "updates-by-month",
        chart: {
          kind: "stacked-bar",
          title: "Updates per month, by principle tagged",
          xTitle: "Month",
          yTitle: "Principles tagged",
          series: seriesOf(monthLabels, names, (label, name) => byMonth(`${keyOf.get(label)}|${name}`)),
        },
      },
      {
        name: "organisations-by-principle",
        chart: {
          kind: "stacked-bar",
          title: `Principles tagged by the ${mapped.length === 1 ? "organisation" : `${mapped.length} organisations`} sharing most`,
          xTitle: "Organisation",
          yTitle: "Principles tagged",
          series: seriesOf(
            mapped.map((row) => row.name),
            names,
            (organisationName, name) => byOrganisation(`${idOfName.get(organisationName)}|${name}`),
          ),
        },
      },
      {
        name: "localities-by-principle",
        chart: {
          kind: "stacked-bar",
          title: "Principles tagged by locality",
          xTitle: "Locality",
          yTitle: "Principles tagged",
          series: seriesOf(localities, names, (locality, name) => byLocality(`${locality}|${name}`)),
        },
      },
    ],
    lines: [
      `By principle: ${byPrinciple.map((row) => `${row.name} ${count(row.updates)}`).join(", ")}.`,
      ...organisationTotals.slice(0, 20).map(
        (row) =>
          `${row.name}: ${names
            .map((name) => [name, byOrganisation(`${row.id}|${name}`)] as const)
            .filter(([, updates]) => updates > 0)
            .map(([name, updates]) => `${name} ${count(updates)}`)
            .join(", ")}.`,
      ),
      ...(organisationTotals.length > 20 ? [`And ${organisationTotals.length - 20} more organisations.`] : []),
    ],
    note: "Counts are of principles tagged: an update tagged with two principles counts once for each.",
  };
};
