import { DateTime } from "luxon";
import { inviteToCheckIn } from "./weekly-invitation.js";
import type { Job } from "../kernel/job.js";
import type { CoreContext } from "../kernel/context.js";

/** Sends the weekly check-in invitations members opted in to. */
export function checkInJobs(ctx: CoreContext): Job[] {
  return [
    {
      id: "checkin-invitations",
      cron: "0,30 * * * *",
      slot: halfHourSlot,
      run: async ({ at }) => `invited ${await inviteToCheckIn(ctx, at)} people to check in`,
    },
  ];
}

/** `2026-01-13T10:30`: the half hour `at` falls in, in the time zone. */
export function halfHourSlot(at: Date, timeZone: string): string {
  const local = DateTime.fromJSDate(at, { zone: timeZone });
  return local.set({ minute: local.minute < 30 ? 0 : 30, second: 0, millisecond: 0 }).toFormat("yyyy-MM-dd'T'HH:mm");
}
