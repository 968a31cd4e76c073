import { DateTime } from "luxon";
import type { CoreContext } from "../kernel/context.js";

/** A calendar day, `2027-03-31`, as `@db.Date` columns hold it. */
export type Day = string;

/** Today in the network's time zone. */
export function today(ctx: Pick<CoreContext, "now" | "timeZone">): Day {
  return DateTime.fromJSDate(ctx.now(), { zone: ctx.timeZone }).toISODate()!;
}

export const dayToDate = (day: Day): Date => new Date(`${day}T00:00:00.000Z`);
export const dateToDay = (date: Date): Day => date.toISOString().slice(0, 10);

export function addDays(day: Day, days: number): Day {
  return DateTime.fromISO(day, { zone: "utc" }).plus({ days }).toISODate()!;
}

export function addMonths(day: Day, months: number): Day {
  return DateTime.fromISO(day, { zone: "utc" }).plus({ months }).toISODate()!;
}

export function daysBetween(from: Day, to: Day): number {
  return Math.round(DateTime.fromISO(to, { zone: "utc" }).diff(DateTime.fromISO(from, { zone: "utc" }), "days").days);
}

const formats = ["yyyy-MM-dd", "d/M/yyyy", "d/M/yy", "d MMM yyyy", "d MMMM yyyy", "d-M-yyyy", "d.M.yyyy"];

/**
 * A day as people type it: `2027-03-31`, `31/3/2027`, `31 Mar 2027` or `31 March 2027`; null if it isn't one.
 *
 * @example
 * parseDay("31/03/2027") // "2027-03-31"
 */
export function parseDay(typed: string): Day | null {
  const text = typed.trim().replace(/\s+/g, " ");
  for (const format of formats) {
    const parsed = DateTime.fromFormat(text, format, { zone: "utc", locale: "en-GB" });
    if (parsed.isValid) return parsed.toISODate();
  }
  return null;
}

/** `31 Mar 2027` */
export function describeDay(day: Day | Date): string {
  const iso = typeof day === "string" ? day : dateToDay(day);
  return DateTime.fromISO(iso, { zone: "utc" }).setLocale("en-GB").toFormat("d LLL yyyy");
}

/** `January to March 2027`, the period a cycle due on `dueOn` covers, opening on `opensOn`. */
export function periodLabel(opensOn: Day, dueOn: Day): string {
  const from = DateTime.fromISO(opensOn, { zone: "utc" }).setLocale("en-GB");
  const to = DateTime.fromISO(dueOn, { zone: "utc" }).minus({ days: 1 }).setLocale("en-GB");
  if (from.hasSame(to, "month")) return from.toFormat("LLLL yyyy");
  return from.hasSame(to, "year") ? `${from.toFormat("LLLL")} to ${to.toFormat("LLLL yyyy")}` : `${from.toFormat("LLLL yyyy")} to ${to.toFormat("LLLL yyyy")}`;
}
