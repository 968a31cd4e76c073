import { DateTime } from "luxon";
import { z } from "zod";
import { joinFirst } from "../kernel/join-first.js";
import { command, type CoreContext, type Request } from "../kernel/context.js";
import { dateAnswer, fieldErrors, optionValues, single, withSubmission } from "../kernel/form-values.js";
import { formatDate, trainingLevelLabels } from "../kernel/labels.js";
import { message, note, text, type Form, type View } from "../kernel/view.js";
import { courseTitleMax } from "./course-form.js";
import { earnedLevel, levelSuggestion } from "./suggest-level.js";

const other = "other";
/** A select offers at most 100 options on both platforms; the newest courses are kept, and "other" covers the rest. */
const offeredMax = 99;

const doneSchema = z.object({
  course: z.string({ error: "Please choose the training you did, or \"Something else\"." }),
  otherTitle: z.string().trim().max(courseTitleMax, `Please keep the title to ${courseTitleMax} characters or fewer.`).optional(),
});

/** `training done`: the form. */
export async function startRecordTraining(request: Request): Promise<View> {
  if (!request.requester.member) return joinFirst(request, "Training records");
  return doneForm(request.ctx);
}

/** Today in the network's time zone, `YYYY-MM-DD`: the latest day training can have been finished. */
function today(ctx: CoreContext): string {
  return DateTime.fromJSDate(ctx.now(), { zone: ctx.timeZone }).toISODate()!;
}

async function doneForm(ctx: CoreContext): Promise<Form> {
  const courses = await ctx.prisma.trainingCourse.findMany({ where: { networkId: ctx.networkId, retiredAt: null }, orderBy: { number: "desc" }, take: offeredMax });
  const offered = courses.sort((a, b) => a.number - b.number).map((course) => ({ value: String(course.number), label: `#${course.number} ${course.title} (${trainingLevelLabels[course.level]})`.slice(0, 75) }));
  return {
    type: "form",
    verb: "training done",
    title: "Training I've done",
    submitLabel: "Save",
    intro: [
      text("Record training you've completed: a course from the network's offer, or something else."),
      note("Only you see your training record. Coordinators see only counts by organisation and sector, never who did what. If you leave, it's deleted."),
    ],
    inputs: [
      { type: "select", id: "course", label: "Which training?", options: [...offered, { value: other, label: "Something else (give its title below)" }] },
      { type: "text", id: "otherTitle", label: "Its title, if something else", optional: true, maxLength: courseTitleMax, hint: "Only needed for training that isn't in the list." },
      { type: "date", id: "completedOn", label: "When did you finish it?", max: today(ctx), hint: "Roughly is fine." },
    ],
    context: {},
  };
}

/** The form came back: the record is saved, and a higher level is suggested, never set. */
export async function submitRecordTraining(request: Request): Promise<View> {
  const { ctx, requester, interaction } = request;
  if (!requester.member) return joinFirst(request, "Training records");
  const values = interaction.form?.values ?? {};
  const form = await doneForm(ctx);
  const parsed = doneSchema.safeParse({ course: single(values, "course"), otherTitle: single(values, "otherTitle") });
  const errors = parsed.success ? {} : fieldErrors(parsed.error);
  const completedOn = dateAnswer(values, "completedOn", errors, {
    min: "1950-01-01",
    max: today(ctx),
    say: {
      missing: "Please choose the date you finished it.",
      late: "That date is still to come. Please give the day you finished it; you can record training once it's done.",
    },
  });
  const chosen = single(values, "course");
  if (chosen !== undefined && !optionValues(form, "course").has(chosen)) errors.course = "Please choose from the list.";
  if (chosen === other && !single(values, "otherTitle")) errors.otherTitle = "Please give the training's title.";
  if (!parsed.success || !completedOn || Object.keys(errors).length > 0) return withSubmission(form, values, errors);
  const { course: number, otherTitle } = parsed.data;
  const course = number === other ? null : await ctx.prisma.trainingCourse.findFirst({ where: { networkId: ctx.networkId, number: Number(number), retiredAt: null } });
  if (number !== other && !course) return withSubmission(form, values, { course: "That course has just been retired. Please choose another, or \"Something else\"." });
  await ctx.prisma.trainingRecord.create({
    data: { memberId: requester.member.id, courseId: course?.id ?? null, otherTitle: course ? null : otherTitle!, completedOn: new Date(`${completedOn}T00:00:00Z`), createdAt: ctx.now() },
  });
  const title = course?.title ?? otherTitle!;
  const reply = `Saved: ${title}, finished ${formatDate(new Date(`${completedOn}T00:00:00Z`), "UTC")}.`;
  const suggestion = levelSuggestion(await earnedLevel(ctx, requester.member.id), requester.member.trainingLevel);
  return message(reply, text(reply), ...suggestion, note(`Only you see your record: ${command(requester.address.platform, "training mine")}.`));
}
