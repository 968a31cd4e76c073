import type { TrainingCourse } from "../../db/generated/client.js";
import { recordAudit } from "../kernel/audit.js";
import { command, type CoreContext, type Request } from "../kernel/context.js";
import { many, optionValues, withSubmission } from "../kernel/form-values.js";
import { formatDate, people, trainingLevelLabels } from "../kernel/labels.js";
import { localParts, message, note, text, type Choice, type Form, type Message, type View } from "../kernel/view.js";
import { findEvent, loadEvent, type StoredEvent } from "../events/find-event.js";
import { suggestLevelsAfterAttendance } from "./attendance-suggestion.js";

/** A multi-select offers at most 100 options on both platforms. */
const listedMax = 100;

const answerWords: Record<string, string> = { going: "said going", maybe: "said maybe", declined: "said can't make it" };

/** `training attendance 4`: who took part, as a list to tick, for the session's facilitator or a coordinator. */
export async function startAttendance(request: Request): Promise<View> {
  const found = await findEvent(request, "training attendance");
  if ("problem" in found) return found.problem;
  const allowed = await mayTakeAttendance(request, found.event);
  if ("refusal" in allowed) return allowed.refusal;
  const form = await attendanceForm(request.ctx, found.event, allowed.course);
  if (optionValues(form, "attended").size === 0) return message(`Nobody was invited to ${found.event.title}, so there's nobody to list. People who took part can record it themselves with ${command(request.requester.address.platform, "training done")}.`);
  return form;
}

/**
 * The list came back. The event in it is untrusted: who sent it is checked again, and only people the
 * list offered are touched. Each one ticked has one record from this event; one unticked, none.
 */
export async function submitAttendance(request: Request): Promise<View> {
  const { ctx, interaction } = request;
  const number = Number(interaction.form?.context.event);
  const event = Number.isInteger(number) && number > 0 && number < 1e9 ? await loadEvent(ctx, number) : null;
  if (!event) return message("Sorry, I can't find that event any more, so nothing was changed.");
  const allowed = await mayTakeAttendance(request, event);
  if ("refusal" in allowed) return allowed.refusal;
  const { course } = allowed;
  const values = interaction.form?.values ?? {};
  const form = await attendanceForm(ctx, event, course);
  const offered = optionValues(form, "attended");
  const ticked = [...new Set(many(values, "attended"))];
  if (ticked.some((memberId) => !offered.has(memberId))) return withSubmission(form, values, { attended: "Please choose from the list." });

  const completedOn = new Date(`${localParts(event.startsAt.toISOString(), ctx.timeZone).date}T00:00:00Z`);
  const chosen = new Set(ticked);
  const { added, removed } = await ctx.prisma.$transaction(async (tx) => {
    const had = new Set((await tx.trainingRecord.findMany({ where: { eventId: event.id, memberId: { in: [...offered] } }, select: { memberId: true } })).map((row) => row.memberId));
    const added = ticked.filter((memberId) => !had.has(memberId));
    const removed = [...had].filter((memberId) => !chosen.has(memberId));
    if (added.length > 0) {
      await tx.trainingRecord.createMany({
        data: added.map((memberId) => ({ memberId, courseId: course.id, eventId: event.id, completedOn, createdAt: ctx.now() })),
        skipDuplicates: true,
      });
    }
    if (ticked.length > 0) await tx.trainingRecord.updateMany({ where: { eventId: event.id, memberId: { in: ticked } }, data: { courseId: course.id, completedOn } });
    if (removed.length > 0) await tx.trainingRecord.deleteMany({ where: { eventId: event.id, memberId: { in: removed } } });
    return { added, removed };
  });
  const offeredLevel = await suggestLevelsAfterAttendance(ctx, { event, course, memberIds: added });
  await recordAudit(request, {
    action: "training.attendance",
    subject: `event #${event.number}`,
    detail: `course #${course.number}; ${ticked.length} took part; ${added.length} added, ${removed.length} taken off`,
  });
  const summary = `Attendance for ${event.title} is saved: ${people(ticked.length)} took part.`;
  const changes = [
    added.length > 0 ? `${people(added.length)} newly have course #${course.number} on their training record, dated ${formatDate(completedOn, "UTC")}.` : "",
    removed.length > 0 ? `${people(removed.length)} unticked had it taken off their record.` : "",
    offeredLevel > 0 ? `${people(offeredLevel)} will be offered a higher level for their profile, within sending hours; it changes only if they say yes.` : "",
  ].filter(Boolean);
  return message(
    summary,
    text([summary, ...changes].join(" ")),
    note(`Each person sees their own record with ${command(request.requester.address.platform, "training mine")}; coordinators see counts only. Change the list any time with ${command(request.requester.address.platform, `training attendance ${event.number}`)}.`),
  );
}

/** The course the event delivers when the requester may take its attendance now; otherwise a kind refusal. */
async function mayTakeAttendance({ ctx, requester }: Request, event: StoredEvent): Promise<{ course: TrainingCourse } | { refusal: Message }> {
  const platform = requester.address.platform;
  const course = event.trainingCourseId ? await ctx.prisma.trainingCourse.findFirst({ where: { id: event.trainingCourseId, networkId: ctx.networkId } }) : null;
  if (!course) {
    return { refusal: message(`Event #${event.number}, ${event.title}, isn't a session of a course from the training offer, so there's no attendance to take. Nothing was changed.`) };
  }
  const facilitates = requester.member !== null && event.facilitatorId === requester.member.id;
  if (!requester.isCoordinator && !facilitates) {
    return { refusal: message(`Only the session's facilitator or a coordinator can take attendance for event #${event.number}, so nothing was changed. If you ran it, please ask a coordinator to name you as its facilitator.`) };
  }
  if (event.status === "cancelled") return { refusal: message(`Event #${event.number}, ${event.title}, was cancelled, so there's no attendance to take.`) };
  if (event.status === "draft" || event.startsAt > ctx.now()) {
    return { refusal: message(`${event.title} hasn't started yet. You can take attendance once it starts, on ${formatDate(event.startsAt, ctx.timeZone)}, with ${command(platform, `training attendance ${event.number}`)}.`) };
  }
  return { course };
}

/** Who to list: those already recorded from it, then those who said going or maybe, then everyone else invited, up to the cap. */
async function attendanceForm(ctx: CoreContext, event: StoredEvent, course: TrainingCourse): Promise<Form> {
  const person = { select: { displayName: true, organisation: { select: { name: true } } } } as const;
  const current = { leftAt: null, networkId: ctx.networkId };
  const [recorded, answered, others, invited] = await Promise.all([
    ctx.prisma.trainingRecord.findMany({ where: { eventId: event.id, member: current }, select: { memberId: true, member: person }, orderBy: { member: { displayName: "asc" } }, take: listedMax }),
    ctx.prisma.eventInvitation.findMany({
      where: { eventId: event.id, answer: { in: ["going", "maybe"] }, member: current },
      select: { memberId: true, answer: true, member: person },
      orderBy: [{ answer: "asc" }, { member: { displayName: "asc" } }],
      take: listedMax,
    }),
    ctx.prisma.eventInvitation.findMany({
      where: { eventId: event.id, OR: [{ answer: null }, { answer: "declined" }], member: current },
      select: { memberId: true, answer: true, member: person },
      orderBy: { member: { displayName: "asc" } },
      take: listedMax,
    }),
    ctx.prisma.eventInvitation.count({ where: { eventId: event.id, member: current } }),
  ]);
  const answers = new Map([...answered, ...others].map((row) => [row.memberId, row.answer]));
  const options: Choice[] = [];
  const listed = new Set<string>();
  for (const row of [...recorded, ...answered, ...others]) {
    if (listed.has(row.memberId) || options.length >= listedMax) continue;
    listed.add(row.memberId);
    const answer = answers.get(row.memberId);
    const said = answer ? answerWords[answer] : answers.has(row.memberId) ? "no answer" : "not invited";
    const label = `${row.member.displayName}${row.member.organisation ? `, ${row.member.organisation.name}` : ""} (${said})`;
    options.push({ value: row.memberId, label: label.length > 75 ? `${label.slice(0, 72)}…` : label });
  }
  const day = formatDate(event.startsAt, ctx.timeZone);
  const intro = [
    text(`Who took part in ${event.title} on ${day}? Tick everyone who did: each gets course #${course.number}, ${course.title} (${trainingLevelLabels[course.level]}), on their training record, dated ${day}.`),
    note("Untick someone to take it off their record. Each person sees their own record and may be offered a higher level for their profile; it's never changed for them. Coordinators see counts only."),
  ];
  const total = Math.max(invited, options.length);
  if (options.length < total) intro.push(note(`Showing ${options.length} of ${total} people: anyone already ticked and those who said going or maybe come first. Anyone not listed can record it themselves with "training done".`));
  return {
    type: "form",
    verb: "training attendance",
    title: `Attendance #${event.number}`.slice(0, 24),
    submitLabel: "Save attendance",
    intro,
    inputs: [{ type: "multiselect", id: "attended", label: "Who took part?", optional: true, options, values: recorded.map((row) => row.memberId) }],
    context: { event: String(event.number) },
  };
}
