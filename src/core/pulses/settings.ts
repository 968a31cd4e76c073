import type { Config } from "../../config.js";
import type { CoreContext } from "../kernel/context.js";

/**
 * How pulses run (TI_PULSE_* settings, TI_MIN_GROUP), as `ctx.pulses`; a context without them (a test
 * bot) gets the defaults.
 *
 * @example
 * const ctx: CoreContext = { ...rest, pulses: { ...defaultPulseSettings, minimumGroup: 8 } };
 */
export interface PulseSettings {
  /** Results are shown only for groups of at least this many answers (TI_PULSE_MIN_GROUP). */
  minimumGroup: number;
  /** How long a round stays open (TI_PULSE_OPEN_DAYS). */
  openDays: number;
  /** Rounds open every this many weeks on the scheduled day; 0 turns the schedule off (TI_PULSE_EVERY_WEEKS). */
  everyWeeks: number;
  /** When a scheduled round opens, in the network's time zone (TI_PULSE_SCHEDULE, `Tue 10:00`). */
  schedule: WeeklyTime;
}

/** A time in the week: ISO weekday (1 Monday … 7 Sunday) and `HH:mm`. */
export interface WeeklyTime {
  weekday: number;
  hour: number;
  minute: number;
}

export const weekdayNames = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] as const;

export const defaultPulseSettings: PulseSettings = { minimumGroup: 5, openDays: 7, everyWeeks: 2, schedule: { weekday: 2, hour: 10, minute: 0 } };

declare module "../kernel/context.js" {
  interface FeatureSettings {
    pulses: PulseSettings;
  }
}

export function pulseSettings(ctx: CoreContext): PulseSettings {
  return ctx.pulses ?? defaultPulseSettings;
}

/** The pulse settings from the configuration. */
export function pulseSettingsFrom(config: Config): Pick<CoreContext, "pulses"> {
  return {
    pulses: {
      minimumGroup: config.TI_MIN_GROUP,
      openDays: config.TI_PULSE_OPEN_DAYS,
      everyWeeks: config.TI_PULSE_EVERY_WEEKS,
      schedule: parseWeeklyTime(config.TI_PULSE_SCHEDULE),
    },
  };
}

/** `Tue 10:00` → weekday 2, 10:00; throws on anything else. */
export function parseWeeklyTime(value: string): WeeklyTime {
  const match = /^([A-Za-z]{3})[a-z]*\s+([01]?\d|2[0-3]):([0-5]\d)$/.exec(value.trim());
  const weekday = match ? weekdayNames.findIndex((name) => name.toLowerCase() === match[1]!.toLowerCase()) + 1 : 0;
  if (!match || weekday === 0) throw new Error(`"${value}" should look like "Tue 10:00"`);
  return { weekday, hour: Number(match[2]), minute: Number(match[3]) };
}

/** The cron for a weekly time: `Tue 10:00` → `0 10 * * 2`. */
export function weeklyCron(time: WeeklyTime): string {
  return `${time.minute} ${time.hour} * * ${time.weekday % 7}`;
}
