import { DateTime } from "luxon";
import { z } from "zod";
import type { FormValues } from "./interaction.js";
import { dateTimeIds, type Form, type Input } from "./view.js";

/** A single form value: an empty or blank answer counts as not given. */
export function single(values: FormValues, id: string): string | undefined {
  const value = values[id];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first.trim() === "" ? undefined : first;
}

export function many(values: FormValues, id: string): string[] {
  const value = values[id];
  const list = Array.isArray(value) ? value : value ? value.split(",") : [];
  return list.map((item) => item.trim()).filter(Boolean);
}

/** The values a select or multi-select input offered, to check an answer is one of them. */
export function optionValues(form: Form, id: string): Set<string> {
  const input = form.inputs.find((candidate) => candidate.id === id);
  return new Set(input && (input.type === "select" || input.type === "multiselect") ? input.options.map((option) => option.value) : []);
}

/** The first message zod gave for each input. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? "");
    errors[key] ??= issue.message;
  }
  return errors;
}

/**
 * The same form again with what the person typed kept in every input and each error beside its input,
 * so nothing typed is lost when a submission is refused.
 */
export function withSubmission(form: Form, values: FormValues, errors: Record<string, string>): Form {
  const inputs = form.inputs.map((input): Input => {
    const error = errors[input.id];
    const withError = error ? { ...input, error } : input;
    switch (withError.type) {
      case "text":
        return { ...withError, value: single(values, input.id) ?? "" };
      case "select":
        return { ...withError, value: single(values, input.id) };
      case "multiselect":
        return { ...withError, values: many(values, input.id) };
      case "date":
      case "time":
        return { ...withError, value: single(values, input.id) };
      case "datetime": {
        const whole = single(values, input.id);
        if (whole) return { ...withError, value: whole, picked: undefined };
        const ids = dateTimeIds(input.id);
        return { ...withError, picked: { date: single(values, ids.date), time: single(values, ids.time) } };
      }
    }
  });
  const known = new Set(form.inputs.map((input) => input.id));
  const stray = Object.entries(errors).filter(([key]) => !known.has(key)).map(([, message]) => message);
  return { ...form, inputs, ...(stray.length > 0 ? { problem: stray.join(" ") } : {}) };
}

/**
 * How a date, time or datetime answer may be: `min` and `max` in the answer's own terms (`YYYY-MM-DD`,
 * `HH:mm`, an instant), and kind words for each problem when the defaults don't say enough.
 */
export interface PickedRules<T> {
  optional?: boolean;
  min?: T;
  max?: T;
  say?: { missing?: string; early?: string; late?: string };
}

const unreadableDay = "I couldn't read that as a date. Please choose it from the calendar.";
const unreadableTime = "I couldn't read that as a time. Please choose one, like 10:00.";

/** A picked day: `2027-01-24` (a client sending a whole timestamp is cut to its day). */
export const daySchema = z
  .string()
  .trim()
  .transform((value) => (/^\d{4}-\d\d-\d\dT/.test(value) ? value.slice(0, 10) : value))
  .pipe(z.iso.date({ error: unreadableDay }));

/** A picked time of day, as `HH:mm` (a client sending seconds, or `9:30`, is read the same). */
export const timeSchema = z
  .string()
  .trim()
  .regex(/^([01]?\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?$/, unreadableTime)
  .transform((value) => value.split(":").slice(0, 2).map((part) => part.padStart(2, "0")).join(":"));

/** `24 January 2027` */
export function describeDate(day: string): string {
  return DateTime.fromISO(day, { zone: "utc" }).setLocale("en-GB").toFormat("d MMMM yyyy");
}

/**
 * A date input's answer, `YYYY-MM-DD`, or undefined with the reason in `errors[id]` (or nothing, when
 * an optional one was left empty).
 *
 * @example
 * dateAnswer({ completedOn: "2026-12-08" }, "completedOn", errors, { max: "2026-12-07", say: { late: "That date is still to come." } })
 * // undefined, errors.completedOn === "That date is still to come."
 */
export function dateAnswer(values: FormValues, id: string, errors: Record<string, string>, rules: PickedRules<string> = {}): string | undefined {
  const given = single(values, id);
  if (given === undefined) {
    if (!rules.optional) errors[id] = rules.say?.missing ?? "Please choose a date.";
    return undefined;
  }
  const parsed = daySchema.safeParse(given);
  if (!parsed.success) return refuse(errors, id, parsed.error.issues[0]?.message ?? unreadableDay);
  const day = parsed.data;
  if (rules.min && day < rules.min) return refuse(errors, id, rules.say?.early ?? `Please choose ${describeDate(rules.min)} or later.`);
  if (rules.max && day > rules.max) return refuse(errors, id, rules.say?.late ?? `Please choose ${describeDate(rules.max)} or earlier.`);
  return day;
}

/** A time input's answer, `HH:mm`, or undefined with the reason in `errors[id]`. */
export function timeAnswer(values: FormValues, id: string, errors: Record<string, string>, rules: PickedRules<string> = {}): string | undefined {
  const given = single(values, id);
  if (given === undefined) {
    if (!rules.optional) errors[id] = rules.say?.missing ?? "Please choose a time.";
    return undefined;
  }
  const parsed = timeSchema.safeParse(given);
  if (!parsed.success) return refuse(errors, id, unreadableTime);
  if (rules.min && parsed.data < rules.min) return refuse(errors, id, rules.say?.early ?? `Please choose ${rules.min} or later.`);
  if (rules.max && parsed.data > rules.max) return refuse(errors, id, rules.say?.late ?? `Please choose ${rules.max} or earlier.`);
  return parsed.data;
}

/**
 * A datetime input's answer: its day and time read in `timeZone` (the network's) and turned into the
 * instant they name, or undefined with the reason in `errors[id]`. A time the clocks skip that day is
 * refused, never moved. A single instant under `id` (Slack's datetimepicker) is taken as it is.
 *
 * @example
 * dateTimeAnswer({ "starts.date": "2027-07-14", "starts.time": "10:00" }, "starts", "Europe/London", errors)
 * // 2027-07-14T09:00:00.000Z
 */
export function dateTimeAnswer(values: FormValues, id: string, timeZone: string, errors: Record<string, string>, rules: PickedRules<Date> = {}): Date | undefined {
  const ids = dateTimeIds(id);
  const whole = single(values, id);
  const date = single(values, ids.date);
  const time = single(values, ids.time);
  let at: Date | undefined;
  if (whole !== undefined) {
    const parsed = z.iso.datetime({ offset: true }).safeParse(whole.trim());
    if (!parsed.success) return refuse(errors, id, "I couldn't read that as a date and time. Please choose them again.");
    at = new Date(parsed.data);
  } else {
    if (date === undefined && time === undefined) {
      if (!rules.optional) errors[id] = rules.say?.missing ?? "Please choose a date and a time.";
      return undefined;
    }
    if (date === undefined) return refuse(errors, id, "Please choose the date too.");
    if (time === undefined) return refuse(errors, id, "Please choose the time too.");
    const day = daySchema.safeParse(date);
    if (!day.success) return refuse(errors, id, unreadableDay);
    const clock = timeSchema.safeParse(time);
    if (!clock.success) return refuse(errors, id, unreadableTime);
    at = instantAt(day.data, clock.data, timeZone);
    if (!at) return refuse(errors, id, `The clocks go forward that night, so ${clock.data} doesn't happen on ${describeDate(day.data)}. Please choose another time.`);
  }
  if (rules.min && at < rules.min) return refuse(errors, id, rules.say?.early ?? `Please choose a time after ${describeInstant(rules.min, timeZone)}.`);
  if (rules.max && at > rules.max) return refuse(errors, id, rules.say?.late ?? `Please choose a time before ${describeInstant(rules.max, timeZone)}.`);
  return at;
}

/**
 * The instant a day and time of day name in `timeZone`; undefined when the clocks skip that time
 * (luxon would quietly move it an hour on, which nobody meant). In the hour the clocks go back, it is
 * the second of the two, after the change.
 *
 * @example
 * instantAt("2027-01-24", "10:00", "Europe/London") // 2027-01-24T10:00:00.000Z
 * instantAt("2027-03-28", "01:30", "Europe/London") // undefined
 */
export function instantAt(date: string, time: string, timeZone: string): Date | undefined {
  const local = DateTime.fromISO(`${date}T${time}`, { zone: timeZone });
  if (!local.isValid || local.toFormat("yyyy-MM-dd'T'HH:mm") !== `${date}T${time}`) return undefined;
  return local.toJSDate();
}

function describeInstant(at: Date, timeZone: string): string {
  return DateTime.fromJSDate(at, { zone: timeZone }).setLocale("en-GB").toFormat("d MMMM yyyy, HH:mm");
}

function refuse(errors: Record<string, string>, id: string, message: string): undefined {
  errors[id] = message;
  return undefined;
}
