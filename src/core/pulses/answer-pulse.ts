import { z } from "zod";
import { joinFirst } from "../kernel/join-first.js";
import { command, type CoreContext, type Request } from "../kernel/context.js";
import { fieldErrors, optionValues, single, withSubmission } from "../kernel/form-values.js";
import { message, note, text, type Form, type Message, type View } from "../kernel/view.js";
import { anonymityNote, dayOf, findOpenRound, findRound, isOpen, type PulseRoundView } from "./pulse-round.js";
import { pulseSettings } from "./settings.js";

export const pulseCommentMaxLength = 500;

const answerSchema = z.object({
  score: z.coerce.number({ error: "Please choose an answer." }).int().min(1, "Please choose an answer.").max(5, "Please choose an answer."),
  comment: z
    .string()
    .trim()
    .max(pulseCommentMaxLength, `Please keep the comment to ${pulseCommentMaxLength} characters or fewer.`)
    .optional()
    .transform((value) => value || undefined),
});

const buttonSchema = z.object({ round: z.coerce.number().int().positive(), score: z.coerce.number().int().min(1).max(5) });

/** `pulse`: the open round's question as a form (a select with the scale's words, and an optional comment). */
export async function startPulse(request: Request): Promise<View> {
  const { ctx, requester, interaction } = request;
  if (!requester.member) return joinFirst(request, "Pulse questions");
  const number = Number(interaction.text.trim());
  const round = Number.isInteger(number) && number > 0 ? await findRound(ctx, number) : await findOpenRound(ctx);
  if (!round || !isOpen(ctx, round)) return nothingOpen(ctx, round);
  const answered = await ctx.prisma.pulseParticipation.count({ where: { roundId: round.id, memberId: requester.member.id } });
  return answered > 0 ? answeredAlready(ctx, round) : pulseForm(ctx, round);
}

export function pulseForm(ctx: CoreContext, round: PulseRoundView): Form {
  return {
    type: "form",
    verb: "pulse",
    title: "Pulse",
    submitLabel: "Send my answer",
    intro: [
      text(`On ${round.principle}: ${round.question}`),
      note(anonymityNote(ctx)),
      note(`The comment is optional. Coordinators see comments without names, only once ${pulseSettings(ctx).minimumGroup} or more people have answered.`),
    ],
    inputs: [
      { type: "select", id: "score", label: "Your answer", options: round.scaleLabels.map((label, index) => ({ value: String(index + 1), label })) },
      { type: "text", id: "comment", label: "Anything you'd like to add?", optional: true, multiline: true, maxLength: pulseCommentMaxLength },
    ],
    context: { round: String(round.number) },
  };
}

/** The pulse form came back. */
export async function submitPulse(request: Request): Promise<View> {
  const { ctx, requester, interaction } = request;
  if (!requester.member) return joinFirst(request, "Pulse questions");
  const values = interaction.form?.values ?? {};
  const round = await findRound(ctx, Number(interaction.form?.context.round));
  if (!round) return nothingOpen(ctx, null);
  const form = pulseForm(ctx, round);
  const parsed = answerSchema.safeParse({ score: single(values, "score"), comment: single(values, "comment") });
  const errors = parsed.success ? {} : fieldErrors(parsed.error);
  const score = single(values, "score");
  if (score !== undefined && !optionValues(form, "score").has(score)) errors.score = "Please choose one of the answers.";
  if (!parsed.success || Object.keys(errors).length > 0) return withSubmission(form, values, errors);
  return answer(ctx, requester.member, round, parsed.data.score, parsed.data.comment);
}

/** `pulse answer 7 4`, from a button on the question: one tap, no comment. */
export async function tapPulseAnswer(request: Request): Promise<View> {
  const { ctx, requester, interaction } = request;
  if (!requester.member) return joinFirst(request, "Pulse questions");
  const [round, score] = interaction.text.trim().split(/\s+/);
  const parsed = buttonSchema.safeParse({ round, score });
  if (!parsed.success) return message("Sorry, I couldn't read that answer. Please type pulse to answer the open question.");
  const found = await findRound(ctx, parsed.data.round);
  if (!found) return nothingOpen(ctx, null);
  return answer(ctx, requester.member, found, parsed.data.score);
}

/** `pulse later 7`: no answer, no pressure; the question gives way to this. */
export async function pulseLater({ ctx, interaction, requester }: Request): Promise<View> {
  const round = await findRound(ctx, Number(interaction.text.trim()));
  const until = round && isOpen(ctx, round) ? ` It stays open until ${dayOf(ctx, round.closesAt)}.` : "";
  return { ...message(`No problem.${until} If you'd like to answer later, type ${command(requester.address.platform, "pulse")}.`), replacesOriginal: true };
}

async function answer(ctx: CoreContext, member: { id: string; organisationId: string | null }, round: PulseRoundView, score: number, comment?: string): Promise<View> {
  if (!isOpen(ctx, round)) return nothingOpen(ctx, round);
  const recorded = await recordPulseAnswer(ctx, { roundId: round.id, memberId: member.id, organisationId: member.organisationId, score, comment });
  if (recorded === "closed") return nothingOpen(ctx, { ...round, closesAt: ctx.now() });
  if (recorded === "answered already") return { ...answeredAlready(ctx, round), replacesOriginal: true };
  const label = round.scaleLabels[score - 1] ?? String(score);
  const reply = `Thank you. Your answer (${label}) is in, without your name.`;
  return {
    ...message(reply, text(reply), note(resultsNote(ctx, round))),
    replacesOriginal: true,
  };
}

/**
 * Stores an answer with no link to the member, and separately that they answered, in one transaction.
 * Stores nothing when they had answered the round already, or it has closed.
 */
export async function recordPulseAnswer(
  ctx: CoreContext,
  answer: { roundId: string; memberId: string; organisationId: string | null; score: number; comment?: string },
): Promise<"recorded" | "answered already" | "closed"> {
  return ctx.prisma.$transaction(async (tx) => {
    // Shares the round's row with other answers and keeps out closing, which counts the answers once.
    const open = await tx.$queryRaw<unknown[]>`SELECT 1 FROM "PulseRound" WHERE "id" = ${answer.roundId} AND "closedAt" IS NULL FOR SHARE`;
    if (open.length === 0) return "closed";
    const participated = await tx.$executeRaw`
      INSERT INTO "PulseParticipation" ("roundId", "memberId") VALUES (${answer.roundId}, ${answer.memberId}) ON CONFLICT DO NOTHING`;
    if (participated === 0) return "answered already";
    const organisation = answer.organisationId
      ? await tx.organisation.findUnique({ where: { id: answer.organisationId }, select: { id: true, sector: true, locality: true } })
      : null;
    // The slice is copied, not linked through the member: the answer never points back at a person.
    await tx.pulseAnswer.create({
      data: {
        roundId: answer.roundId,
        score: answer.score,
        comment: answer.comment ?? null,
        sector: organisation?.sector ?? null,
        locality: organisation?.locality ?? null,
        organisationId: organisation?.id ?? null,
      },
      select: { roundId: true },
    });
    return "recorded";
  });
}

function answeredAlready(ctx: CoreContext, round: PulseRoundView): Message {
  const reply = "You've already answered this one. Thank you. Answers are anonymous, so I can't show or change yours.";
  return message(reply, text(reply), note(resultsNote(ctx, round)));
}

function resultsNote(ctx: CoreContext, round: PulseRoundView): string {
  return `When the round closes on ${dayOf(ctx, round.closesAt)}, everyone who was asked hears what the network said, if ${pulseSettings(ctx).minimumGroup} or more people answered.`;
}

function nothingOpen(ctx: CoreContext, round: PulseRoundView | null): Message {
  if (round && round.closesAt.getTime() <= ctx.now().getTime()) {
    return message(`That pulse closed on ${dayOf(ctx, round.closesAt)}, so it can't take answers now. Thank you for thinking of it. The next one will come to you.`);
  }
  return message("There's no pulse question open just now. The next one will come to you; there's nothing you need to do.");
}

