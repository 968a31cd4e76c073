import { DateTime } from "luxon";

/**
 * When scheduled messages may go out, in one time zone. Outside these hours is quiet time.
 *
 * @example
 * const hours = parseSendingHours("Mon-Fri 09:00-17:00");   // weekdays, nine to five
 * const always = parseSendingHours("always");
 */
export type SendingHours =
  | { kind: "always" }
  /** `days` are ISO weekdays (1 = Monday); `from` and `to` are minutes after midnight, `from < to`. */
  | { kind: "window"; days: ReadonlySet<number>; from: number; to: number };

const dayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

export class SendingHoursError extends Error {
  override name = "SendingHoursError";
}

/** Parses `always`, or days then a time window: `Mon-Fri 09:00-17:00`, `Mon,Wed,Fri 10:00-16:30`. */
export function parseSendingHours(text: string): SendingHours {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === "always") return { kind: "always" };
  const match = /^([a-z,\- ]+?)\s+(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$/.exec(trimmed);
  if (!match) throw new SendingHoursError(`"${text}" should look like "Mon-Fri 09:00-17:00" or "always".`);
  const days = parseDays(match[1]!, text);
  const from = minutes(match[2]!, match[3]!, text);
  const to = minutes(match[4]!, match[5]!, text);
  if (from >= to) throw new SendingHoursError(`In "${text}" the hours should start before they end.`);
  return { kind: "window", days, from, to };
}

function parseDays(spec: string, text: string): Set<number> {
  const days = new Set<number>();
  for (const part of spec.split(",").map((piece) => piece.trim()).filter(Boolean)) {
    const [first, last = first] = part.split("-").map((piece) => dayNumber(piece.trim(), text));
    for (let day = first!; ; day = (day % 7) + 1) {
      days.add(day);
      if (day === last) break;
    }
  }
  if (days.size === 0) throw new SendingHoursError(`"${text}" names no days.`);
  return days;
}

function dayNumber(name: string, text: string): number {
  const index = dayNames.indexOf(name.slice(0, 3) as (typeof dayNames)[number]);
  if (index < 0) throw new SendingHoursError(`"${name}" in "${text}" is not a day (Mon, Tue, Wed, Thu, Fri, Sat, Sun).`);
  return index + 1;
}

function minutes(hours: string, mins: string, text: string): number {
  const value = Number(hours) * 60 + Number(mins);
  if (Number(mins) > 59 || value > 24 * 60) throw new SendingHoursError(`"${text}" has a time that doesn't exist.`);
  return value;
}

/**
 * The first moment at or after `at` that falls within the sending hours, in `timeZone`. Across a clock
 * change the window's wall-clock times are kept (09:00 stays 09:00).
 */
export function nextSendingTime(hours: SendingHours, timeZone: string, at: Date): Date {
  if (hours.kind === "always") return at;
  const local = DateTime.fromJSDate(at, { zone: timeZone });
  for (let offset = 0; offset <= 7; offset++) {
    const day = local.plus({ days: offset }).startOf("day");
    if (!hours.days.has(day.weekday)) continue;
    const opens = wallClock(day, hours.from);
    const closes = wallClock(day, hours.to);
    if (offset === 0 && local >= closes) continue;
    return offset === 0 && local >= opens ? at : opens.toJSDate();
  }
  throw new Error("sending hours with at least one day always open within a week");
}

function wallClock(day: DateTime, minutesAfterMidnight: number): DateTime {
  if (minutesAfterMidnight >= 24 * 60) return day.plus({ days: 1 });
  return day.set({ hour: Math.floor(minutesAfterMidnight / 60), minute: minutesAfterMidnight % 60 });
}

/** `weekdays 09:00-17:00`, in words for a message. */
export function describeSendingHours(hours: SendingHours): string {
  if (hours.kind === "always") return "at any time";
  const clock = (value: number) => `${String(Math.floor(value / 60)).padStart(2, "0")}:${String(value % 60).padStart(2, "0")}`;
  const sorted = [...hours.days].sort();
  const names = sorted.map((day) => dayNames[day - 1]!.replace(/^./, (letter) => letter.toUpperCase()));
  const days = sorted.join() === "1,2,3,4,5" ? "weekdays" : sorted.length === 7 ? "every day" : names.join(", ");
  return `${days} ${clock(hours.from)}-${clock(hours.to)}`;
}

/** `Monday 09:00`, in the time zone, for telling someone when a held message will go. */
export function describeMoment(at: Date, timeZone: string, now: Date): string {
  const local = DateTime.fromJSDate(at, { zone: timeZone });
  const today = DateTime.fromJSDate(now, { zone: timeZone }).startOf("day");
  const days = Math.round(local.startOf("day").diff(today, "days").days);
  const clock = local.toFormat("HH:mm");
  if (days === 0) return `today at ${clock}`;
  if (days === 1) return `tomorrow at ${clock}`;
  return `${local.toFormat("cccc d LLLL")} at ${clock}`;
}
