import { DateTime } from "luxon";
import { z } from "zod";
import { audienceSchema, type Audience } from "../kernel/audience.js";
import { audienceErrors, audienceInputIds, audienceInputs, readAudience } from "../kernel/audience-form.js";
import type { CoreContext } from "../kernel/context.js";
import { fieldErrors, many, optionValues, single } from "../kernel/form-values.js";
import type { FormValues } from "../kernel/interaction.js";
import { note, text, type Form, type Input } from "../kernel/view.js";

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

const dateTimeFormats = ["d/M/yyyy H:mm", "d/M/yy H:mm", "yyyy-MM-dd H:mm", "yyyy-MM-dd'T'H:mm", "d MMMM yyyy H:mm", "d MMM yyyy H:mm", "d/M/yyyy H.mm", "d MMMM yyyy H.mm"];
const timeFormats = ["H:mm", "H.mm"];

/**
 * A date and time typed in the network's zone: `24/01/2027 10:00`, `2027-01-24 10:00`, `24 January 2027 10:00`.
 * With `sameDayAs`, a time alone (`13:00`) means that day. Undefined when it can't be read, or the time
 * doesn't exist on that day (the hour the clocks go forward).
 */
export function parseLocalTime(typed: string, timeZone: string, sameDayAs?: Date): Date | undefined {
  const cleaned = typed.trim().replace(/\s+/g, " ").replace(/,/g, "").replace(/ at /i, " ");
  const read = (format: string, value: string) => DateTime.fromFormat(value, format, { zone: timeZone, locale: "en-GB" });
  for (const format of dateTimeFormats) {
    const parsed = read(format, cleaned);
    if (parsed.isValid) return exists(parsed, format, cleaned);
  }
  if (!sameDayAs) return undefined;
  const day = DateTime.fromJSDate(sameDayAs, { zone: timeZone }).toFormat("yyyy-MM-dd");
  for (const format of timeFormats) {
    const parsed = read(`yyyy-MM-dd ${format}`, `${day} ${cleaned}`);
    if (parsed.isValid) return exists(parsed, `yyyy-MM-dd ${format}`, `${day} ${cleaned}`);
  }
  return undefined;
}

// luxon moves a time in the spring-forward gap to an hour later; nobody meant that time.
function exists(parsed: DateTime, format: string, typed: string): Date | undefined {
  return parsed.toFormat(format) === DateTime.fromFormat(typed, format, { zone: "UTC", locale: "en-GB" }).toFormat(format) ? parsed.toJSDate() : undefined;
}

/** `24/01/2027 10:00` in the network's zone, as the form shows a time it holds. */
export function formatLocalTime(at: Date, timeZone: string): string {
  return DateTime.fromJSDate(at, { zone: timeZone }).toFormat("dd/MM/yyyy HH:mm");
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
  const inputs: Input[] = [
    { type: "text", id: "title", label: "Title", maxLength: eventTitleMax, value: draft?.title ?? "", placeholder: "e.g. Network gathering: winter" },
    { type: "text", id: "description", label: "What it's about", optional: true, multiline: true, maxLength: eventDescriptionMax, value: draft?.description ?? "" },
    {
      type: "text",
      id: "starts",
      label: "Starts",
      hint: `Date and time in ${ctx.timeZone} time, like 24/01/2027 10:00. Each person sees it in their own time where their app can.`,
      value: draft ? formatLocalTime(draft.startsAt, ctx.timeZone) : "",
    },
    { type: "text", id: "ends", label: "Ends", hint: "A time on the same day (13:00), or a date and time.", value: draft ? formatLocalTime(draft.endsAt, ctx.timeZone) : "" },
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
      { type: "text", id: "inviteOn", label: "Invite on", optional: true, hint: "Only if later: a date and time, like 01/12/2026 09:30.", value: draft?.inviteAt ? formatLocalTime(draft.inviteAt, ctx.timeZone) : "" },
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
  const startsTyped = single(values, "starts");
  const endsTyped = single(values, "ends");
  const startsAt = startsTyped ? parseLocalTime(startsTyped, ctx.timeZone) : undefined;
  if (!startsTyped) errors.starts = "Please give the date and time it starts, like 24/01/2027 10:00.";
  else if (!startsAt) errors.starts = `I couldn't read "${startsTyped.slice(0, 40)}" as a date and time. Please write it like 24/01/2027 10:00.`;
  else if (startsAt <= now) errors.starts = "That time has already passed. Please choose a time in the future.";
  const endsAt = endsTyped && startsAt ? parseLocalTime(endsTyped, ctx.timeZone, startsAt) : undefined;
  if (!endsTyped) errors.ends = "Please give the time it ends, like 13:00.";
  else if (startsAt && !endsAt) errors.ends = `I couldn't read "${endsTyped.slice(0, 40)}" as a time. Please write it like 13:00, or 25/01/2027 13:00.`;
  else if (startsAt && endsAt && endsAt <= startsAt) errors.ends = "Please choose an end after the start.";
  return startsAt && endsAt && startsAt > now && endsAt > startsAt ? { startsAt, endsAt } : undefined;
}

/** Null to invite now; undefined when the chosen time is missing or can't be used (an error says why). */
function readInviteAt(ctx: CoreContext, values: FormValues, now: Date, startsAt: Date | undefined, errors: Record<string, string>): Date | null | undefined {
  if ((single(values, "invite") ?? "now") !== "later") return null;
  const typed = single(values, "inviteOn");
  const at = typed ? parseLocalTime(typed, ctx.timeZone) : undefined;
  if (!typed) errors.inviteOn = "Please say when to send the invites, like 01/12/2026 09:30, or choose to send them now.";
  else if (!at) errors.inviteOn = `I couldn't read "${typed.slice(0, 40)}" as a date and time. Please write it like 01/12/2026 09:30.`;
  else if (at <= now) errors.inviteOn = "That time has already passed. Please choose a later time, or send the invites now.";
  else if (startsAt && at >= startsAt) errors.inviteOn = "Please choose a time before the event starts.";
  return at && !errors.inviteOn ? at : undefined;
}
