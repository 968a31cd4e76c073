import { z } from "zod";
import { Prisma } from "../../db/generated/client.js";
import { audienceSchema, describeAudience, recipientsQuery, type Audience } from "../kernel/audience.js";
import { audienceErrors, audienceInputIds, audienceInputs, readAudience } from "../kernel/audience-form.js";
import { recordAudit } from "../kernel/audit.js";
import { command, type CoreContext, type Request } from "../kernel/context.js";
import { fieldErrors, many, optionValues, single, withSubmission } from "../kernel/form-values.js";
import { people } from "../kernel/labels.js";
import { firstSendingTime, queueDeliveries } from "../kernel/outbox.js";
import { describeSendingHours, parseSendingHours } from "../kernel/sending-hours.js";
import { buttons, divider, heading, message, note, text, type Block, type Form, type View } from "../kernel/view.js";
import { dayOf, findNeedsSurvey, minimumGroup, needsPurpose, needsSurveyMessage, openDayChoices, standingTopics, type NeedsSurvey } from "./needs-survey.js";

const dayMs = 86_400_000;

const surveySchema = z.object({
  openDays: z.enum(openDayChoices.map(String) as [string, ...string[]], { error: "Please choose how long it stays open." }).transform(Number),
  audience: audienceSchema,
});

/** `needs survey`: the form choosing who is asked, and for how long. */
export async function newNeedsSurvey({ ctx }: Request): Promise<View> {
  return surveyForm(ctx);
}

async function surveyForm(ctx: CoreContext): Promise<Form> {
  const [audience, network] = await Promise.all([
    audienceInputs(ctx),
    ctx.prisma.network.findUniqueOrThrow({ where: { id: ctx.networkId }, select: { sendingHours: true } }),
  ]);
  return {
    type: "form",
    verb: "needs survey",
    title: "Learning-needs survey",
    submitLabel: "Preview",
    intro: [
      text("Ask people which levels and topics they'd like training in next, and what gets in the way (time, cover, cost, something else). Every question is optional for them."),
      note(
        `It goes out in sending hours (${describeSendingHours(parseSendingHours(network.sendingHours))}), once per person, with Not now and Stop these. ` +
          `Answers are anonymous; you see counts only, for groups of ${minimumGroup(ctx)} or more. You'll see a preview first.`,
      ),
    ],
    inputs: [
      ...audience,
      {
        type: "select",
        id: "openDays",
        label: "Open for",
        options: openDayChoices.map((days) => ({ value: String(days), label: days % 7 === 0 ? `${days / 7} ${days === 7 ? "week" : "weeks"}` : `${days} days` })),
        value: "14",
      },
    ],
    context: {},
  };
}

/** The form came back: a draft survey, and a preview saying who it reaches and when. */
export async function submitNeedsSurvey(request: Request): Promise<View> {
  const { ctx, interaction } = request;
  const values = interaction.form?.values ?? {};
  const form = await surveyForm(ctx);
  const parsed = surveySchema.safeParse({ openDays: single(values, "openDays") ?? "14", audience: readAudience(values) });
  const errors = parsed.success ? {} : audienceErrors(fieldErrors(parsed.error), parsed.error);
  for (const id of [...audienceInputIds, "openDays"]) {
    const offered = optionValues(form, id);
    if (many(values, id).some((value) => !offered.has(value))) errors[id] = "Please choose from the list.";
  }
  if (!parsed.success || Object.keys(errors).length > 0) return withSubmission(form, values, errors);
  const principles = await ctx.prisma.principle.findMany({ where: { networkId: ctx.networkId }, orderBy: { position: "asc" }, select: { name: true } });
  const draft = await ctx.prisma.learningNeedsSurvey.create({
    data: { networkId: ctx.networkId, audience: parsed.data.audience, openDays: parsed.data.openDays, topics: [...principles.map((principle) => principle.name), ...standingTopics], createdAt: ctx.now() },
    select: { number: true },
  });
  return preview(request, (await findNeedsSurvey(ctx, draft.number))!, parsed.data.audience);
}

/** Members of the audience still to be asked: not opted out, not answered already. */
function stillToAsk(ctx: CoreContext, survey: NeedsSurvey, audience: Audience): Prisma.Sql {
  return Prisma.sql`
    SELECT r.* FROM (${recipientsQuery(ctx, audience)}) r JOIN "Member" m ON m."id" = r."memberId"
    WHERE m."learningNeedsOptedOutAt" IS NULL
      AND NOT EXISTS (SELECT 1 FROM "LearningNeedsParticipation" p WHERE p."surveyId" = ${survey.id} AND p."memberId" = r."memberId")
      AND NOT EXISTS (SELECT 1 FROM "Delivery" d WHERE d."purposeKey" = ${needsPurpose(survey.number)} AND d."memberId" = r."memberId")`;
}

async function preview({ ctx }: Request, survey: NeedsSurvey, audience: Audience): Promise<View> {
  const [[counted], organisations] = await Promise.all([
    ctx.prisma.$queryRaw<{ count: number }[]>`SELECT count(*)::int AS "count" FROM (${stillToAsk(ctx, survey, audience)}) s`,
    ctx.prisma.organisation.findMany({ where: { id: { in: audience.organisations } }, select: { id: true, name: true } }),
  ]);
  const total = counted?.count ?? 0;
  const shown = { ...survey, closesAt: new Date(ctx.now().getTime() + survey.openDays * dayMs) };
  const blocks: Block[] = [
    heading(`Preview of learning-needs survey #${survey.number}`),
    note("This is what people will get:"),
    divider(),
    ...needsSurveyMessage(ctx, shown).blocks,
    divider(),
    {
      type: "fields",
      fields: [
        { label: "Who", value: describeAudience(audience, new Map(organisations.map((organisation) => [organisation.id, organisation.name]))) },
        { label: "Recipients", value: `${people(total)} (anyone who said Stop these is left out)` },
        { label: "Open for", value: `${survey.openDays} days from when it goes out` },
      ],
    },
  ];
  if (total === 0) {
    blocks.push(text("Nobody in this audience can be asked, so there's nothing to send. Start again with a wider audience."));
    return message(`Preview of learning-needs survey #${survey.number}: nobody to ask`, ...blocks);
  }
  blocks.push(buttons({ label: `Send to ${people(total)}`, verb: "needs send", text: String(survey.number), style: "primary" }));
  return message(`Preview of learning-needs survey #${survey.number}: ${people(total)}`, ...blocks);
}

/**
 * `needs send 3`, from the preview: queues the survey in sending hours to everyone in its audience not yet
 * asked. Pressed again, it asks only people who have joined the audience since: nobody is asked twice.
 */
export async function sendNeedsSurvey(request: Request): Promise<View> {
  const { ctx, interaction, requester } = request;
  const survey = await findNeedsSurvey(ctx, Number(interaction.text.trim().replace(/^#/, "")));
  const platform = requester.address.platform;
  if (!survey) return message(`I can't find that learning-needs survey. Start one with ${command(platform, "needs survey")}.`);
  if (survey.closedAt || (survey.closesAt && survey.closesAt <= ctx.now())) return message(`Learning-needs survey #${survey.number} has closed, so it can't be sent. ${command(platform, `needs results ${survey.number}`)} shows what people said.`);
  const audience = audienceSchema.parse(survey.audience);
  const firstSend = survey.sentAt === null;
  if (firstSend) {
    const goesAt = await firstSendingTime(ctx, ctx.now(), true);
    await ctx.prisma.learningNeedsSurvey.updateMany({
      where: { id: survey.id, sentAt: null },
      data: { sentAt: ctx.now(), closesAt: new Date(goesAt.getTime() + survey.openDays * dayMs) },
    });
  }
  const sent = (await findNeedsSurvey(ctx, survey.number))!;
  const asked = await queueDeliveries(ctx, { purposeKey: needsPurpose(sent.number), view: needsSurveyMessage(ctx, sent), recipients: stillToAsk(ctx, sent, audience), respectQuietHours: true });
  if (asked > 0) await ctx.prisma.learningNeedsSurvey.update({ where: { id: sent.id }, data: { askedCount: { increment: asked } } });
  if (!firstSend && asked === 0) {
    return message(`Learning-needs survey #${sent.number} has already gone to everyone in its audience, so nobody was asked twice. ${command(platform, `needs results ${sent.number}`)} shows how it's going.`);
  }
  await recordAudit(request, { action: "training.needs.send", subject: `learning-needs survey #${sent.number}`, detail: `to ${people(asked)}` });
  const who = firstSend ? people(asked) : `${people(asked)} who joined its audience since it was first sent`;
  return message(
    `Learning-needs survey #${sent.number} is on its way to ${who}, in sending hours. It's open until ${dayOf(ctx, sent.closesAt!)}.`,
    text(`Learning-needs survey #${sent.number} is on its way to ${who}, in sending hours. It's open until ${dayOf(ctx, sent.closesAt!)}.`),
    note(`See what people said with ${command(platform, `needs results ${sent.number}`)}: counts only, once ${minimumGroup(ctx)} or more have answered.`),
  );
}
