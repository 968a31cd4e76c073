import { DateTime } from "luxon";
import type { CoreContext } from "../kernel/context.js";
import type { PrintBlock, PrintDocument, PrintPage } from "../kernel/feature.js";
import type { Period } from "../kernel/period.js";
import { allCycleReportRows } from "../reports/cycle-reports.js";
import { ragLabels, ragShort, rags } from "../reports/report-labels.js";
import { networkFigures } from "./figures.js";
import { altText, count, sectionKeys, type InsightSection, type SectionKey } from "./section.js";

/** The charts a board reads first, for the summary page, by section and name. */
const summaryCharts: readonly (readonly [SectionKey, string])[] = [
  ["work", "updates-by-month"],
  ["organisations", "rag-by-cycle"],
  ["membership", "members-over-time"],
  ["organisations", "key-actions"],
  ["events", "event-answers"],
];

/** How many of each section's headline figures the summary shows: its first, most telling ones. */
const summaryFigures = 3;

/** How many parts the summary shows side by side. */
const summaryColumns = 5;

/** How many organisations the summary names for each RAG; the rest are counted, and are in the workbook. */
const organisationsNamed = 40;

/** Where organisations stood in the latest cycle that opened by the end of the period. */
interface RagAcrossOrganisations {
  cycle: string;
  /** Green, amber and red always; reports without a RAG and organisations yet to report when there are any. */
  groups: { label: string; short: string; names: string[] }[];
}

/**
 * The board pack for a period: a summary page (headline figures, the charts a board reads first, and
 * RAG across organisations in words), then a page for each part of `insights` with all its figures,
 * charts and lines. Small pulse groups and check-ins stay hidden exactly as the figures hide them.
 */
export async function boardPack(ctx: CoreContext, period: Period): Promise<PrintDocument> {
  const [sections, rag] = await Promise.all([networkFigures(ctx, period, sectionKeys), ragAcrossOrganisations(ctx, period)]);
  const made = DateTime.fromJSDate(ctx.now(), { zone: ctx.timeZone });
  return {
    title: ctx.networkName,
    subtitle: `Board pack: ${period.label}`,
    madeAt: ctx.now(),
    footer: `${ctx.networkName}, board pack made ${made.toFormat("d LLL yyyy 'at' HH:mm")}`,
    pages: [summaryPage(sections, rag, made), ...sections.map((section) => sectionPage(section, rag))],
  };
}

function summaryPage(sections: readonly InsightSection[], rag: RagAcrossOrganisations | null, made: DateTime): PrintPage {
  const charts = summaryCharts.flatMap(([key, name]) => {
    const found = sections.find((section) => section.key === key)?.charts.find((chart) => chart.name === name);
    return found ? [{ chart: found.chart, alt: altText(found.chart) }] : [];
  });
  // A sixth column would be too narrow for its figures and push the charts off the page: later parts are said in a line each.
  const columnSections = sections.slice(0, summaryColumns);
  const inWords = sections.slice(summaryColumns);
  const ragCounts = rag
    ? `RAG across organisations, ${rag.cycle}: ${rag.groups.map(({ short, names }) => `${short} ${count(names.length)}`).join(", ")}.`
    : "RAG across organisations: no reporting cycle had opened by the end of the period.";
  return {
    heading: "Summary",
    blocks: [
      { type: "text", text: `Made on ${made.toFormat("d LLLL yyyy 'at' HH:mm")} from the network's own records. Each part has a page of its own after this summary.` },
      { type: "figure-columns", columns: columnSections.map((section) => ({ title: section.title, figures: section.headline.slice(0, summaryFigures) })) },
      { type: "charts", charts },
      // One paragraph, so the summary keeps to its page.
      {
        type: "text",
        text: [
          `${ragCounts} RAG is each organisation's own picture of where it is, never a grade.`,
          ...inWords.map((section) => `${section.title}: ${section.headline.slice(0, summaryFigures).map(({ label, value }) => `${label.toLowerCase()} ${value}`).join(", ")}.`),
        ].join(" "),
      },
    ],
  };
}

function sectionPage(section: InsightSection, rag: RagAcrossOrganisations | null): PrintPage {
  const blocks: PrintBlock[] = [
    { type: "figures", figures: section.headline },
    { type: "charts", charts: section.charts.map(({ chart }) => ({ chart, alt: altText(chart) })) },
  ];
  if (section.lines.length > 0) blocks.push({ type: "list", items: section.lines });
  if (section.key === "organisations" && rag) {
    const items = rag.groups.filter(({ names }) => names.length > 0).map(({ label, names }) => `${label} (${count(names.length)}): ${named(names)}.`);
    blocks.push({ type: "list", title: `RAG across organisations, ${rag.cycle}`, items });
  }
  if (section.note) blocks.push({ type: "note", text: section.note });
  return { heading: section.title, blocks };
}

function named(names: readonly string[]): string {
  if (names.length <= organisationsNamed) return names.join(", ");
  return `${names.slice(0, organisationsNamed).join(", ")} and ${count(names.length - organisationsNamed)} more (the workbook names them all)`;
}

async function ragAcrossOrganisations(ctx: CoreContext, period: Period): Promise<RagAcrossOrganisations | null> {
  const cycle = await ctx.prisma.reportingCycle.findFirst({
    where: { networkId: ctx.networkId, opensOn: { lt: period.to } },
    orderBy: { dueOn: "desc" },
    select: { id: true, number: true, label: true },
  });
  if (!cycle) return null;
  const groups = [
    ...[...rags].reverse().map((rag) => ({ key: rag as string, label: ragLabels[rag], short: ragShort[rag], names: [] as string[] })),
    { key: "none", label: "Submitted without a RAG", short: "without a RAG", names: [] as string[] },
    { key: "missing", label: "No report yet", short: "no report yet", names: [] as string[] },
  ];
  for await (const row of allCycleReportRows(ctx, cycle.id)) {
    const key = row.status !== "submitted" ? "missing" : (row.rag ?? "none");
    groups.find((group) => group.key === key)!.names.push(row.organisationName);
  }
  return {
    cycle: `cycle #${cycle.number} (${cycle.label})`,
    groups: groups.filter((group) => group.names.length > 0 || rags.includes(group.key as (typeof rags)[number])).map(({ label, short, names }) => ({ label, short, names })),
  };
}
