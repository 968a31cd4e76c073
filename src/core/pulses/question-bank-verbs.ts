import { z } from "zod";
import { recordAudit } from "../kernel/audit.js";
import type { Request } from "../kernel/context.js";
import { fieldErrors, optionValues, single, withSubmission } from "../kernel/form-values.js";
import { heading, message, note, type Block, type Form, type View } from "../kernel/view.js";
import { agreementScale, frequencyScale } from "./question-bank.js";

const scales = { frequency: frequencyScale, agreement: agreementScale } as const;
const questionSchema = z.object({
  principle: z.string({ error: "Please choose a principle." }).min(1, "Please choose a principle."),
  text: z.string({ error: "Please write the question." }).trim().min(10, "Please write the question (10 characters or more).").max(300, "Please keep the question to 300 characters or fewer."),
  scale: z.enum(["frequency", "agreement"], { error: "Please choose a scale." }),
});

/** `pulse questions`: the bank by principle, with each question's number for edit and retire. */
export async function listPulseQuestions({ ctx }: Request): Promise<View> {
  const principles = await ctx.prisma.principle.findMany({
    where: { networkId: ctx.networkId },
    orderBy: { position: "asc" },
    select: { name: true, pulseQuestions: { where: { retiredAt: null }, orderBy: { position: "asc" }, select: { position: true, text: true, scaleLabels: true } } },
  });
  const blocks: Block[] = [heading("Pulse questions")];
  for (const principle of principles) {
    blocks.push({ type: "list", items: [`${principle.name}:`, ...principle.pulseQuestions.map((question) => `Q${question.position}: ${question.text} (${question.scaleLabels[0]} … ${question.scaleLabels[4]})`)] });
  }
  blocks.push(note('Rounds rotate through the principles. "pulse add" adds a question, "pulse edit <number>" changes one, "pulse retire <number>" stops asking it.'));
  return message("The pulse question bank", ...blocks);
}

/** `pulse retire 7`: never asked again; past rounds keep their results. */
export async function retirePulseQuestion(request: Request): Promise<View> {
  const { ctx, interaction } = request;
  const number = Number(interaction.text.trim().replace(/^q/i, ""));
  const question = Number.isInteger(number) ? await ctx.prisma.pulseQuestion.findFirst({ where: { networkId: ctx.networkId, position: number, retiredAt: null } }) : null;
  if (!question) return message(`I can't find question "${interaction.text.trim().slice(0, 20)}" in use. "pulse questions" lists them with their numbers.`);
  await ctx.prisma.pulseQuestion.update({ where: { id: question.id }, data: { retiredAt: ctx.now() } });
  await recordAudit(request, { action: "pulse.question.retire", subject: `pulse question Q${number}` });
  return message(`Q${number} won't be asked again. Its past results stay.`);
}

/** `pulse add`, or `pulse edit 7`: the question form. */
export async function pulseQuestionForm(request: Request): Promise<View> {
  const { ctx, interaction } = request;
  const editing = interaction.verb === "pulse edit";
  const number = Number(interaction.text.trim().replace(/^q/i, ""));
  const question = editing && Number.isInteger(number) ? await ctx.prisma.pulseQuestion.findFirst({ where: { networkId: ctx.networkId, position: number, retiredAt: null } }) : null;
  if (editing && !question) return message(`I can't find question "${interaction.text.trim().slice(0, 20)}" in use. "pulse questions" lists them with their numbers.`);
  return questionForm(request, question ? { number, principleId: question.principleId, text: question.text, scale: question.scaleLabels[0] === agreementScale[0] ? "agreement" : "frequency" } : undefined);
}

async function questionForm({ ctx }: Request, draft?: { number: number; principleId: string; text: string; scale: string }): Promise<Form> {
  const principles = await ctx.prisma.principle.findMany({ where: { networkId: ctx.networkId }, orderBy: { position: "asc" }, select: { id: true, name: true } });
  return {
    type: "form",
    verb: "pulse question",
    title: draft ? `Edit Q${draft.number}` : "New pulse question",
    submitLabel: "Save",
    intro: [note("Members answer on a 1-5 scale with words at each point. Their answers are anonymous.")],
    inputs: [
      { type: "select", id: "principle", label: "Principle", options: principles.map((principle) => ({ value: principle.id, label: principle.name })), ...(draft ? { value: draft.principleId } : {}) },
      { type: "text", id: "text", label: "Question", maxLength: 300, value: draft?.text ?? "", placeholder: "This week, how often did…" },
      {
        type: "select",
        id: "scale",
        label: "Scale",
        options: [
          { value: "frequency", label: frequencyScale.join(" / ") },
          { value: "agreement", label: agreementScale.join(" / ") },
        ],
        value: draft?.scale ?? "frequency",
      },
    ],
    context: draft ? { question: String(draft.number) } : {},
  };
}

/**
 * The question form came back. Editing a question already asked keeps the old one, retired, with its
 * results, and adds the new wording under a new number, so past results still mean what was asked.
 */
export async function submitPulseQuestion(request: Request): Promise<View> {
  const { ctx, interaction } = request;
  const values = interaction.form?.values ?? {};
  const form = await questionForm(request);
  const parsed = questionSchema.safeParse({ principle: single(values, "principle"), text: single(values, "text"), scale: single(values, "scale") });
  const errors = parsed.success ? {} : fieldErrors(parsed.error);
  for (const id of ["principle", "scale"]) {
    const value = single(values, id);
    if (value !== undefined && !optionValues(form, id).has(value)) errors[id] = "Please choose from the list.";
  }
  if (!parsed.success || Object.keys(errors).length > 0) return withSubmission(form, values, errors);
  const data = { principleId: parsed.data.principle, text: parsed.data.text, scaleLabels: [...scales[parsed.data.scale]] };
  const editedNumber = Number(interaction.form?.context.question);
  const edited = Number.isInteger(editedNumber) ? await ctx.prisma.pulseQuestion.findFirst({ where: { networkId: ctx.networkId, position: editedNumber, retiredAt: null }, include: { _count: { select: { rounds: true } } } }) : null;
  if (edited && edited._count.rounds === 0) {
    await ctx.prisma.pulseQuestion.update({ where: { id: edited.id }, data });
    await recordAudit(request, { action: "pulse.question.edit", subject: `pulse question Q${editedNumber}` });
    return message(`Q${editedNumber} is saved.`);
  }
  const last = await ctx.prisma.pulseQuestion.aggregate({ where: { networkId: ctx.networkId }, _max: { position: true } });
  const position = (last._max.position ?? 0) + 1;
  await ctx.prisma.$transaction(async (tx) => {
    if (edited) await tx.pulseQuestion.update({ where: { id: edited.id }, data: { retiredAt: ctx.now() } });
    await tx.pulseQuestion.create({ data: { ...data, networkId: ctx.networkId, position } });
  });
  await recordAudit(request, { action: edited ? "pulse.question.edit" : "pulse.question.add", subject: `pulse question Q${position}` });
  return message(edited ? `Q${editedNumber} had been asked before, so it keeps its results and is retired; your new wording is Q${position}.` : `Added as Q${position}.`);
}
