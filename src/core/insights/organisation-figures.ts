import { keyActionStatuses, keyActionStatusLabels, maturityDomainLabels, maturityDomains, maturityLevelLabels, maturityLevels, ragShort, rags } from "../reports/report-labels.js";
import { count, organisationsInScope, percent, seriesOf, type SectionFigures } from "./section.js";

/** How many cycles the RAG chart compares, ending with the latest that opened by the end of the period. */
const cyclesShown = 4;
export const noReport = "No report yet";
export const noRag = "Submitted, no RAG";
/** RAG in the colours people expect, from a colour-blind-safe set, and always with its word. */
const ragTones: Readonly<Record<string, "red" | "amber" | "green">> = { Red: "red", Amber: "amber", Green: "green" };

/**
 * How organisations are doing against their pledges: pledged or not, key actions by status, each
 * cycle's RAG across organisations, and the maturity matrix from each organisation's latest report; only
 * the organisations a scope picks.
 */
export const organisationFigures: SectionFigures = async (ctx, period, scope) => {
  const inScope = await organisationsInScope(ctx, scope);
  const picked = inScope ? { organisationId: { in: inScope } } : {};
  const [organisations, actions, cycles, latestReports] = await Promise.all([
    ctx.prisma.organisation.findMany({ where: { networkId: ctx.networkId, createdAt: { lt: period.to }, ...(inScope ? { id: { in: inScope } } : {}) }, select: { id: true, pledgeSignedOn: true } }),
    ctx.prisma.keyAction.groupBy({ by: ["status"], where: { organisation: { networkId: ctx.networkId }, ...picked }, _count: { _all: true } }),
    ctx.prisma.reportingCycle.findMany({
      where: { networkId: ctx.networkId, opensOn: { lt: period.to } },
      orderBy: { dueOn: "desc" },
      take: cyclesShown,
      select: { label: true, number: true, requests: { where: picked, select: { report: { select: { status: true, rag: true } } } } },
    }),
    ctx.prisma.milestoneReport.findMany({
      where: { status: "submitted", submittedAt: { lt: period.to }, request: { cycle: { networkId: ctx.networkId }, ...picked } },
      orderBy: { submittedAt: "desc" },
      select: { maturity: true, request: { select: { organisationId: true } } },
    }),
  ]);
  const pledged = organisations.filter((organisation) => organisation.pledgeSignedOn && organisation.pledgeSignedOn < period.to).length;
  const actionCount = (status: string) => actions.find((row) => row.status === status)?._count._all ?? 0;
  const totalActions = actions.reduce((sum, row) => sum + row._count._all, 0);

  const ragNames = [...rags.map((rag) => ragShort[rag]), noRag, noReport];
  const ragOf = (request: (typeof cycles)[number]["requests"][number]) =>
    request.report?.status !== "submitted" ? noReport : request.report.rag ? ragShort[request.report.rag] : noRag;
  const ordered = [...cycles].reverse();
  const cycleLabel = (cycle: (typeof cycles)[number]) => `#${cycle.number} ${cycle.label}`;

  const seen = new Set<string>();
  const latest = latestReports.filter((report) => !seen.has(report.request.organisationId) && seen.add(report.request.organisationId));
  const maturityCount = (domain: string, level: string) =>
    latest.filter((report) => (report.maturity as Record<string, string> | null)?.[domain] === level).length;
  const domainNames = maturityDomains.map((domain) => maturityDomainLabels[domain]);
  const domainOf = (name: string) => maturityDomains.find((domain) => maturityDomainLabels[domain] === name)!;
  const levelOf = (name: string) => maturityLevels.find((level) => maturityLevelLabels[level] === name)!;
  const latestCycle = cycles[0];

  return {
    key: "organisations",
    title: "Organisations and their pledges",
    headline: [
      { label: "Organisations", value: count(organisations.length) },
      { label: "Pledge signed", value: `${count(pledged)} (${percent(pledged, organisations.length)})` },
      { label: "Key actions done", value: `${count(actionCount("done"))} of ${count(totalActions)}` },
      ...(latestCycle
        ? [{ label: `Reports in, ${cycleLabel(latestCycle)}`, value: `${count(latestCycle.requests.filter((request) => request.report?.status === "submitted").length)} of ${count(latestCycle.requests.length)}` }]
        : []),
    ],
    charts: [
      {
        name: "rag-by-cycle",
        chart: {
          kind: "stacked-bar",
          title: "Where organisations are, cycle by cycle (RAG)",
          xTitle: "Reporting cycle",
          yTitle: "Organisations",
          series: seriesOf(ordered.map(cycleLabel), ragNames, (label, name) => ordered.find((cycle) => cycleLabel(cycle) === label)!.requests.filter((request) => ragOf(request) === name).length)
            .filter((series) => series.points.some((point) => point.y > 0))
            .map((series) => ({ ...series, tone: ragTones[series.name] ?? "none" })),
        },
      },
      {
        name: "key-actions",
        chart: {
          kind: "donut",
          title: "Key actions by status",
          series: [{ name: "Key actions", points: keyActionStatuses.map((status) => ({ x: keyActionStatusLabels[status], y: actionCount(status) })) }],
        },
      },
      {
        name: "maturity",
        chart: {
          kind: "stacked-bar",
          title: "Maturity matrix, from each organisation's latest report",
          xTitle: "Domain",
          yTitle: "Organisations",
          series: seriesOf(domainNames, maturityLevels.map((level) => maturityLevelLabels[level]), (domain, level) => maturityCount(domainOf(domain), levelOf(level))),
        },
      },
    ],
    lines: [
      `Pledges: ${count(pledged)} signed, ${count(organisations.length - pledged)} not yet.`,
      `Key actions: ${keyActionStatuses.map((status) => `${keyActionStatusLabels[status]} ${count(actionCount(status))}`).join(", ")}.`,
      ...ordered.map((cycle) => `${cycleLabel(cycle)}: ${ragNames.map((name) => `${name} ${count(cycle.requests.filter((request) => ragOf(request) === name).length)}`).join(", ")}.`),
      ...(latest.length > 0
        ? maturityDomains.map((domain) => `${maturityDomainLabels[domain]}: ${maturityLevels.map((level) => `${maturityLevelLabels[level]} ${count(maturityCount(domain, level))}`).join(", ")}.`)
        : ["No maturity matrix answers yet."]),
    ],
    note: "RAG says where an organisation is, never a grade.",
  };
};
