import { Prisma, type TrainingCourse } from "../../db/generated/client.js";
import { recordAudit } from "../kernel/audit.js";
import { command, type CoreContext, type Request } from "../kernel/context.js";
import { withSubmission } from "../kernel/form-values.js";
import { trainingLevelLabels } from "../kernel/labels.js";
import { message, note, text, type View } from "../kernel/view.js";
import { courseForm, readCourseForm, type CourseAnswers } from "./course-form.js";
import { findCourse, loadCourse } from "./find-course.js";
import { courseLine } from "./training-labels.js";

/** `training add`: the course form. */
export async function newCourseForm(): Promise<View> {
  return courseForm();
}

/** `training edit 3`: the course form, prefilled. */
export async function editCourse(request: Request): Promise<View> {
  const found = await findCourse(request, "training edit");
  if ("problem" in found) return found.problem;
  if (found.course.retiredAt) return message(`Course #${found.course.number} is retired, so it can't be changed. Add it again with ${command(request.requester.address.platform, "training add")} if it's back.`);
  return courseForm(found.course);
}

/** The course form came back: a new course, or changes to one still on offer. */
export async function submitCourseForm(request: Request): Promise<View> {
  const { ctx, interaction } = request;
  const values = interaction.form?.values ?? {};
  const named = interaction.form?.context.course;
  const number = Number(named);
  const existing = named && Number.isInteger(number) && number > 0 ? await loadCourse(ctx, number) : null;
  if (named && (!existing || existing.retiredAt)) return message("Sorry, that course isn't on offer any more, so nothing was changed.");
  const form = courseForm(existing ?? undefined);
  const read = readCourseForm(form, values);
  if ("errors" in read) return withSubmission(form, values, read.errors);
  const saved = existing
    ? await ctx.prisma.trainingCourse.update({ where: { id: existing.id }, data: read.answers })
    : await createCourse(ctx, read.answers);
  await recordAudit(request, { action: existing ? "training.course.edit" : "training.course.add", subject: `training course #${saved.number}`, detail: saved.title });
  const summary = existing ? `Course #${saved.number} is saved.` : `Course #${saved.number} is in the training offer, at ${trainingLevelLabels[saved.level]} level.`;
  const platform = request.requester.address.platform;
  return message(summary, text(summary), { type: "list", items: [courseLine(saved)] }, note(`Everyone who has joined sees it with ${command(platform, "training")}. Change it with ${command(platform, `training edit ${saved.number}`)}.`));
}

/** Numbers count up within the network; two coordinators adding at once both get one (the second tries again). */
async function createCourse(ctx: CoreContext, answers: CourseAnswers): Promise<TrainingCourse> {
  for (let attempt = 0; ; attempt++) {
    const last = await ctx.prisma.trainingCourse.aggregate({ where: { networkId: ctx.networkId }, _max: { number: true } });
    try {
      return await ctx.prisma.trainingCourse.create({ data: { networkId: ctx.networkId, number: (last._max.number ?? 0) + 1, ...answers, createdAt: ctx.now() } });
    } catch (error) {
      if (attempt < 5 && error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") continue;
      throw error;
    }
  }
}
