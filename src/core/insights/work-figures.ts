import type { CoreContext } from "../kernel/context.js";
import type { Period } from "../kernel/period.js";
import { count, organisationsInScope, seriesOf, type SectionFigures } from "./section.js";
import { axisTitle, timeAxis, type TimeStep } from "./time-axis.js";
import { updateCounts, type UpdateCount } from "./update-counts.js";

/** How many organisations the map shows by name; the rest are counted together. */
const mapOrganisations = 10;

/**
 * The network's work in the period: updates by principle month by month (by quarter over longer
 * periods), and the map of which organisations and localities tagged which principles; in a scope,
 * only its organisations' updates, and only those tagged with its principle.
 */
export const workFigures: SectionFigures = async (ctx, period, scope = {}) => {
  const inScope = await organisationsInScope(ctx, scope);
  const [principles, counts, authors, organisations] = await Promise.all([
    ctx.prisma.principle.findMany({ where: { networkId: ctx.networkId, id: scope.principleId }, orderBy: { position: "asc" }, select: { id: true, name: true } }),
    updateCounts(ctx, period, { organisationIds: inScope, principleId: scope.principleId }),
    authorsWhoShared(ctx, period, inScope, scope.principleId),
    ctx.prisma.organisation.findMany({ where: { networkId: ctx.networkId }, select: { id: true, name: true, locality: true } }),
  ]);
  // With a principle chosen, the updates that count are those tagged with it.
  const shared = (row: UpdateCount) => row.principleId === (scope.principleId ?? null);
  const summary = {
    updates: counts.byMonth.filter(shared).reduce((sum, row) => sum + row.updates, 0),
    organisations: counts.byOrganisation.filter((row) => shared(row) && row.organisationId !== null).length,
    authors,
  };
  const names = principles.map((principle) => principle.name);
  const principleName = new Map(principles.map((principle) => [principle.id, principle.name]));
  const organisation = new Map(organisations.map((row) => [row.id, row]));
  const localityOf = (id: string | null) => (id ? organisation.get(id)?.locality : undefined) ?? "Not set";
  const nameOf = (row: UpdateCount) => (row.principleId ? principleName.get(row.principleId) : undefined);
  // Each chart's cells summed once, in one pass per chart.
  const totalsBy = <Row extends UpdateCount>(rows: readonly Row[], key: (row: Row, name: string) => string) => {
    const totals = new Map<string, number>();
    for (const row of rows) {
      const name = nameOf(row);
      if (name !== undefined) totals.set(key(row, name), (totals.get(key(row, name)) ?? 0) + row.updates);
    }
    return (cell: string) => totals.get(cell) ?? 0;
  };
  const byMonth = totalsBy(counts.byMonth, (row, name) => `${row.month}|${name}`);
  const axis = timeAxis(period, ctx.timeZone);
  const byStep = (step: TimeStep, name: string) => step.months.reduce((sum, month) => sum + byMonth(`${month}|${name}`), 0);
  const byOrganisation = totalsBy(counts.byOrganisation, (row, name) => `${row.organisationId}|${name}`);
  const organisationTotal = totalsBy(counts.byOrganisation, (row) => row.organisationId ?? "");
  const byLocality = totalsBy(counts.byOrganisation, (row, name) => `${localityOf(row.organisationId)}|${name}`);
  const principleTotal = totalsBy(counts.byMonth, (_row, name) => name);
  const tagged = counts.byOrganisation.filter((row) => nameOf(row) !== undefined);

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
          title: `Updates per ${axis.unit}, by principle tagged`,
          xTitle: axisTitle(axis),
          yTitle: "Principles tagged",
          series: seriesOf(axis.steps.map((step) => step.label), names, (label, name) => byStep(axis.steps.find((step) => step.label === label)!, name)),
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

/**
 * How many people shared an update in the period (of the organisations given, tagged with the principle
 * given). Distinct people don't add up month to month, so this one counts the updates themselves, grouped
 * rather than sorted: an index scan of the period and a hash of its authors.
 */
async function authorsWhoShared(ctx: CoreContext, period: Period, organisationIds: string[] | undefined, principleId: string | undefined): Promise<number> {
  const rows = await ctx.prisma.$queryRaw<{ authors: number }[]>`
    SELECT count(*)::int AS "authors" FROM (
      SELECT u."authorId" FROM "Update" u
      WHERE u."networkId" = ${ctx.networkId} AND u."createdAt" >= ${period.from} AND u."createdAt" < ${period.to} AND u."authorId" IS NOT NULL
        AND (${organisationIds === undefined}::boolean OR u."organisationId" = ANY(${organisationIds ?? []}::text[]))
        AND (${principleId === undefined}::boolean OR EXISTS (SELECT 1 FROM "UpdatePrinciple" up WHERE up."updateId" = u."id" AND up."principleId" = ${principleId ?? ""}))
      GROUP BY 1
    ) AS "authors"`;
  return rows[0]?.authors ?? 0;
}
