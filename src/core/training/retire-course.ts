import { recordAudit } from "../kernel/audit.js";
import { command, type Request } from "../kernel/context.js";
import { message, note, text, type View } from "../kernel/view.js";
import { findCourse } from "./find-course.js";

/** `training retire 3`: the course is offered no more; records of people who completed it stay as they are. */
export async function retireCourse(request: Request): Promise<View> {
  const found = await findCourse(request, "training retire");
  if ("problem" in found) return found.problem;
  const { course } = found;
  if (course.retiredAt) return message(`Course #${course.number}, ${course.title}, is already retired. Nothing was changed.`);
  await request.ctx.prisma.trainingCourse.update({ where: { id: course.id }, data: { retiredAt: request.ctx.now() } });
  await recordAudit(request, { action: "training.course.retire", subject: `training course #${course.number}`, detail: course.title });
  const summary = `Course #${course.number}, ${course.title}, is retired.`;
  return message(
    summary,
    text(`${summary} It's no longer in the offer or in the "training done" form.`),
    note(`Records of people who completed it stay, and still count towards their level. ${command(request.requester.address.platform, "training")} shows the offer now.`),
  );
}
