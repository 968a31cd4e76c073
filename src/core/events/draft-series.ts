import { DateTime } from "luxon";
import { Prisma } from "../../db/generated/client.js";
import { audienceSchema } from "../kernel/audience.js";
import type { CoreContext } from "../kernel/context.js";
import { queueDeliveries } from "../kernel/outbox.js";
import { message, note, text } from "../kernel/view.js";
import { draftButtons } from "./answer-draft.js";
import { eventBlocks } from "./event-card.js";
import type { StoredEvent } from "./find-event.js";
import { membersWhere } from "./invitees.js";

/**
 * When occurrence `n` of a series starts: the first's wall-clock time in the network's zone, n × cadence
 * months on, so 10:00 stays 10:00 across the clock changes.
 *
 * @example
 * occurrenceStart(new Date("2027-01-24T10:00:00Z"), 6, 1, "Europe/London") // 2027-07-24T09:00:00Z (10:00 BST)
 */
export function occurrenceStart(firstStartsAt: Date, cadenceMonths: number, n: number, timeZone: string): Date {
  return DateTime.fromJSDate(firstStartsAt, { zone: timeZone }).plus({ months: cadenceMonths * n }).toJSDate();
}

/** When occurrence `n` is drafted: `weeks` before it starts, at the same wall-clock time. */
export function draftTime(start: Date, weeks: number, timeZone: string): Date {
  return DateTime.fromJSDate(start, { zone: timeZone }).minus({ weeks }).toJSDate();
}

/**
 * Drafts each series' next occurrence once its draft time has come, and asks the series' creator (or,
 * if they have left, every coordinator) to confirm or adjust it. Occurrences whose time passed while
 * nothing ran are skipped, never drafted in the past. Safe on two replicas: each occurrence is unique.
 * Returns the drafted events.
 */
export async function draftNextOccurrences(ctx: CoreContext): Promise<StoredEvent[]> {
  const now = ctx.now();
  const series = await ctx.prisma.eventSeries.findMany({
    where: { networkId: ctx.networkId, endedAt: null },
    include: { events: { orderBy: { occurrence: "desc" }, take: 1, select: { occurrence: true } } },
  });
  const drafted: StoredEvent[] = [];
  for (const one of series) {
    let n = (one.events[0]?.occurrence ?? -1) + 1;
    while (occurrenceStart(one.firstStartsAt, one.cadenceMonths, n, ctx.timeZone) <= now) n++;
    const startsAt = occurrenceStart(one.firstStartsAt, one.cadenceMonths, n, ctx.timeZone);
    if (draftTime(startsAt, one.draftWeeksAhead, ctx.timeZone) > now) continue;
    const [created] = await ctx.prisma.networkEvent.createManyAndReturn({
      data: [
        {
          networkId: ctx.networkId,
          seriesId: one.id,
          occurrence: n,
          status: "draft",
          title: one.title,
          description: one.description,
          startsAt,
          endsAt: new Date(startsAt.getTime() + one.durationMinutes * 60_000),
          location: one.location,
          joinUrl: one.joinUrl,
          capacity: one.capacity,
          audience: one.audience as Prisma.InputJsonValue,
          createdById: one.createdById,
        },
      ],
      skipDuplicates: true,
    });
    if (!created) continue;
    const event: StoredEvent = { ...created, audience: audienceSchema.parse(created.audience) };
    await askToConfirm(ctx, event, one.createdById);
    drafted.push(event);
  }
  return drafted;
}

async function askToConfirm(ctx: CoreContext, event: StoredEvent, creatorId: string | null): Promise<void> {
  const creator = creatorId ? await ctx.prisma.member.findFirst({ where: { id: creatorId, leftAt: null }, select: { id: true } }) : null;
  await queueDeliveries(ctx, {
    purposeKey: `event:${event.number}:draft`,
    view: message(
      `Please check the next ${event.title}`,
      text(`I've drafted the next ${event.title}. Nobody is invited until you confirm it. Adjust anything first if you need to.`),
      ...eventBlocks(ctx, event),
      draftButtons(event.number),
      note(`Event #${event.number}. You get this because you ${creator ? "set up this repeating event" : "coordinate the network"}.`),
    ),
    recipients: creator ? membersWhere(ctx.networkId, Prisma.sql`m."id" = ${creator.id}`) : coordinators(ctx),
    respectQuietHours: true,
  });
}

/** Every coordinator: members with the role, and those named in configuration who never joined. */
function coordinators(ctx: CoreContext): Prisma.Sql {
  const bootstrap = ctx.coordinators.map(({ platform, userId }) => Prisma.sql`(${platform}, ${userId})`);
  const named =
    bootstrap.length === 0
      ? Prisma.empty
      : Prisma.sql`UNION ALL (
        SELECT NULL::text, a."id", a."platform", a."workspaceId" FROM "Address" a
        WHERE a."active" AND a."memberId" IS NULL AND (a."platform"::text, a."userId") IN (${Prisma.join(bootstrap)}))`;
  return Prisma.sql`(${membersWhere(ctx.networkId, Prisma.sql`m."role" = 'coordinator'`)}) ${named}`;
}
