import { DateTime } from "luxon";
import { openPulseRound } from "./open-round.js";
import { closePulseRounds, remindPulseRounds } from "./round-upkeep.js";
import { pulseSettings, weeklyCron } from "./settings.js";
import { dailySlot, type Job } from "../kernel/job.js";
import type { CoreContext } from "../kernel/context.js";

/** A Monday: weeks are counted from it, so every replica agrees which weeks are round weeks. */
const firstWeek = DateTime.fromISO("2024-01-01");

/** Opens pulse rounds on their schedule, reminds once, and closes rounds with their "you said" summary. */
export function pulseJobs(ctx: CoreContext): Job[] {
  const settings = pulseSettings(ctx);
  return [
    {
      id: "pulse-round",
      cron: weeklyCron(settings.schedule),
      slot: dailySlot,
      async run({ slot, at }) {
        if (settings.everyWeeks === 0) return "the pulse schedule is off (TI_PULSE_EVERY_WEEKS=0)";
        if (!isRoundWeek(at, ctx.timeZone, settings.everyWeeks)) return `not a round week (every ${settings.everyWeeks} weeks)`;
        const result = await openPulseRound(ctx, { slot });
        if (!result.opened) return `no round opened: ${result.reason}${result.round ? ` (#${result.round.number})` : ""}`;
        return `opened pulse #${result.round.number} on ${result.round.principle}, asked ${result.asked} people`;
      },
    },
    {
      id: "pulse-upkeep",
      cron: "*/15 * * * *",
      slot: quarterHourSlot,
      async run() {
        const reminded = await remindPulseRounds(ctx);
        const closed = await closePulseRounds(ctx);
        return `reminded ${reminded} people, closed ${closed} rounds`;
      },
    },
  ];
}

/** Round weeks are every `everyWeeks`-th week counted from 1 January 2024. */
export function isRoundWeek(at: Date, timeZone: string, everyWeeks: number): boolean {
  const local = DateTime.fromJSDate(at, { zone: timeZone }).setZone("UTC", { keepLocalTime: true }).startOf("day");
  const weeks = Math.floor(local.diff(firstWeek.setZone("UTC", { keepLocalTime: true }), "weeks").weeks);
  return weeks % everyWeeks === 0;
}

/** `2026-01-13T10:15`: the quarter hour `at` falls in, in the time zone. */
export function quarterHourSlot(at: Date, timeZone: string): string {
  const local = DateTime.fromJSDate(at, { zone: timeZone });
  return local.set({ minute: local.minute - (local.minute % 15), second: 0, millisecond: 0 }).toFormat("yyyy-MM-dd'T'HH:mm");
}
