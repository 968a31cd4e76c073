import { recordAudit } from "../kernel/audit.js";
import { people } from "../kernel/labels.js";
import type { Request } from "../kernel/context.js";
import { withSubmission } from "../kernel/form-values.js";
import { describeMoment } from "../kernel/sending-hours.js";
import { message, note, text, type View } from "../kernel/view.js";
import { eventBlocks, withCourse } from "./event-card.js";
import { eventForm, readEventForm, type EventAnswers } from "./event-form.js";
import { loadEvent, type StoredEvent } from "./find-event.js";
import { saveChanges } from "./change-event.js";
import { sendInvites } from "./send-invites.js";

/** `event new`: the form. */
export async function newEventForm({ ctx }: Request): Promise<View> {
  return eventForm(ctx);
}

/** The event form came back: a new event, or changes to one (see {@link saveChanges}). */
export async function submitEventForm(request: Request): Promise<View> {
  const { ctx, interaction } = request;
  const values = interaction.form?.values ?? {};
  const number = Number(interaction.form?.context.event);
  const existing = Number.isInteger(number) && number > 0 ? await loadEvent(ctx, number) : null;
  if (interaction.form?.context.event && !existing) return message("Sorry, I can't find that event any more. Nothing was changed.");
  const form = await eventForm(ctx, existing ?? undefined);
  const read = readEventForm(ctx, form, values);
  if ("errors" in read) return withSubmission(form, values, read.errors);
  return existing ? saveChanges(request, existing, read.answers) : createEvent(request, read.answers);
}

/** What links an event to the training it delivers: the course, and who facilitates (and may take attendance). */
export interface TrainingLink {
  trainingCourseId: string;
  facilitatorId: string | null;
}

/** Saves a new event (or the first of a series) and invites its audience now or at the time chosen. */
export async function createEvent(request: Request, answers: EventAnswers, training?: TrainingLink): Promise<View> {
  const { ctx, requester } = request;
  const { details, cadenceMonths, inviteAt } = answers;
  const createdById = requester.member?.id ?? null;
  const series = cadenceMonths
    ? await ctx.prisma.eventSeries.create({
        data: {
          networkId: ctx.networkId,
          title: details.title,
          description: details.description,
          cadenceMonths,
          firstStartsAt: details.startsAt,
          durationMinutes: Math.round((details.endsAt.getTime() - details.startsAt.getTime()) / 60_000),
          location: details.location,
          joinUrl: details.joinUrl,
          capacity: details.capacity,
          audience: details.audience,
          createdById,
        },
      })
    : null;
  const created = await ctx.prisma.networkEvent.create({
    data: {
      networkId: ctx.networkId,
      ...details,
      seriesId: series?.id ?? null,
      occurrence: series ? 0 : null,
      inviteAt: inviteAt ?? ctx.now(),
      createdById,
      ...training,
    },
    include: withCourse,
  });
  const event: StoredEvent = { ...created, audience: details.audience };
  const repeats = cadenceMonths ? `, repeating every ${cadenceMonths === 12 ? "year" : `${cadenceMonths} months`}` : "";
  await recordAudit(request, { action: "event.create", subject: `event #${event.number}`, detail: `${event.title}${repeats}` });
  const intro = inviteAt ? invitesLater(request, event, inviteAt) : await invitesNow(request, event);
  const seriesNote = cadenceMonths ? [note("I'll draft the next one ahead of time and ask you to confirm it before anyone is invited.")] : [];
  return message(intro, text(intro), ...eventBlocks(ctx, event), ...seriesNote);
}

async function invitesNow({ ctx }: Request, event: StoredEvent): Promise<string> {
  const invited = await sendInvites(ctx, event);
  if (invited === 0) return `Event #${event.number} is saved, but nobody matches its audience yet. Edit it with "event edit ${event.number}" to choose a wider one.`;
  return `Event #${event.number} is saved. Invites are on their way to ${people(invited)}, within sending hours.`;
}

function invitesLater({ ctx }: Request, event: StoredEvent, inviteAt: Date): string {
  return `Event #${event.number} is saved. Invites go ${describeMoment(inviteAt, ctx.timeZone, ctx.now())}, to the audience as it is then.`;
}
