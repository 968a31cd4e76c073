import type { TrainingCourse } from "../../db/generated/client.js";
import { command, type CoreContext, type Request } from "../kernel/context.js";
import { optionValues, single, withSubmission } from "../kernel/form-values.js";
import { trainingLevelLabels } from "../kernel/labels.js";
import { message, note, text, type Form, type Input, type Message, type View } from "../kernel/view.js";
import { eventForm, readEventForm } from "../events/event-form.js";
import { createEvent } from "../events/save-event.js";
import { findCourse, loadCourse } from "./find-course.js";
import { trainingFormatLabels } from "./training-labels.js";

/** No facilitator named: coordinators take the attendance. */
const nobody = "none";
/** A select offers at most 100 options on both platforms. */
const facilitatorsMax = 99;

/** `training schedule 3`: the event form, prefilled from the course, with a facilitator to choose. */
export async function scheduleCourse(request: Request): Promise<View> {
  const found = await findCourse(request, "training schedule");
  if ("problem" in found) return found.problem;
  return unschedulable(request, found.course) ?? scheduleForm(request.ctx, found.course);
}

/** The form came back: the course is checked again, then the event is saved linked to it and invites go out. */
export async function submitScheduleCourse(request: Request): Promise<View> {
  const { ctx, interaction } = request;
  const number = Number(interaction.form?.context.course);
  const course = Number.isInteger(number) && number > 0 && number < 1e9 ? await loadCourse(ctx, number) : null;
  if (!course) return message("Sorry, I can't find that course in the offer any more, so nothing was saved.");
  const refusal = unschedulable(request, course);
  if (refusal) return refusal;
  // A session of a course happens once: a forged "repeats" answer is dropped, never read.
  const { repeat: _repeat, ...values } = interaction.form?.values ?? {};
  const form = await scheduleForm(ctx, course);
  const read = readEventForm(ctx, form, values);
  const errors = "errors" in read ? read.errors : {};
  const facilitator = single(values, "facilitator") ?? nobody;
  if (!optionValues(form, "facilitator").has(facilitator)) errors.facilitator = "Please choose from the list.";
  if ("errors" in read || Object.keys(errors).length > 0) return withSubmission(form, values, errors);
  return createEvent(request, read.answers, { trainingCourseId: course.id, facilitatorId: facilitator === nobody ? null : facilitator });
}

/** Why this course can't be scheduled as a session, or undefined when it can. */
function unschedulable({ requester }: Request, course: TrainingCourse): Message | undefined {
  const platform = requester.address.platform;
  if (course.retiredAt) return message(`Course #${course.number}, ${course.title}, is retired, so it can't be scheduled. ${command(platform, "training")} shows the courses on offer.`);
  if (course.format === "elearning") {
    return message(
      `Course #${course.number}, ${course.title}, is e-learning that people do at their own pace, so there's no session to schedule. Members find its link with ${command(platform, "training")}, and record it with ${command(platform, "training done")} when they've finished.`,
    );
  }
  return undefined;
}

/** `Level: Skilled. Format: Facilitated, in person. Provider: …. Length: ….` and the link: what the event's description starts as. */
function courseDescription(course: TrainingCourse): string {
  const facts = [
    `Level: ${trainingLevelLabels[course.level]}.`,
    `Format: ${trainingFormatLabels[course.format]}.`,
    course.provider ? `Provider: ${course.provider}.` : "",
    course.length ? `Length: ${course.length}.` : "",
  ].filter(Boolean);
  return [`A session of course #${course.number} from the network's training offer.`, facts.join(" "), course.link ? `More: ${course.link}` : ""].filter(Boolean).join("\n\n");
}

async function scheduleForm(ctx: CoreContext, course: TrainingCourse): Promise<Form> {
  const [base, candidates] = await Promise.all([
    eventForm(ctx),
    ctx.prisma.member.findMany({
      where: { networkId: ctx.networkId, leftAt: null, role: { in: ["champion", "coordinator"] } },
      orderBy: [{ displayName: "asc" }, { id: "asc" }],
      take: facilitatorsMax,
      select: { id: true, displayName: true, organisation: { select: { name: true } } },
    }),
  ]);
  const facilitator: Input = {
    type: "select",
    id: "facilitator",
    label: "Facilitator",
    optional: true,
    options: [
      { value: nobody, label: "Nobody named: a coordinator takes attendance" },
      ...candidates.map((member) => ({ value: member.id, label: `${member.displayName}${member.organisation ? `, ${member.organisation.name}` : ""}`.slice(0, 75) })),
    ],
    value: nobody,
    hint: "Optional. Champions and coordinators are listed. The facilitator can take attendance after it starts.",
  };
  const prefilled: Record<string, string> = { title: course.title, description: courseDescription(course) };
  const inputs = base.inputs
    .filter((input) => input.id !== "repeat")
    .map((input) => (input.type === "text" && prefilled[input.id] !== undefined ? { ...input, value: prefilled[input.id] } : input));
  const afterDescription = inputs.findIndex((input) => input.id === "description") + 1;
  inputs.splice(afterDescription, 0, facilitator);
  return {
    ...base,
    verb: "training schedule",
    title: `Schedule course #${course.number}`.slice(0, 24),
    intro: [
      text(`Schedule ${course.title} as a network event. Invites go to the people you choose, with Going / Maybe / Can't make it buttons, reminders and a calendar file.`),
      note("Invitees see the title, when, where, the description and which course it is. After it starts, the facilitator or a coordinator ticks who took part, and it goes on their training record."),
    ],
    inputs,
    context: { course: String(course.number) },
  };
}
