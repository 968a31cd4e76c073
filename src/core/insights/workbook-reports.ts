import type { CoreContext } from "../kernel/context.js";
import type { Sheet, SheetCell } from "../kernel/feature.js";
import { sectorLabels } from "../kernel/labels.js";
import type { Period } from "../kernel/period.js";
import { allCycleReportRows, reportState, type CycleReportRow, type ReportState } from "../reports/cycle-reports.js";
import { describeDay, today } from "../reports/days.js";
import type { KeyActionProgress, Milestone } from "../reports/report-form.js";
import {
  keyActionStatusLabels,
  maturityDomainLabels,
  maturityDomains,
  maturityLevelLabels,
  ragLabels,
  type MaturityDomain,
  type MaturityLevel,
} from "../reports/report-labels.js";

/** How many cycles one workbook covers: a few years of quarters. */
const cyclesCovered = 40;

const stateWords: Record<ReportState, string> = { submitted: "Submitted", draft: "Draft saved", due: "Not started yet", overdue: "Overdue" };

/**
 * Every organisation's report in each reporting cycle open during the period, with every RAG field.
 * What a report says is given once it is submitted; a draft shows its status only, as the organisation
 * hasn't said it yet.
 */
export function reportsSheet(ctx: CoreContext, period: Period): Sheet {
  async function* rows(): AsyncGenerator<SheetCell[]> {
    const cycles = await ctx.prisma.reportingCycle.findMany({
      where: { networkId: ctx.networkId, opensOn: { lt: period.to }, dueOn: { gte: period.from } },
      orderBy: { dueOn: "asc" },
      take: cyclesCovered,
      select: { id: true, number: true, label: true, dueOn: true },
    });
    const day = today(ctx);
    for (const cycle of cycles) {
      for await (const row of allCycleReportRows(ctx, cycle.id)) {
        const state = reportState(row, cycle.dueOn, day);
        yield [cycle.number, cycle.label, cycle.dueOn, row.organisationName, sectorLabels[row.sector], row.locality, stateWords[state], ...said(row, state === "submitted")];
      }
    }
  }
  return {
    name: "Reports",
    columns: [
      { header: "Cycle", type: "number", width: 8 },
      { header: "Cycle label", width: 26 },
      { header: "Due on", type: "day", width: 12 },
      { header: "Organisation", width: 32 },
      { header: "Sector", width: 22 },
      { header: "Locality", width: 18 },
      { header: "Status", width: 16 },
      { header: "Lead", width: 22 },
      { header: "RAG before", width: 34 },
      { header: "RAG", width: 34 },
      { header: "Summary", width: 60 },
      { header: "Successes", width: 60 },
      { header: "Challenges: resources", width: 40 },
      { header: "Challenges: budget", width: 40 },
      { header: "Challenges: timescales", width: 40 },
      { header: "Upcoming milestones", width: 50 },
      { header: "Key action progress", width: 60 },
      ...maturityDomains.map((domain) => ({ header: `Maturity: ${maturityDomainLabels[domain]}`, width: 26 })),
      { header: "Submitted at", type: "time", width: 18 },
    ],
    rows: rows(),
  };
}

/** The report's lead, RAG before and its own words and ratings; for one not submitted, only the RAG before (from an earlier report). */
function said(row: CycleReportRow, submitted: boolean): SheetCell[] {
  const before = row.previousRag ? ragLabels[row.previousRag] : null;
  if (!submitted) return [null, before, ...new Array<null>(9 + maturityDomains.length).fill(null)];
  const milestones = ((row.milestones ?? []) as Milestone[]).map((milestone) => `${describeDay(milestone.dueOn)}: ${milestone.text}`);
  const progress = ((row.keyActionProgress ?? []) as KeyActionProgress[]).map(
    (action) => `${action.text}: ${keyActionStatusLabels[action.status]}${action.note ? ` (${action.note})` : ""}`,
  );
  const maturity = (row.maturity ?? {}) as Partial<Record<MaturityDomain, MaturityLevel>>;
  return [
    row.leadName,
    before,
    row.rag ? ragLabels[row.rag] : null,
    row.summary,
    row.successes,
    row.challengeResources,
    row.challengeBudget,
    row.challengeTimescales,
    milestones.join("; ") || null,
    progress.join("; ") || null,
    ...maturityDomains.map((domain) => (maturity[domain] ? maturityLevelLabels[maturity[domain]] : null)),
    row.submittedAt,
  ];
}
