import { z } from "zod";
import type { FormValues } from "../kernel/interaction.js";
import { fieldErrors, single } from "../kernel/form-values.js";
import { choicesOf } from "../kernel/labels.js";
import { note, text, type Block, type Form, type Input } from "../kernel/view.js";
import { describeDay, parseDay, type Day } from "./days.js";
import type { OpenRequest } from "./find-request.js";
import { describeKeyAction } from "./key-actions.js";
import {
  keyActionStatusLabels,
  keyActionStatuses,
  maturityDomainLabels,
  maturityDomains,
  maturityLevelLabels,
  maturityLevels,
  ragLabels,
  ragShort,
  rags,
  type MaturityDomain,
  type MaturityLevel,
} from "./report-labels.js";

export interface Milestone {
  text: string;
  dueOn: Day;
}

export interface KeyActionProgress {
  keyActionId: string;
  text: string;
  status: (typeof keyActionStatuses)[number];
  note: string | null;
}

/** A report as the form reads it back. */
export interface ReportAnswers {
  submit: boolean;
  rag: (typeof rags)[number] | null;
  summary: string | null;
  successes: string | null;
  challengeResources: string | null;
  challengeBudget: string | null;
  challengeTimescales: string | null;
  milestones: Milestone[];
  keyActionProgress: KeyActionProgress[];
  maturity: Partial<Record<MaturityDomain, MaturityLevel>> | null;
}

const longText = (what: string, max: number) => z.string().trim().max(max, `Please keep ${what} to ${max.toLocaleString("en-GB")} characters or fewer.`).optional();
const maxMilestones = 10;

const reportSchema = z.object({
  action: z.enum(["submit", "draft"], { error: "Please choose to submit or save a draft." }),
  rag: z.enum(rags, { error: "Please choose Red, Amber or Green from the list." }).optional(),
  summary: longText("the summary", 3_000),
  successes: longText("the successes", 3_000),
  challengeResources: longText("this", 2_000),
  challengeBudget: longText("this", 2_000),
  challengeTimescales: longText("this", 2_000),
  milestones: longText("the milestones", 3_000),
  ...Object.fromEntries(maturityDomains.map((domain) => [`maturity_${domain}`, z.enum(maturityLevels, { error: "Please choose from the list." }).optional()])),
});

const longInput = (id: string, label: string, value: string | null | undefined, extra: Partial<Input & { type: "text" }> = {}): Input => ({
  type: "text",
  id,
  label,
  multiline: true,
  optional: true,
  maxLength: 3_000,
  value: value ?? "",
  ...extra,
});

/** The RAG milestone report form, in the West Yorkshire format, filled with what was saved before. */
export function reportForm(request: OpenRequest, previous: { rag: "red" | "amber" | "green"; cycleLabel: string } | null): Form {
  const report = request.report;
  const submitted = report?.status === "submitted";
  const progress = (report?.keyActionProgress ?? []) as unknown as KeyActionProgress[];
  const maturity = (report?.maturity ?? {}) as Partial<Record<MaturityDomain, MaturityLevel>>;
  const milestones = ((report?.milestones ?? []) as unknown as Milestone[]).map((milestone) => `${describeDay(milestone.dueOn)} - ${milestone.text}`).join("\n");
  const intro: Block[] = [
    text(`${request.organisation.name}: milestone report for ${request.cycle.label}, due ${describeDay(request.cycle.dueOn)}.`),
    note(previous ? `Overall RAG last time (${previous.cycleLabel}): ${ragShort[previous.rag]}.` : "This is the first report on record, so there's no previous RAG."),
    note(
      "Only the RAG and summary are needed to submit; everything else is optional. RAG is a picture of where things are, not a grade. " +
        "Coordinators and your organisation's champions see the report, and it goes into the network's board pack. Any champion of your organisation can pick up a draft.",
    ),
  ];
  if (submitted && report.submittedAt) intro.push(note(`Submitted on ${describeDay(report.submittedAt)}${report.leadName ? ` by ${report.leadName}` : ""}. Saving again amends it.`));
  const inputs: Input[] = [
    { type: "select", id: "rag", label: "Overall RAG now", optional: true, options: choicesOf(ragLabels), value: report?.rag ?? undefined },
    longInput("summary", "Summary", report?.summary, { hint: "Where things are, in a few sentences." }),
    longInput("successes", "Successes", report?.successes),
    longInput("challengeResources", "Current challenges: resources", report?.challengeResources, { maxLength: 2_000 }),
    longInput("challengeBudget", "Current challenges: budget", report?.challengeBudget, { maxLength: 2_000 }),
    longInput("challengeTimescales", "Current challenges: timescales", report?.challengeTimescales, { maxLength: 2_000 }),
    longInput("milestones", "Upcoming milestones", milestones, { hint: "One a line, a date then what: 30/06/2027 - Launch the training for reception staff", placeholder: "30/06/2027 - Launch the training" }),
  ];
  for (const action of request.organisation.keyActions) {
    const saved = progress.find((entry) => entry.keyActionId === action.id);
    inputs.push(
      { type: "select", id: `progress${action.position}`, label: `Key action ${action.position}: ${describeKeyAction(action)}`.slice(0, 300), options: choicesOf(keyActionStatusLabels), value: saved?.status ?? action.status },
      { type: "text", id: `progress${action.position}Note`, label: `Key action ${action.position}: a note on progress`, optional: true, maxLength: 1_000, value: saved?.note ?? "" },
    );
  }
  for (const domain of maturityDomains) {
    inputs.push({ type: "select", id: `maturity_${domain}`, label: `Maturity: ${maturityDomainLabels[domain]}`, optional: true, options: choicesOf(maturityLevelLabels), value: maturity[domain] });
  }
  if (!submitted) {
    inputs.push({ type: "select", id: "action", label: "Submit now, or save a draft?", options: [{ value: "submit", label: "Submit the report" }, { value: "draft", label: "Save as a draft to finish later" }], value: "submit" });
  }
  return { type: "form", verb: "report", title: "Milestone report", submitLabel: "Save", intro, inputs, context: { request: request.id } };
}

/** Reads the report form back: the answers, or every problem keyed by input id. */
export function readReport(values: FormValues, request: OpenRequest, today: Day): { answers: ReportAnswers; errors: Record<string, string> } {
  const submitted = request.report?.status === "submitted";
  const raw = Object.fromEntries(["rag", "summary", "successes", "challengeResources", "challengeBudget", "challengeTimescales", "milestones", ...maturityDomains.map((domain) => `maturity_${domain}`)].map((id) => [id, single(values, id)]));
  const parsed = reportSchema.safeParse({ ...raw, action: submitted ? "submit" : (single(values, "action") ?? "submit") });
  const errors = parsed.success ? {} : fieldErrors(parsed.error);
  const data = parsed.success ? parsed.data : null;
  const submit = submitted || single(values, "action") !== "draft";
  if (submit && !raw.rag) errors.rag = "Please choose Red, Amber or Green: it's a picture of where things are, not a grade.";
  if (submit && !raw.summary) errors.summary = "Please write a short summary (or save a draft and come back to it).";
  const milestones = readMilestones(single(values, "milestones") ?? "", today);
  if (milestones.error) errors.milestones = milestones.error;
  const keyActionProgress: KeyActionProgress[] = [];
  for (const action of request.organisation.keyActions) {
    const status = single(values, `progress${action.position}`) ?? action.status;
    const note = single(values, `progress${action.position}Note`)?.trim() ?? null;
    if (!(keyActionStatuses as readonly string[]).includes(status)) errors[`progress${action.position}`] = "Please choose from the list.";
    else if (note && note.length > 1_000) errors[`progress${action.position}Note`] = "Please keep the note to 1,000 characters or fewer.";
    else keyActionProgress.push({ keyActionId: action.id, text: action.text, status: status as KeyActionProgress["status"], note: note || null });
  }
  const maturity = Object.fromEntries(maturityDomains.flatMap((domain) => (raw[`maturity_${domain}`] ? [[domain, raw[`maturity_${domain}`]]] : []))) as ReportAnswers["maturity"];
  return {
    errors,
    answers: {
      submit,
      rag: data?.rag ?? null,
      summary: data?.summary || null,
      successes: data?.successes || null,
      challengeResources: data?.challengeResources || null,
      challengeBudget: data?.challengeBudget || null,
      challengeTimescales: data?.challengeTimescales || null,
      milestones: milestones.list,
      keyActionProgress,
      maturity: maturity && Object.keys(maturity).length > 0 ? maturity : null,
    },
  };
}

/**
 * Upcoming milestones, one a line as `date - what`: every line with a problem is named in one message,
 * so nothing has to be guessed.
 *
 * @example
 * readMilestones("30/06/2027 - Launch the training", "2026-11-22") // { list: [{ text: "Launch the training", dueOn: "2027-06-30" }] }
 */
export function readMilestones(typed: string, today: Day): { list: Milestone[]; error?: string } {
  const lines = typed.split("\n").map((line) => line.trim()).filter(Boolean);
  const list: Milestone[] = [];
  const problems: string[] = [];
  if (lines.length > maxMilestones) return { list, error: `Please list up to ${maxMilestones} milestones.` };
  lines.forEach((line, index) => {
    const match = /^(.+?)(?:\s+[-–—]|:)\s+(.+)$/.exec(line);
    const dueOn = match ? parseDay(match[1]!) : null;
    if (!match || !dueOn) problems.push(`line ${index + 1} needs a date first, like "30/06/2027 - Launch the training"`);
    else if (dueOn < today) problems.push(`line ${index + 1}: ${describeDay(dueOn)} has passed, and milestones here are still to come`);
    else list.push({ dueOn, text: match[2]!.slice(0, 500) });
  });
  if (problems.length === 0) return { list };
  const joined = problems.join("; ");
  return { list, error: `${joined[0]!.toUpperCase()}${joined.slice(1)}.` };
}
