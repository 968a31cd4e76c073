import { joinFirst } from "../kernel/join-first.js";
import { command, type CoreContext, type Request, type RequesterMember } from "../kernel/context.js";
import { many, optionValues, withSubmission } from "../kernel/form-values.js";
import { choicesOf, trainingLevelLabels, trainingLevels } from "../kernel/labels.js";
import { message, note, text, type Form, type Message, type View } from "../kernel/view.js";
import { barrierLabels, barriers, dayOf, findNeedsSurvey, isOpen, needsAnonymityNote, needsPurpose, type Barrier, type NeedsSurvey } from "./needs-survey.js";
import type { TrainingLevel } from "./training-labels.js";

/** `needs [survey]`: the survey you were sent, as a form: the one named, or the newest open one. */
export async function startNeedsAnswer(request: Request): Promise<View> {
  const { ctx, requester, interaction } = request;
  if (!requester.member) return joinFirst(request, "Learning-needs surveys");
  const typed = interaction.text.trim().replace(/^#/, "");
  const survey = typed ? await findNeedsSurvey(ctx, Number(typed)) : await newestAskedOpen(ctx, requester.member.id);
  const refused = await refusalFor(ctx, requester.member, survey);
  return refused ?? needsForm(ctx, survey!);
}

/** The form came back: checked again against who sent it, then stored without their name. */
export async function submitNeedsAnswer(request: Request): Promise<View> {
  const { ctx, requester, interaction } = request;
  if (!requester.member) return joinFirst(request, "Learning-needs surveys");
  const survey = await findNeedsSurvey(ctx, Number(interaction.form?.context.survey));
  const refused = await refusalFor(ctx, requester.member, survey);
  if (refused) return refused;
  const values = interaction.form?.values ?? {};
  const form = needsForm(ctx, survey!);
  const errors: Record<string, string> = {};
  for (const id of ["levels", "topics", "barriers"]) {
    const offered = optionValues(form, id);
    if (many(values, id).some((value) => !offered.has(value))) errors[id] = "Please choose from the list.";
  }
  const levels = [...new Set(many(values, "levels"))] as TrainingLevel[];
  const topics = [...new Set(many(values, "topics"))];
  const chosenBarriers = [...new Set(many(values, "barriers"))] as Barrier[];
  if (levels.length + topics.length + chosenBarriers.length === 0) errors.survey = "Please choose at least one answer. If you'd rather not answer, that's fine: there's no need to send it.";
  if (Object.keys(errors).length > 0) return withSubmission(form, values, errors);
  const recorded = await recordNeedsAnswer(ctx, { survey: survey!, member: requester.member, levels, topics, barriers: chosenBarriers });
  if (recorded === "closed") return closed(ctx, survey!);
  if (recorded === "answered already") return answeredAlready(survey!);
  const reply = "Thank you. Your answers are in, without your name.";
  return message(reply, text(reply), note(`They help ${ctx.networkName} plan training. Coordinators see counts only, for groups large enough that nobody can be picked out.`));
}

/** `needs later 3`: no answer, no pressure. */
export async function needsLater({ ctx, interaction, requester }: Request): Promise<View> {
  const survey = await findNeedsSurvey(ctx, Number(interaction.text.trim()));
  const until = survey && isOpen(ctx, survey) ? ` It stays open until ${dayOf(ctx, survey.closesAt!)}.` : "";
  return { ...message(`No problem.${until} If you'd like to answer later, type ${command(requester.address.platform, `needs${survey ? ` ${survey.number}` : ""}`)}.`), replacesOriginal: true };
}

function needsForm(ctx: CoreContext, survey: NeedsSurvey): Form {
  return {
    type: "form",
    verb: "needs",
    title: "Training you'd like",
    submitLabel: "Send my answers",
    intro: [
      text("Three quick questions to help plan the network's training. Every one is optional: choose as many answers as you like."),
      note(needsAnonymityNote(ctx)),
    ],
    inputs: [
      { type: "multiselect", id: "levels", label: "Which levels of training would you like next?", optional: true, options: choicesOf(trainingLevelLabels, trainingLevels) },
      { type: "multiselect", id: "topics", label: "Which topics?", optional: true, options: survey.topics.map((topic) => ({ value: topic, label: topic })) },
      { type: "multiselect", id: "barriers", label: "What gets in the way of training?", optional: true, options: choicesOf(barrierLabels, barriers) },
    ],
    context: { survey: String(survey.number) },
  };
}

/** Why this member can't answer this survey now, or nothing when they can. */
async function refusalFor(ctx: CoreContext, member: RequesterMember, survey: NeedsSurvey | null): Promise<Message | undefined> {
  const none = message("There's no learning-needs survey for you to answer just now. Thank you for thinking of it; if one comes, it'll come to you.");
  if (!survey || !survey.sentAt) return none;
  const asked = await ctx.prisma.delivery.count({ where: { purposeKey: needsPurpose(survey.number), memberId: member.id } });
  if (asked === 0) return none;
  if (!isOpen(ctx, survey)) return closed(ctx, survey);
  const answered = await ctx.prisma.learningNeedsParticipation.count({ where: { surveyId: survey.id, memberId: member.id } });
  return answered > 0 ? answeredAlready(survey) : undefined;
}

async function newestAskedOpen(ctx: CoreContext, memberId: string): Promise<NeedsSurvey | null> {
  const [row] = await ctx.prisma.$queryRaw<{ number: number }[]>`
    SELECT s."number" FROM "LearningNeedsSurvey" s
    WHERE s."networkId" = ${ctx.networkId} AND s."closedAt" IS NULL AND s."closesAt" > ${ctx.now()}
      AND EXISTS (SELECT 1 FROM "Delivery" d WHERE d."purposeKey" = 'learning-needs:' || s."number" AND d."memberId" = ${memberId})
    ORDER BY s."number" DESC LIMIT 1`;
  return row ? findNeedsSurvey(ctx, row.number) : null;
}

/**
 * Stores the answer with no link to the member, and separately that they answered, in one transaction.
 * Stores nothing when they had answered already, or the survey has closed.
 */
export async function recordNeedsAnswer(
  ctx: CoreContext,
  answer: { survey: NeedsSurvey; member: RequesterMember; levels: TrainingLevel[]; topics: string[]; barriers: Barrier[] },
): Promise<"recorded" | "answered already" | "closed"> {
  return ctx.prisma.$transaction(async (tx) => {
    // Shares the survey's row with other answers and keeps out closing, which reorders the answers once.
    const open = await tx.$queryRaw<unknown[]>`
      SELECT 1 FROM "LearningNeedsSurvey" WHERE "id" = ${answer.survey.id} AND "closedAt" IS NULL AND "closesAt" > ${ctx.now()} FOR SHARE`;
    if (open.length === 0) return "closed";
    const participated = await tx.$executeRaw`
      INSERT INTO "LearningNeedsParticipation" ("surveyId", "memberId") VALUES (${answer.survey.id}, ${answer.member.id}) ON CONFLICT DO NOTHING`;
    if (participated === 0) return "answered already";
    const organisation = answer.member.organisationId
      ? await tx.organisation.findUnique({ where: { id: answer.member.organisationId }, select: { id: true, sector: true } })
      : null;
    // The slice is copied, not linked through the member: the answer never points back at a person.
    await tx.learningNeedsAnswer.create({
      data: { surveyId: answer.survey.id, levels: answer.levels, topics: answer.topics, barriers: answer.barriers, sector: organisation?.sector ?? null, organisationId: organisation?.id ?? null },
      select: { surveyId: true },
    });
    return "recorded";
  });
}

function answeredAlready(survey: NeedsSurvey): Message {
  return { ...message(`You've already answered learning-needs survey #${survey.number}. Thank you. Answers are anonymous, so I can't show or change yours.`), replacesOriginal: true };
}

function closed(ctx: CoreContext, survey: NeedsSurvey): Message {
  const when = survey.closesAt ? ` on ${dayOf(ctx, survey.closesAt)}` : "";
  return message(`That learning-needs survey closed${when}, so it can't take answers now. Thank you for thinking of it.`);
}
