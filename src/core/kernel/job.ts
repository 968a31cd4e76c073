import { DateTime } from "luxon";
import type { Logger } from "../../log.js";

/** What a run is told: which slot it claimed, and the time that slot stands for. */
export interface JobContext {
  slot: string;
  /** When the slot was due (the cron's time), not when the run started. */
  at: Date;
  log: Logger;
}

/**
 * A scheduled job. Each slot runs once across every replica: the run that inserts (id, slot) into
 * `JobRun` first runs it. A run should do everything that is due, in bounded batches, so a slot
 * that failed or was skipped is made good by the next one.
 *
 * @example
 * const nightly: Job = {
 *   id: "retention",
 *   cron: "30 3 * * *",
 *   slot: dailySlot,
 *   run: async () => `deleted ${await deleteOldRows()} rows`,
 * };
 */
export interface Job {
  /** Names the job in `JobRun`; renaming it makes every slot look unclaimed. */
  id: string;
  /** node-cron syntax: five fields (minute hour day month weekday) or six with seconds first. */
  cron: string;
  /** IANA zone the cron reads in; the network's by default. */
  timeZone?: string;
  /** On start, run the latest due slot if nobody has (the bot was down when it fell due). A job that has never run on this database starts from its next slot instead. Default true. */
  catchUp?: boolean;
  /** The slot a due time belongs to, in `timeZone`: two times in one slot run once. */
  slot(at: Date, timeZone: string): string;
  /** Does the work; resolves to a one-line outcome for `JobRun` and the log. */
  run(context: JobContext): Promise<string>;
}

/** One slot a day: the date in the job's time zone, `2026-11-22`. */
export function dailySlot(at: Date, timeZone: string): string {
  return DateTime.fromJSDate(at, { zone: timeZone }).toISODate()!;
}

/** One slot a week: the ISO week in the job's time zone, `2026-W47`. */
export function weeklySlot(at: Date, timeZone: string): string {
  return DateTime.fromJSDate(at, { zone: timeZone }).toFormat("kkkk-'W'WW");
}
