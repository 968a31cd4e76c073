import ical, { ICalCalendarMethod, ICalEventStatus } from "ical-generator";
import type { CoreContext } from "../kernel/context.js";
import type { Download, DownloadFile } from "../kernel/feature.js";

/** The same for an event forever, so calendars update the entry rather than add another. */
export const calendarUid = (ctx: Pick<CoreContext, "networkId">, number: number) => `event-${number}-${ctx.networkId}@ti-champions`;

/**
 * The event's calendar file: the same UID always, SEQUENCE raised by each change invitees were told of,
 * times in UTC, and METHOD:CANCEL with STATUS:CANCELLED once it is cancelled. Null for no such event, or
 * a draft nobody was invited to.
 *
 * @example
 * const file = await eventCalendarFile(ctx, 4); // { kind: "file", filename: "event-4.ics", contentType: "text/calendar; …", body: "BEGIN:VCALENDAR…" }
 */
export async function eventCalendarFile(ctx: CoreContext, number: number): Promise<DownloadFile | null> {
  const event = await ctx.prisma.networkEvent.findFirst({ where: { networkId: ctx.networkId, number } });
  if (!event || event.status === "draft") return null;
  const cancelled = event.status === "cancelled";
  const calendar = ical({
    name: ctx.networkName,
    prodId: { company: "ti-champions", product: "network-events", language: "EN" },
    method: cancelled ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.PUBLISH,
  });
  calendar.createEvent({
    id: calendarUid(ctx, number),
    sequence: event.sequence,
    stamp: event.updatedAt,
    start: event.startsAt,
    end: event.endsAt,
    summary: event.title,
    description: [event.description, event.joinUrl ? `Join online: ${event.joinUrl}` : ""].filter(Boolean).join("\n\n"),
    ...(event.location ? { location: event.location } : {}),
    ...(event.joinUrl ? { url: event.joinUrl } : {}),
    status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  });
  return { kind: "file", filename: `event-${number}.ics`, contentType: "text/calendar; charset=utf-8", body: calendar.toString() };
}

/** The calendar file at `/downloads/events/4.ics`, behind a signed link. */
export const calendarFile: Download = {
  path: /^\/downloads\/events\/(\d{1,9})\.ics$/,
  open: (ctx, match) => eventCalendarFile(ctx, Number(match[1])),
};
