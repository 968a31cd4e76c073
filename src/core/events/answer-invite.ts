import { z } from "zod";
import { Prisma } from "../../db/generated/client.js";
import { command, type CoreContext, type Request } from "../kernel/context.js";
import { queueDeliveries } from "../kernel/outbox.js";
import { message, note, text, type Message, type View } from "../kernel/view.js";
import { answeredInvite, answerLabels, eventBlocks, rsvpButtons, type Answer } from "./event-card.js";
import { findEvent, type StoredEvent } from "./find-event.js";
import { membersWhere } from "./invitees.js";
import { upcomingEvents } from "./list-events.js";

const answerSchema = z.enum(["going", "maybe", "declined"]);

/**
 * `event rsvp 4 going`, from an invite's buttons: records the answer and shows the invite again with it
 * marked, in place. Going when the event is full puts them on the waiting list; a place given up goes to
 * the first waiting, who is told. Answers close when the event starts.
 */
export async function answerInvite(request: Request): Promise<View> {
  const { ctx, requester } = request;
  const found = await findEvent(request, "event rsvp");
  if ("problem" in found) return found.problem;
  const { event, rest } = found;
  const answer = answerSchema.safeParse(rest[0]);
  if (!answer.success) return message("Please answer with one of the buttons: Going, Maybe or Can't make it.");
  if (!requester.member) {
    return message(`Please join the network first (${command(requester.address.platform, "join")}), then answer the invite again.`);
  }
  if (event.status === "cancelled") return message(`${event.title} was cancelled, so there's nothing to answer. Sorry for the change of plan.`);
  if (event.status === "draft") return message(`${event.title} isn't open for answers yet.`);
  if (event.startsAt <= ctx.now()) {
    return message(`${event.title} has already started, so answers are closed. Thank you for thinking of it; there'll be another chance.`);
  }
  const invited = await ctx.prisma.eventInvitation.count({ where: { eventId: event.id, memberId: requester.member.id } });
  if (invited === 0) return message(`You're not on the invitation list for ${event.title}. If you'd like to come, please ask a coordinator.`);
  const outcome = await recordAnswer(ctx, event, requester.member.id, answer.data);
  if (outcome.promoted) await tellOfPlace(ctx, event, outcome.promoted);
  if (rest[1] === "list") return { ...(await upcomingEvents({ ...request, interaction: { ...request.interaction, text: "" } })), replacesOriginal: true };
  return answeredInvite(ctx, event, answer.data, outcome.waiting);
}

interface AnswerOutcome {
  waiting: boolean;
  /** The member who got the place this answer gave up. */
  promoted?: string;
}

/** Records one answer under a lock on the event, so two people can't both take the last place. */
export async function recordAnswer(ctx: CoreContext, event: StoredEvent, memberId: string, answer: Answer): Promise<AnswerOutcome> {
  return ctx.prisma.$transaction(async (tx) => {
    const [locked] = await tx.$queryRaw<{ capacity: number | null }[]>`SELECT "capacity" FROM "NetworkEvent" WHERE "id" = ${event.id} FOR UPDATE`;
    const now = ctx.now();
    const before = await tx.eventInvitation.findUnique({ where: { eventId_memberId: { eventId: event.id, memberId } } });
    const heldPlace = before?.answer === "going" && !before.waitlistedAt;
    let waitlistedAt: Date | null = null;
    if (answer === "going" && before?.answer === "going") waitlistedAt = before.waitlistedAt;
    else if (answer === "going" && locked?.capacity != null && (await placesTaken(tx, event.id)) >= locked.capacity) waitlistedAt = now;
    await tx.eventInvitation.upsert({
      where: { eventId_memberId: { eventId: event.id, memberId } },
      create: { eventId: event.id, memberId, answer, answeredAt: now, waitlistedAt, invitedAt: now },
      update: { answer, answeredAt: now, waitlistedAt },
    });
    const promoted = heldPlace && answer !== "going" ? await fillPlaces(tx, event.id, locked?.capacity ?? null) : [];
    return { waiting: waitlistedAt !== null, ...(promoted[0] ? { promoted: promoted[0] } : {}) };
  });
}

async function placesTaken(tx: Prisma.TransactionClient, eventId: string): Promise<number> {
  return tx.eventInvitation.count({ where: { eventId, answer: "going", waitlistedAt: null } });
}

/** Gives free places to the waiting list, first come first served; returns who got one. Call with the event locked. */
export async function fillPlaces(tx: Prisma.TransactionClient, eventId: string, capacity: number | null): Promise<string[]> {
  const free = capacity === null ? Number.MAX_SAFE_INTEGER : capacity - (await placesTaken(tx, eventId));
  if (free <= 0) return [];
  const waiting = await tx.eventInvitation.findMany({
    where: { eventId, answer: "going", waitlistedAt: { not: null } },
    orderBy: [{ waitlistedAt: "asc" }, { id: "asc" }],
    take: Math.min(free, 10_000),
    select: { id: true, memberId: true },
  });
  if (waiting.length === 0) return [];
  await tx.eventInvitation.updateMany({ where: { id: { in: waiting.map((row) => row.id) } }, data: { waitlistedAt: null } });
  return waiting.map((row) => row.memberId);
}

/** Tells someone from the waiting list that a place is theirs, once. */
export async function tellOfPlace(ctx: CoreContext, event: StoredEvent, memberId: string): Promise<void> {
  await queueDeliveries(ctx, {
    purposeKey: `event:${event.number}:place:${memberId}`,
    view: placeMessage(ctx, event),
    recipients: membersWhere(ctx.networkId, Prisma.sql`m."id" = ${memberId}`),
    respectQuietHours: true,
  });
}

function placeMessage(ctx: CoreContext, event: StoredEvent): Message {
  return message(
    `A place came up: ${event.title}`,
    text(`Good news: a place came up at ${event.title}, and it's yours. If you can't come after all, just say so below and it goes to the next person.`),
    ...eventBlocks(ctx, event),
    rsvpButtons(event, "going"),
    note(`You were first on the waiting list. Your answer is ${answerLabels.going}.`),
  );
}
