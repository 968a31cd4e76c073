import { z } from "zod";
import type { Prisma } from "../../db/generated/client.js";
import type { Request } from "../kernel/context.js";
import type { FormValues } from "../kernel/interaction.js";
import { dateAnswer, fieldErrors, single, withSubmission } from "../kernel/form-values.js";
import { choicesOf } from "../kernel/labels.js";
import { message, note, text, type Form, type Input, type View } from "../kernel/view.js";
import { dateToDay, describeDay } from "./days.js";
import { keyActionStatusLabels, keyActionStatuses } from "./report-labels.js";

/** The partner pledge asks for two key actions for the next 12 months. */
export const keyActionSlots = 2;

export interface KeyActionRow {
  id: string;
  text: string;
  targetDate: Date | null;
  status: (typeof keyActionStatuses)[number];
  position: number;
}

export interface KeyActionAnswer {
  position: number;
  text: string | null;
  targetDate: string | null;
  status: (typeof keyActionStatuses)[number];
}

/** The inputs for an organisation's key actions: words, target date and status, one set per slot. */
export function keyActionInputs(existing: readonly KeyActionRow[]): Input[] {
  return Array.from({ length: keyActionSlots }, (_, index) => {
    const position = index + 1;
    const action = existing.find((candidate) => candidate.position === position);
    return [
      { type: "text", id: `action${position}`, label: `Key action ${position}`, optional: true, multiline: true, maxLength: 500, value: action?.text ?? "", placeholder: "e.g. Trauma-informed training for every front-door team" },
      { type: "date", id: `action${position}Date`, label: `Key action ${position}: target date`, optional: true, ...(action?.targetDate ? { value: dateToDay(action.targetDate) } : {}) },
      { type: "select", id: `action${position}Status`, label: `Key action ${position}: where it is`, options: choicesOf(keyActionStatusLabels), value: action?.status ?? "not_started" },
    ] satisfies Input[];
  }).flat();
}

const answerSchema = z.object({
  text: z.string().trim().max(500, "Please keep a key action to 500 characters or fewer.").optional(),
  status: z.enum(keyActionStatuses, { error: "Please choose from the list." }),
});

/** Reads the key action inputs back; errors are keyed by input id. */
export function readKeyActions(values: FormValues): { answers: KeyActionAnswer[]; errors: Record<string, string> } {
  const answers: KeyActionAnswer[] = [];
  const errors: Record<string, string> = {};
  for (let position = 1; position <= keyActionSlots; position++) {
    const parsed = answerSchema.safeParse({
      text: single(values, `action${position}`),
      status: single(values, `action${position}Status`) ?? "not_started",
    });
    if (!parsed.success) {
      for (const [key, problem] of Object.entries(fieldErrors(parsed.error))) errors[`action${position}${key === "text" ? "" : key[0]!.toUpperCase() + key.slice(1)}`] = problem;
      continue;
    }
    const targetDate = dateAnswer(values, `action${position}Date`, errors, { optional: true }) ?? null;
    if (single(values, `action${position}Date`) && !parsed.data.text) errors[`action${position}`] = "Please write the key action too, or clear its date.";
    answers.push({ position, text: parsed.data.text || null, targetDate, status: parsed.data.status });
  }
  return { answers, errors };
}

/** Writes the answers: a slot with words is created or updated, a slot emptied is removed. */
export async function saveKeyActions(tx: Prisma.TransactionClient, organisationId: string, answers: readonly KeyActionAnswer[]): Promise<void> {
  for (const answer of answers) {
    const existing = await tx.keyAction.findFirst({ where: { organisationId, position: answer.position } });
    if (!answer.text) {
      if (existing) await tx.keyAction.delete({ where: { id: existing.id } });
      continue;
    }
    const data = { text: answer.text, targetDate: answer.targetDate ? new Date(`${answer.targetDate}T00:00:00Z`) : null, status: answer.status };
    if (existing) await tx.keyAction.update({ where: { id: existing.id }, data });
    else await tx.keyAction.create({ data: { ...data, organisationId, position: answer.position } });
  }
}

/** `Train every front-door team (in progress, by 31 Mar 2027)` */
export function describeKeyAction(action: Pick<KeyActionRow, "text" | "targetDate" | "status">): string {
  const by = action.targetDate ? `, by ${describeDay(action.targetDate)}` : "";
  return `${action.text} (${keyActionStatusLabels[action.status].toLowerCase()}${by})`;
}

/** The organisation a champion can update key actions for, or why they can't. */
async function ownOrganisation({ ctx, requester }: Request): Promise<{ id: string; name: string } | { problem: string }> {
  const member = requester.member;
  if (!member?.organisationId) return { problem: "Key actions belong to an organisation. Join the network with your organisation first (join)." };
  if (member.role === "member") return { problem: `Your organisation's champions keep its key actions up to date. If you'd like to be one, ask a coordinator.` };
  const organisation = await ctx.prisma.organisation.findFirst({ where: { id: member.organisationId, networkId: ctx.networkId }, select: { id: true, name: true } });
  return organisation ?? { problem: "I couldn't find your organisation. Please check it with join." };
}

/** `org actions`: a champion's form for their own organisation's key actions. */
export async function keyActionsForm(request: Request): Promise<View> {
  const organisation = await ownOrganisation(request);
  if ("problem" in organisation) return message(organisation.problem, text(organisation.problem));
  const existing = await request.ctx.prisma.keyAction.findMany({ where: { organisationId: organisation.id }, orderBy: { position: "asc" } });
  return keyActionsFormFor(organisation, existing);
}

function keyActionsFormFor(organisation: { id: string; name: string }, existing: readonly KeyActionRow[]): Form {
  return {
    type: "form",
    verb: "keyactions",
    title: "Key actions",
    submitLabel: "Save",
    intro: [
      text(`${organisation.name}'s pledge key actions: what you're working on over the next 12 months, and where each one is.`),
      note("Every field is optional. Coordinators and your organisation's champions see these; they go in the network's reports to its board."),
    ],
    inputs: keyActionInputs(existing),
    context: { organisation: organisation.id },
  };
}

/** The key actions form came back. */
export async function submitKeyActions(request: Request): Promise<View> {
  const organisation = await ownOrganisation(request);
  if ("problem" in organisation) return message(organisation.problem, text(organisation.problem));
  const values = request.interaction.form?.values ?? {};
  const form = keyActionsFormFor(organisation, []);
  const { answers, errors } = readKeyActions(values);
  if (Object.keys(errors).length > 0) return withSubmission(form, values, errors);
  await request.ctx.prisma.$transaction((tx) => saveKeyActions(tx, organisation.id, answers));
  const saved = answers.filter((answer) => answer.text).length;
  const reply = `Thanks. ${organisation.name}'s key actions are saved (${saved} of ${keyActionSlots}).`;
  return message(reply);
}
