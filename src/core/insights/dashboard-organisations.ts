import type { CoreContext } from "../kernel/context.js";
import { sectorLabels } from "../kernel/labels.js";
import type { Period } from "../kernel/period.js";
import { ragShort } from "../reports/report-labels.js";
import type { FigureScope } from "./section.js";
import { noRag, noReport } from "./organisation-figures.js";
import { updateCounts } from "./update-counts.js";

/** One organisation as the dashboard's table shows it, at the end of the period. */
export interface OrganisationRow {
  name: string;
  sector: string;
  locality: string;
  /** The day the pledge was signed, if by the end of the period. */
  pledgeSignedOn: Date | null;
  champions: number;
  keyActions: { done: number; inProgress: number; notStarted: number };
  /** The RAG of its latest report submitted by the end of the period, in words: `Amber`, `Submitted, no RAG`, `No report yet`. */
  lastRag: string;
  /** Updates shared in the period (tagged with the scope's principle, when it has one). */
  updates: number;
}


/**
 * Each organisation the scope picks, in name order: its pledge, champions, key actions, latest RAG and
 * updates in the period. Five queries, however many organisations there are.
 */
export async function organisationRows(ctx: CoreContext, period: Period, scope: FigureScope = {}): Promise<OrganisationRow[]> {
  const organisations = await ctx.prisma.organisation.findMany({
    where: { networkId: ctx.networkId, createdAt: { lt: period.to }, id: scope.organisationId, sector: scope.sector, locality: scope.locality },
    orderBy: { name: "asc" },
    select: { id: true, name: true, sector: true, locality: true, pledgeSignedOn: true },
  });
  const ids = { in: organisations.map((organisation) => organisation.id) };
  const [champions, actions, reports, updates] = await Promise.all([
    ctx.prisma.member.groupBy({ by: ["organisationId"], where: { organisationId: ids, role: "champion", leftAt: null, joinedAt: { lt: period.to } }, _count: { _all: true } }),
    ctx.prisma.keyAction.groupBy({ by: ["organisationId", "status"], where: { organisationId: ids }, _count: { _all: true } }),
    ctx.prisma.milestoneReport.findMany({
      where: { status: "submitted", submittedAt: { lt: period.to }, request: { organisationId: ids } },
      orderBy: { submittedAt: "desc" },
      select: { rag: true, request: { select: { organisationId: true } } },
    }),
    updateCounts(ctx, period, { organisationIds: ids.in, principleId: scope.principleId }),
  ]);
  const updatesOf = new Map(updates.byOrganisation.filter((row) => row.principleId === (scope.principleId ?? null)).map((row) => [row.organisationId, row.updates]));
  const latest = new Map<string, (typeof reports)[number]>();
  for (const report of reports) if (!latest.has(report.request.organisationId)) latest.set(report.request.organisationId, report);
  const actionCount = (organisationId: string, status: string) =>
    actions.find((row) => row.organisationId === organisationId && row.status === status)?._count._all ?? 0;

  return organisations.map((organisation) => {
    const report = latest.get(organisation.id);
    return {
      name: organisation.name,
      sector: sectorLabels[organisation.sector],
      locality: organisation.locality ?? "Not set",
      pledgeSignedOn: organisation.pledgeSignedOn && organisation.pledgeSignedOn < period.to ? organisation.pledgeSignedOn : null,
      champions: champions.find((row) => row.organisationId === organisation.id)?._count._all ?? 0,
      keyActions: { done: actionCount(organisation.id, "done"), inProgress: actionCount(organisation.id, "in_progress"), notStarted: actionCount(organisation.id, "not_started") },
      lastRag: !report ? noReport : report.rag ? ragShort[report.rag] : noRag,
      updates: updatesOf.get(organisation.id) ?? 0,
    };
  });
}
