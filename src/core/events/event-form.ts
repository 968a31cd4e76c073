import { z } from "zod";
import { audienceSchema, type Audience } from "../kernel/audience.js";
import { audienceErrors, audienceInputIds, audienceInputs, readAudience } from "../kernel/audience-form.js";
import type { CoreContext } from "../kernel/context.js";
import { dateAnswer, dateTimeAnswer, fieldErrors, instantAt, many, optionValues, single, timeAnswer } from "../kernel/form-values.js";
import type { FormValues } from "../kernel/interaction.js";
import { localParts, note, text, type Form, type Input } from "../kernel/view.js";

export const eventTitleMax = 120;
export const eventDescriptionMax = 2_000;
export const cadences = ["once", "6", "12", "3"] as const;
const cadenceLabels: Record<(typeof cadences)[number], string> = {
  once: "Just this once",
  "6": "Every six months",
  "12": "Every year",
  "3": "Every three months",
};

/** What a coordinator says about an event, checked. Times are instants; the form reads them in the network's zone. */
export interface EventDetails {
  title: string;
  description: string;
  startsAt: Date;
  endsAt: Date;
  location: string | null;
  joinUrl: string | null;
  capacity: number | null;
  audience: Audience;
}

/** The form's answers: the event, how often it repeats (new events only), and when to invite. */
export interface EventAnswers {
  details: EventDetails;
  cadenceMonths: number | null;
  /** Null: invite now (within sending hours). */
  inviteAt: Date | null;
}

/** What the form is prefilled with when editing. */
export interface EventDraft extends EventDetails {
  number: number;
  status: "draft" | "scheduled" | "cancelled";
  invitedAt: Date | null;
  inviteAt: Date | null;
}

const optionalText = (max: number, label: string) =>
  z
    .string()
    .trim()
    .max(max, `Please keep the ${label} to ${max.toLocaleString("en-GB")} characters or fewer.`)
    .optional()
    .transform((value) => (value ? value : null));

const fieldsSchema = z.object({
  title: z.string({ error: "Please give the event a title." }).trim().min(1, "Please give the event a title.").max(eventTitleMax, `Please keep the title to ${eventTitleMax} characters or fewer.`),
  description: optionalText(eventDescriptionMax, "description").transform((value) => value ?? ""),
  location: optionalText(200, "place"),
  joinUrl: z
    .url({ protocol: /^https?$/, error: "Please give a full web link starting https://, or leave it empty." })
    .max(500, "Please keep the link to 500 characters or fewer.")
    .optional()
    .transform((value) => value ?? null),
  capacity: z
    .string()
    .trim()
    .regex(/^\d{1,6}$/, "Please give the number of places as a whole number, like 40, or leave it empty.")
    .transform(Number)
    .refine((value) => value > 0, "Please give at least 1 place, or leave it empty for no limit.")
    .optional()
    .transform((value) => value ?? null),
  repeat: z.enum(cadences, { error: "Please choose from the list." }),
  invite: z.enum(["now", "later"], { error: "Please choose from the list." }),
  audience: audienceSchema,
});

/** The event form: new, or prefilled from an event being edited (or a drafted occurrence being adjusted). */
export async function eventForm(ctx: CoreContext, draft?: EventDraft): Promise<Form> {
  const invited = Boolean(draft?.invitedAt);
  const local = (at: Date) => localParts(at.toISOString(), ctx.timeZone);
  const now = ctx.now().toISOString();
  const today = local(ctx.now()).date;
  const inputs: Input[] = [
    { type: "text", id: "title", label: "Title", maxLength: eventTitleMax, value: draft?.title ?? "", placeholder: "e.g. Network gathering: winter" },
    { type: "text", id: "description", label: "What it's about", optional: true, multiline: true, maxLength: eventDescriptionMax, value: draft?.description ?? "" },
    {
      type: "datetime",
      id: "starts",
      label: "Starts",
      timeZone: ctx.timeZone,
      min: now,
      hint: `In ${ctx.timeZone} time. Each person sees it in their own time where their app can.`,
      ...(draft ? { value: draft.startsAt.toISOString() } : {}),
    },
    { type: "time", id: "ends", label: "Ends", timeZone: ctx.timeZone, ...(draft ? { value: local(draft.endsAt).time } : {}) },
    {
      type: "date",
      id: "endsOn",
      label: "Ends on a later day",
      optional: true,
      min: today,
      hint: "Only for an event over several days: the day it ends. Left empty, it ends the day it starts.",
      ...(draft && local(draft.endsAt).date !== local(draft.startsAt).date ? { value: local(draft.endsAt).date } : {}),
    },
    { type: "text", id: "location", label: "Place, in person", optional: true, maxLength: 200, value: draft?.location ?? "", hint: "Give a place, a join link, or both." },
    { type: "text", id: "joinUrl", label: "Join link, online", optional: true, maxLength: 500, value: draft?.joinUrl ?? "", placeholder: "https://…" },
    { type: "text", id: "capacity", label: "Places", optional: true, maxLength: 6, value: draft?.capacity ? String(draft.capacity) : "", hint: "Leave empty for no limit. When it's full, people can join a waiting list." },
    ...(await audienceInputs(ctx, draft?.audience)),
  ];
  if (!draft) {
    inputs.push({ type: "select", id: "repeat", label: "Repeats", options: cadences.map((value) => ({ value, label: cadenceLabels[value] })), value: "once", hint: "A repeating event is drafted for you ahead of each time; you confirm it before anyone is invited." });
  }
  if (!invited) {
    inputs.push(
      {
        type: "select",
        id: "invite",
        label: "Send the invites",
        options: [
          { value: "now", label: "Now (within sending hours)" },
          { value: "later", label: "Later, at the time below" },
        ],
        value: draft?.inviteAt ? "later" : "now",
      },
      {
        type: "datetime",
        id: "inviteOn",
        label: "Invite on",
        optional: true,
        timeZone: ctx.timeZone,
        min: now,
        hint: "Only if later: when to send them.",
        ...(draft?.inviteAt ? { value: draft.inviteAt.toISOString() } : {}),
      },
    );
  }
  return {
    type: "form",
    verb: "event",
    title: draft ? `Event #${draft.number}` : "New event",
    submitLabel: draft ? "Save" : "Save and invite",
    intro: [
      text(
        invited
          ? "Change what you need. Everyone invited who hasn't declined is told what changed, once, with an updated calendar file."
          : "Plan a network event. Invites go to the people you choose, with Going / Maybe / Can't make it buttons and a calendar file.",
      ),
      note("Invitees see the title, when, where and the description. Coordinators see who answered what."),
    ],
    inputs,
    context: draft ? { event: String(draft.number) } : {},
  };
}

/** Reads the form back: every problem at once, keyed by input id, or the answers. */
export function readEventForm(ctx: CoreContext, form: Form, values: FormValues): { errors: Record<string, string> } | { answers: EventAnswers } {
  const editing = Boolean(form.context.event);
  const parsed = fieldsSchema.safeParse({
    title: single(values, "title"),
    description: single(values, "description"),
    location: single(values, "location"),
    joinUrl: single(values, "joinUrl"),
    capacity: single(values, "capacity"),
    repeat: editing ? "once" : (single(values, "repeat") ?? "once"),
    invite: single(values, "invite") ?? "now",
    audience: readAudience(values),
  });
  const errors = parsed.success ? {} : audienceErrors(fieldErrors(parsed.error), parsed.error);
  for (const id of [...audienceInputIds, "repeat", "invite"]) {
    const offered = optionValues(form, id);
    if (offered.size > 0 && many(values, id).some((value) => !offered.has(value))) errors[id] = "Please choose from the list.";
  }
  const now = ctx.now();
  const times = readTimes(ctx, values, now, errors);
  const inviteAt = readInviteAt(ctx, values, now, times?.startsAt, errors);
  if (!single(values, "location") && !single(values, "joinUrl")) errors.location ??= "Please give a place, a join link, or both.";
  if (!parsed.success || !times || inviteAt === undefined || Object.keys(errors).length > 0) return { errors };
  const { repeat, invite: _invite, ...details } = parsed.data;
  return { answers: { details: { ...details, ...times }, cadenceMonths: repeat === "once" ? null : Number(repeat), inviteAt } };
}

function readTimes(ctx: CoreContext, values: FormValues, now: Date, errors: Record<string, string>): { startsAt: Date; endsAt: Date } | undefined {
  const startsAt = dateTimeAnswer(values, "starts", ctx.timeZone, errors, {
    min: new Date(now.getTime() + 1),
    say: { missing: "Please choose the day and time it starts.", early: "That time has already passed. Please choose a time in the future." },
  });
  const endTime = timeAnswer(values, "ends", errors, { say: { missing: "Please choose the time it ends." } });
  const endDay = dateAnswer(values, "endsOn", errors, { optional: true });
  if (!startsAt || !endTime || errors.endsOn) return undefined;
  const day = endDay ?? localParts(startsAt.toISOString(), ctx.timeZone).date;
  const endsAt = instantAt(day, endTime, ctx.timeZone);
  if (!endsAt) errors.ends = `The clocks go forward that night, so ${endTime} doesn't happen. Please choose another time.`;
  else if (endsAt <= startsAt) errors[endDay ? "endsOn" : "ends"] = endDay ? "Please choose an end after the start." : "Please choose an end after the start, or a later day below.";
  return endsAt && endsAt > startsAt ? { startsAt, endsAt } : undefined;
}

/** Null to invite now; undefined when the chosen time is missing or can't be used (an error says why). */
function readInviteAt(ctx: CoreContext, values: FormValues, now: Date, startsAt: Date | undefined, errors: Record<string, string>): Date | null | undefined {
  if ((single(values, "invite") ?? "now") !== "later") return null;
  const at = dateTimeAnswer(values, "inviteOn", ctx.timeZone, errors, {
    min: new Date(now.getTime() + 1),
    say: {
      missing: "Please say when to send the invites, or choose to send them now.",
      early: "That time has already passed. Please choose a later time, or send the invites now.",
    },
  });
  if (at && startsAt && at >= startsAt) errors.inviteOn = "Please choose a time before the event starts.";
  return at && !errors.inviteOn ? at : undefined;
}
