import { DateTime } from "luxon";
import { Prisma } from "../../db/generated/client.js";
import { audienceSchema } from "../audience.js";
import { recordAudit } from "../audit.js";
import { people } from "../compose-broadcast.js";
import type { CoreContext, Request } from "../context.js";
import { queueDeliveries } from "../outbox.js";
import { buttons, message, note, text, type Block, type View } from "../view.js";
import { eventBlocks } from "./event-card.js";
import { findEvent, say, type StoredEvent } from "./find-event.js";
import { membersWhere } from "./invitees.js";
import { sendInvites } from "./send-invites.js";

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

/** What a coordinator can do with a drafted occurrence. */
export function draftButtons(eventNumber: number): Block {
  const number = String(eventNumber);
  return buttons(
    { label: "Confirm and invite", verb: "event confirm", text: number, style: "primary" },
    { label: "Adjust", verb: "event edit", text: number },
    { label: "Skip this one", verb: "event skip", text: number },
    { label: "Stop repeating", verb: "event stop", text: number, style: "danger" },
  );
}

/** `event confirm 4`, from the draft's button: it becomes a real event and its invites go out. */
export async function confirmDraft(request: Request): Promise<View> {
  const { ctx } = request;
  const found = await findEvent(request, "event confirm");
  if ("problem" in found) return found.problem;
  const { event } = found;
  if (event.startsAt <= ctx.now()) return say(`Event #${event.number} has already started, so it can't be confirmed.`);
  const [confirmed] = await ctx.prisma.networkEvent.updateManyAndReturn({ where: { id: event.id, status: "draft" }, data: { status: "scheduled", inviteAt: ctx.now() } });
  if (!confirmed) return say(event.status === "cancelled" ? `Event #${event.number} was skipped or cancelled.` : `Event #${event.number} is already confirmed.`);
  const invited = await sendInvites(ctx, { ...confirmed, audience: event.audience });
  await recordAudit(request, { action: "event.confirm", subject: `event #${event.number}`, detail: `${people(invited)} invited` });
  const reply = `Confirmed: ${event.title}. Invites are on their way to ${people(invited)}, within sending hours.`;
  return { ...message(reply, text(reply), ...eventBlocks(ctx, { ...confirmed })), replacesOriginal: true };
}

/** `event skip 4`: a drafted occurrence that won't happen; the series goes on to the next. */
export async function skipDraft(request: Request): Promise<View> {
  const { ctx } = request;
  const found = await findEvent(request, "event skip");
  if ("problem" in found) return found.problem;
  const { event } = found;
  const skipped = await ctx.prisma.networkEvent.updateMany({ where: { id: event.id, status: "draft" }, data: { status: "cancelled", cancelledAt: ctx.now() } });
  if (skipped.count === 0) return say(`Event #${event.number} isn't a draft any more, so there's nothing to skip. To call it off, use "event cancel ${event.number}".`);
  await recordAudit(request, { action: "event.skip", subject: `event #${event.number}`, detail: event.title });
  const reply = `Skipped: nobody will be invited to event #${event.number}. I'll draft the one after as usual.`;
  return { ...message(reply, text(reply)), replacesOriginal: true };
}

/**
 * `event stop 4`: the series event #4 belongs to ends; nothing more is drafted. A draft not yet
 * confirmed is skipped with it; events already confirmed stay as they are.
 */
export async function stopSeries(request: Request): Promise<View> {
  const { ctx } = request;
  const found = await findEvent(request, "event stop");
  if ("problem" in found) return found.problem;
  const { event } = found;
  if (!event.seriesId) return say(`Event #${event.number} doesn't repeat, so there's nothing to stop. To call it off, use "event cancel ${event.number}".`);
  const ended = await ctx.prisma.eventSeries.updateMany({ where: { id: event.seriesId, endedAt: null }, data: { endedAt: ctx.now() } });
  const skipped = await ctx.prisma.networkEvent.updateMany({ where: { seriesId: event.seriesId, status: "draft" }, data: { status: "cancelled", cancelledAt: ctx.now() } });
  if (ended.count === 0) return say(`${event.title} had already stopped repeating.`);
  await recordAudit(request, { action: "event.stop", subject: `series of event #${event.number}`, detail: event.title });
  const draft = skipped.count > 0 ? " The drafted one won't happen, and nobody was invited to it." : "";
  const reply = `${event.title} won't repeat any more: I won't draft another.${draft} Events already confirmed go ahead as planned.`;
  return { ...message(reply, text(reply)), replacesOriginal: true };
}
