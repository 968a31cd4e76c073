import { Prisma } from "../../db/generated/client.js";
import type { Request } from "../kernel/context.js";
import { withSubmission } from "../kernel/form-values.js";
import { buttons, message, note, text, type View } from "../kernel/view.js";
import { describeDay, today } from "./days.js";
import { findRequestFor, namedRequestProblem, previousRag, type OpenRequest } from "./find-request.js";
import { readReport, reportForm, type ReportAnswers } from "./report-form.js";
import { holdNudges } from "./report-recipients.js";


/**
 * `report` (or Fill in now on a nudge): the form for my organisation's open request, with what was saved.
 * A nudge's button names its request; the latest open one is what can be filled in either way.
 */
export async function openReport(request: Request): Promise<View> {
  const found = await findRequestFor(request);
  if ("problem" in found) return message(found.problem);
  return reportForm(found.request, await previousRag(request.ctx, found.request.organisationId, found.request.cycle.dueOn));
}

/**
 * The report form came back. A draft keeps whatever was typed; submitting needs the RAG and summary.
 * There is one report per request, so submitting again (or two champions at once) amends it.
 */
export async function submitReport(request: Request): Promise<View> {
  const { ctx, interaction } = request;
  const values = interaction.form?.values ?? {};
  const found = await findRequestFor(request);
  if ("problem" in found) return message(found.problem);
  const open = found.request;
  const mismatch = await namedRequestProblem(ctx, interaction.form?.context.request, open, "form");
  if (mismatch) return message(mismatch);
  const { answers, errors } = readReport(values, open, today(ctx));
  if (Object.keys(errors).length > 0) {
    return withSubmission(reportForm(open, await previousRag(ctx, open.organisationId, open.cycle.dueOn)), values, errors);
  }
  const saved = await saveReport(request, open, answers);
  if (answers.submit) await holdNudges(ctx, open.id, "report submitted");
  if (!answers.submit) {
    return message(
      "Draft saved",
      text(`Your draft of ${open.organisation.name}'s report is saved. Come back to it any time with report: any champion of ${open.organisation.name} can pick it up.`),
      buttons({ label: "Carry on now", verb: "report", text: open.id }),
    );
  }
  const amended = saved.amended ? "amended" : "in";
  return message(
    `${open.organisation.name}'s report is ${amended}`,
    text(`Thank you. ${open.organisation.name}'s report for ${open.cycle.label} is ${amended}, and there'll be no more reminders about it.`),
    note(`Coordinators can see it now. You can amend it with report until the next cycle opens (due ${describeDay(open.cycle.dueOn)}).`),
  );
}

async function saveReport({ ctx, requester }: Request, open: OpenRequest, answers: ReportAnswers): Promise<{ amended: boolean }> {
  const wasSubmitted = open.report?.status === "submitted";
  const fields = {
    rag: answers.rag,
    summary: answers.summary,
    successes: answers.successes,
    challengeResources: answers.challengeResources,
    challengeBudget: answers.challengeBudget,
    challengeTimescales: answers.challengeTimescales,
    milestones: answers.milestones as unknown as Prisma.InputJsonValue,
    keyActionProgress: answers.keyActionProgress as unknown as Prisma.InputJsonValue,
    maturity: answers.maturity ?? Prisma.DbNull,
    leadName: requester.member?.displayName ?? null,
    authorId: requester.member?.id ?? null,
    updatedAt: ctx.now(),
    ...(answers.submit ? { status: "submitted" as const } : {}),
  };
  await ctx.prisma.$transaction(async (tx) => {
    const report = await tx.milestoneReport.upsert({
      where: { requestId: open.id },
      create: { ...fields, requestId: open.id, submittedAt: answers.submit ? ctx.now() : null },
      update: fields,
    });
    if (answers.submit && !report.submittedAt) await tx.milestoneReport.update({ where: { id: report.id }, data: { submittedAt: ctx.now() } });
    if (answers.submit) {
      for (const progress of answers.keyActionProgress) {
        await tx.keyAction.updateMany({ where: { id: progress.keyActionId, organisationId: open.organisationId }, data: { status: progress.status } });
      }
    }
  });
  return { amended: wasSubmitted };
}
