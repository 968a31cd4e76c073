import { sectorLabels, sectors, trainingLevelLabels, trainingLevels } from "../kernel/labels.js";
import { count, organisationsInScope, seriesOf, type SectionFigures } from "./section.js";
import { axisTitle, timeAxis } from "./time-axis.js";

const notSet = "Not set";

/**
 * Who is in the network at the end of the period: members and champions month by month (quarter by
 * quarter over longer periods), by sector, organisation and locality, and training levels by sector;
 * only the members of the organisations a scope picks.
 */
export const membershipFigures: SectionFigures = async (ctx, period, scope) => {
  const axis = timeAxis(period, ctx.timeZone);
  const inScope = await organisationsInScope(ctx, scope);
  const inNetwork = { networkId: ctx.networkId, leftAt: null, joinedAt: { lt: period.to }, ...(inScope ? { organisationId: { in: inScope } } : {}) };
  const [groups, organisations, joinedBefore, joinedByMonth] = await Promise.all([
    ctx.prisma.member.groupBy({ by: ["organisationId", "role", "trainingLevel"], where: inNetwork, _count: { _all: true } }),
    ctx.prisma.organisation.findMany({ where: { networkId: ctx.networkId, ...(inScope ? { id: { in: inScope } } : {}) }, select: { id: true, name: true, sector: true, locality: true } }),
    ctx.prisma.member.groupBy({ by: ["role"], where: { ...inNetwork, joinedAt: { lt: period.from } }, _count: { _all: true } }),
    ctx.prisma.$queryRaw<{ month: string; role: string; joined: number }[]>`
      SELECT to_char(("joinedAt" AT TIME ZONE 'UTC') AT TIME ZONE ${ctx.timeZone}, 'YYYY-MM') AS "month", "role"::text AS "role", count(*)::int AS "joined"
      FROM "Member" WHERE "networkId" = ${ctx.networkId} AND "leftAt" IS NULL AND "joinedAt" >= ${period.from} AND "joinedAt" < ${period.to}
        AND (${inScope === undefined}::boolean OR "organisationId" = ANY(${inScope ?? []}::text[]))
      GROUP BY 1, 2`,
  ]);
  const byId = new Map(organisations.map((organisation) => [organisation.id, organisation]));
  const total = (filter: (group: (typeof groups)[number]) => boolean) => groups.filter(filter).reduce((sum, group) => sum + group._count._all, 0);
  const members = total(() => true);
  const champions = total((group) => group.role === "champion");
  const coordinators = total((group) => group.role === "coordinator");
  const joined = joinedByMonth.reduce((sum, row) => sum + row.joined, 0);

  let running = { all: joinedBefore.reduce((sum, group) => sum + group._count._all, 0), champions: joinedBefore.find((group) => group.role === "champion")?._count._all ?? 0 };
  // Who is in at the end of each step: its months' joiners added to everyone before.
  const overTime = axis.steps.map((step) => {
    const rows = joinedByMonth.filter((row) => step.months.includes(row.month));
    running = {
      all: running.all + rows.reduce((sum, row) => sum + row.joined, 0),
      champions: running.champions + rows.filter((row) => row.role === "champion").reduce((sum, row) => sum + row.joined, 0),
    };
    return { label: step.label, ...running };
  });

  const sectorOf = (organisationId: string | null) => byId.get(organisationId ?? "")?.sector;
  const bySector = sectors.map((sector) => ({ sector, members: total((group) => sectorOf(group.organisationId) === sector) })).filter((row) => row.members > 0);
  const byOrganisation = [...byId.values()]
    .map((organisation) => ({ name: organisation.name, members: total((group) => group.organisationId === organisation.id) }))
    .filter((row) => row.members > 0)
    .sort((a, b) => b.members - a.members || a.name.localeCompare(b.name));
  const localities = [...new Set(organisations.map((organisation) => organisation.locality ?? notSet))].sort();
  const byLocality = localities
    .map((locality) => ({ locality, members: total((group) => (byId.get(group.organisationId ?? "")?.locality ?? notSet) === locality && group.organisationId !== null) }))
    .filter((row) => row.members > 0);
  const sectorNames = bySector.map((row) => sectorLabels[row.sector]);
  const levelNames = [...trainingLevels.map((level) => trainingLevelLabels[level]), notSet];
  const levelOf = (name: string) => trainingLevels.find((level) => trainingLevelLabels[level] === name) ?? null;

  return {
    key: "membership",
    title: "Membership",
    headline: [
      { label: "Members", value: count(members) },
      { label: "Champions", value: count(champions) },
      { label: "Coordinators", value: count(coordinators) },
      { label: "Joined in the period", value: count(joined) },
      { label: "Organisations with members", value: count(byOrganisation.length) },
    ],
    charts: [
      {
        name: "members-over-time",
        chart: {
          kind: "line",
          title: `Members and champions, ${axis.unit} by ${axis.unit}`,
          xTitle: axisTitle(axis),
          yTitle: "People",
          series: [
            { name: "Members", points: overTime.map((month) => ({ x: month.label, y: month.all })) },
            { name: "Champions", points: overTime.map((month) => ({ x: month.label, y: month.champions })) },
          ],
        },
      },
      {
        name: "training-by-sector",
        chart: {
          kind: "stacked-bar",
          title: "Training levels by sector",
          xTitle: "Sector",
          yTitle: "Members",
          series: seriesOf(sectorNames, levelNames, (sectorName, levelName) =>
            total((group) => sectorLabels[sectorOf(group.organisationId) ?? "other"] === sectorName && group.organisationId !== null && group.trainingLevel === levelOf(levelName)),
          ),
        },
      },
    ],
    lines: [
      `By sector: ${bySector.map((row) => `${sectorLabels[row.sector]} ${count(row.members)}`).join(", ") || "none yet"}.`,
      `By locality: ${byLocality.map((row) => `${row.locality} ${count(row.members)}`).join(", ") || "none yet"}.`,
      `By organisation: ${byOrganisation.slice(0, 20).map((row) => `${row.name} ${count(row.members)}`).join(", ") || "none yet"}${byOrganisation.length > 20 ? `, and ${byOrganisation.length - 20} more` : ""}.`,
      ...(inScope ? [] : [`Members without an organisation: ${count(total((group) => group.organisationId === null))}.`]),
    ],
  };
};
