import { z } from "zod";
import { recordAudit } from "../kernel/audit.js";
import type { CoreContext, Request } from "../kernel/context.js";
import type { DownloadFile } from "../kernel/feature.js";
import { sectorLabels } from "../kernel/labels.js";
import { buttons, formatted, heading, message, note, type Message } from "../kernel/view.js";
import { describeDay, today } from "./days.js";
import { allCycleReportRows, findCycle, reportState, type CycleReportRow, type CycleSummary, type ReportState } from "./cycle-reports.js";
import type { KeyActionProgress, Milestone } from "./report-form.js";
import { keyActionStatusLabels, maturityDomains, maturityLevelLabels, ragShort, type MaturityDomain, type MaturityLevel } from "./report-labels.js";

const numberSchema = z.union([z.literal("").transform(() => undefined), z.coerce.number().int().min(1).max(999_999_999)]);
const exportLinkMs = 60 * 60_000;

const stateWords: Record<ReportState, string> = { submitted: "submitted", draft: "draft saved", due: "not started yet", overdue: "overdue" };

async function cycleFrom(request: Request): Promise<{ cycle: CycleSummary } | { problem: Message }> {
  const typed = request.interaction.text.trim().replace(/^#/, "");
  const number = numberSchema.safeParse(typed);
  if (!number.success) return { problem: message(`"${typed.slice(0, 20)}" isn't a cycle number. Try reports, or reports 3 for cycle #3.`) };
  const cycle = await findCycle(request.ctx, number.data);
  if (!cycle) return { problem: message(number.data ? `There's no cycle #${number.data}.` : "No reporting cycle is open yet. Open one with cycle.") };
  return { cycle };
}

/** `reports [number]`: each organisation's report in the cycle, with its RAG now and before. */
export async function showReports(request: Request): Promise<Message> {
  const found = await cycleFrom(request);
  if ("problem" in found) return found.problem;
  const { cycle } = found;
  const day = today(request.ctx);
  const counts: Record<ReportState, number> = { submitted: 0, draft: 0, due: 0, overdue: 0 };
  const items: string[] = [];
  for await (const row of allCycleReportRows(request.ctx, cycle.id)) {
    const state = reportState(row, cycle.dueOn, day);
    counts[state]++;
    const draft = state === "overdue" && row.status === "draft" ? " (draft saved)" : "";
    const rag = `RAG ${row.rag ? ragShort[row.rag] : "not given"}, before ${row.previousRag ? ragShort[row.previousRag] : "none"}`;
    items.push(`${row.organisationName}: ${stateWords[state]}${draft}; ${rag}${row.remindersStopped ? "; reminders paused" : ""}`);
  }
  if (items.length === 0) return message(`Cycle #${cycle.number} (${cycle.label}) covers no organisations.`);
  return message(
    `Cycle #${cycle.number}: ${counts.submitted} of ${items.length} submitted`,
    heading(`Cycle #${cycle.number}: ${cycle.label}`),
    {
      type: "fields",
      fields: [
        { label: "Due", value: describeDay(cycle.dueOn) },
        { label: "Submitted", value: String(counts.submitted) },
        { label: "Draft", value: String(counts.draft) },
        { label: "Not started", value: String(counts.due) },
        { label: "Overdue", value: String(counts.overdue) },
      ],
    },
    { type: "list", items },
    buttons({ label: "Export every field (CSV)", verb: "reports export", text: String(cycle.number) }),
    note("RAG is each organisation's own picture of where it is, not a grade."),
  );
}

/** `reports export [number]`: a signed link, for an hour, to the cycle's CSV. */
export async function exportReports(request: Request): Promise<Message> {
  const { ctx } = request;
  if (!ctx.links) return message("Exports need the bot's web address (TI_PUBLIC_URL), which isn't set.");
  const found = await cycleFrom(request);
  if ("problem" in found) return found.problem;
  const { cycle } = found;
  await recordAudit(request, { action: "reports.export", subject: `cycle #${cycle.number}`, detail: cycle.label });
  const link = ctx.links.sign(`/downloads/reports/${cycle.number}.csv`, new Date(ctx.now().getTime() + exportLinkMs));
  return message(
    `Cycle #${cycle.number}'s reports (CSV)`,
    formatted(`[Download cycle #${cycle.number}'s reports (CSV)](${link})`),
    note("The link works for an hour. Anyone with the link can download the file, so please don't forward it."),
  );
}

export const reportExportColumns = [
  "cycle", "cycle_label", "due_on", "organisation", "sector", "locality", "status", "lead", "submitted_at", "updated_at",
  "rag_previous", "rag", "summary", "successes", "challenges_resources", "challenges_budget", "challenges_timescales", "upcoming_milestones",
  "key_action_1", "key_action_1_status", "key_action_1_note", "key_action_2", "key_action_2_status", "key_action_2_note",
  ...maturityDomains.map((domain) => `maturity_${domain}`),
  "reminders_paused",
] as const;

/** The CSV of a cycle's reports; null when there is no such cycle. */
export async function reportsCsv(ctx: CoreContext, number: number): Promise<DownloadFile | null> {
  const cycle = await findCycle(ctx, number);
  if (!cycle) return null;
  const day = today(ctx);
  async function* rows(): AsyncGenerator<string[]> {
    for await (const row of allCycleReportRows(ctx, cycle!.id)) yield csvRow(cycle!, row, reportState(row, cycle!.dueOn, day));
  }
  return { kind: "csv", filename: `reports-cycle-${number}.csv`, columns: reportExportColumns, rows: rows() };
}

function csvRow(cycle: { number: number; label: string; dueOn: Date }, row: CycleReportRow, state: ReportState): string[] {
  const milestones = ((row.milestones ?? []) as Milestone[]).map((milestone) => `${milestone.dueOn} - ${milestone.text}`).join("\n");
  const progress = (row.keyActionProgress ?? []) as KeyActionProgress[];
  const actions = [0, 1].flatMap((index) => {
    const action = progress[index];
    return action ? [action.text, keyActionStatusLabels[action.status], action.note ?? ""] : ["", "", ""];
  });
  const maturity = (row.maturity ?? {}) as Partial<Record<MaturityDomain, MaturityLevel>>;
  const cells = [
    String(cycle.number), cycle.label, cycle.dueOn.toISOString().slice(0, 10), row.organisationName, sectorLabels[row.sector], row.locality ?? "", state,
    row.leadName ?? "", row.submittedAt?.toISOString() ?? "", row.updatedAt?.toISOString() ?? "",
    row.previousRag ?? "", row.rag ?? "", row.summary ?? "", row.successes ?? "", row.challengeResources ?? "", row.challengeBudget ?? "", row.challengeTimescales ?? "",
    milestones, ...actions, ...maturityDomains.map((domain) => (maturity[domain] ? maturityLevelLabels[maturity[domain]] : "")),
    row.remindersStopped ? "yes" : "no",
  ];
  return cells.map(safeCell);
}

/** Text people typed can start with `=`, `+`, `-` or `@`; a spreadsheet would run it as a formula. */
function safeCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
