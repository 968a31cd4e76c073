import { DateTime } from "luxon";

/** A span of time in the network's time zone: from its first instant up to (not including) `to`. */
export interface Period {
  from: Date;
  to: Date;
  /** In words: `this quarter (1 Oct to 31 Dec 2026)`. */
  label: string;
}

/** The words a period may be given in, for help and for the answer to words it doesn't understand. */
export const periodExamples = ["this month", "last month", "this quarter", "last quarter", "this year", "last 12 months", "since 01/09/2026", "01/09/2026 to 30/11/2026"];

const datePattern = String.raw`(\d{1,2}/\d{1,2}/\d{4})`;

/**
 * Reads a period as people type it, in the network's time zone; `fallback` when nothing is typed.
 * A problem names what wasn't understood, so the person can type it again.
 *
 * @example
 * parsePeriod("since 01/09/2026", "Europe/London", now) // { period: { from: 2026-09-01, to: now, … } }
 * parsePeriod("next week", "Europe/London", now)        // { problem: "I didn't understand \"next week\" as a period…" }
 */
export function parsePeriod(typed: string, timeZone: string, now: Date, fallback = "this quarter"): { period: Period } | { problem: string } {
  const words = (typed.trim() || fallback).toLowerCase().replace(/\s+/g, " ");
  const today = DateTime.fromJSDate(now, { zone: timeZone });
  const span = (from: DateTime, to: DateTime, name?: string) => ({
    period: { from: from.toJSDate(), to: to.toJSDate(), label: name ? `${name} (${spanText(from, to)})` : spanText(from, to) },
  });
  const calendar = (unit: "month" | "quarter" | "year", back: number, name: string) => {
    const start = today.minus({ [unit]: back }).startOf(unit);
    return span(start, start.plus({ [unit]: 1 }), name);
  };
  switch (words) {
    case "this month":
      return calendar("month", 0, "this month");
    case "last month":
      return calendar("month", 1, "last month");
    case "this quarter":
      return calendar("quarter", 0, "this quarter");
    case "last quarter":
      return calendar("quarter", 1, "last quarter");
    case "this year":
      return calendar("year", 0, "this year");
    case "last year":
      return calendar("year", 1, "last year");
    case "last 12 months":
    case "past year":
      return span(today.startOf("month").minus({ months: 11 }), today.startOf("month").plus({ months: 1 }), "the last 12 months");
  }
  const since = new RegExp(`^(?:since|from) ${datePattern}$`).exec(words);
  const between = new RegExp(`^(?:from )?${datePattern} (?:to|-|until) ${datePattern}$`).exec(words);
  const from = since?.[1] ?? between?.[1];
  if (from) {
    const start = dayOf(from, timeZone);
    const end = between ? dayOf(between[2]!, timeZone)?.plus({ days: 1 }) : today.plus({ days: 1 }).startOf("day");
    if (!start || !end) return { problem: `"${typed.trim().slice(0, 60)}" has a date I can't read. Please write dates as dd/mm/yyyy, like 01/09/2026.` };
    if (end <= start) return { problem: "The period ends before it starts. Please put the earlier date first." };
    return span(start, end);
  }
  return { problem: `I didn't understand "${typed.trim().slice(0, 60)}" as a period. Try ${periodExamples.slice(0, 3).join(", ")} or ${periodExamples.at(-2)}.` };
}

/**
 * The calendar months a period touches, as `[start, end)` pairs in the time zone, oldest first, each with
 * its label (`Oct 2026`) and its key (`2026-10`, as SQL's `to_char(…, 'YYYY-MM')` writes it).
 */
export function monthsOf(period: Period, timeZone: string): { start: Date; end: Date; label: string; key: string }[] {
  const months = [];
  let month = DateTime.fromJSDate(period.from, { zone: timeZone }).startOf("month");
  const end = DateTime.fromJSDate(period.to, { zone: timeZone });
  while (month < end && months.length < 120) {
    months.push({ start: month.toJSDate(), end: month.plus({ months: 1 }).toJSDate(), label: month.toFormat("LLL yyyy"), key: month.toFormat("yyyy-MM") });
    month = month.plus({ months: 1 });
  }
  return months;
}

/**
 * The period from one day to another (not included), given as ISO dates in the time zone, labelled with
 * its dates; null when they aren't days in order.
 *
 * @example
 * periodOfDays("2026-10-01", "2027-01-01", "Europe/London")?.label // "1 Oct 2026 to 31 Dec 2026"
 */
export function periodOfDays(fromDay: string, toDay: string, timeZone: string): Period | null {
  const [from, to] = [fromDay, toDay].map((day) => DateTime.fromISO(day, { zone: timeZone }).startOf("day")) as [DateTime, DateTime];
  return from.isValid && to.isValid && to > from ? { from: from.toJSDate(), to: to.toJSDate(), label: spanText(from, to) } : null;
}

function dayOf(typed: string, timeZone: string): DateTime | undefined {
  const day = DateTime.fromFormat(typed, "d/M/yyyy", { zone: timeZone });
  return day.isValid ? day.startOf("day") : undefined;
}

function spanText(from: DateTime, to: DateTime): string {
  const last = to.minus({ milliseconds: 1 });
  return `${from.toFormat("d LLL yyyy")} to ${last.toFormat("d LLL yyyy")}`;
}
