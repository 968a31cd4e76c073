import { DateTime } from "luxon";
import { Prisma } from "../../db/generated/client.js";
import type { CoreContext } from "../kernel/context.js";
import { formatDate } from "../kernel/labels.js";
import { queueDeliveries } from "../kernel/outbox.js";
import { buttons, heading, note, text, type Block, type Message } from "../kernel/view.js";

/** How many of the week's updates the digest quotes. */
const quoted = 3;
const quoteLength = 280;

/** What the network did in a week, as the digest tells it; `quiet` when there is nothing to tell. */
export interface WeekInNetwork {
  from: Date;
  to: Date;
  updates: number;
  byPrinciple: { name: string; updates: number }[];
  recent: { text: string; who: string; when: Date }[];
  newOrganisations: string[];
  nextEvent: { number: number; title: string; startsAt: Date; endsAt: Date } | null;
  quiet: boolean;
}

/** The week before `at` (Monday to Sunday, in the network's time zone). */
export function lastWeek(ctx: Pick<CoreContext, "timeZone">, at: Date): { from: Date; to: Date } {
  const thisMonday = DateTime.fromJSDate(at, { zone: ctx.timeZone }).startOf("week");
  return { from: thisMonday.minus({ weeks: 1 }).toJSDate(), to: thisMonday.toJSDate() };
}

/** Reads the week from the database: updates shared with the network (never those kept to a profile), new organisations, the next event. */
export async function weekInNetwork(ctx: CoreContext, week: { from: Date; to: Date }): Promise<WeekInNetwork> {
  const shared = { networkId: ctx.networkId, sharedWithNetwork: true, createdAt: { gte: week.from, lt: week.to } };
  const [updates, byPrinciple, recent, newOrganisations, nextEvent] = await Promise.all([
    ctx.prisma.update.count({ where: shared }),
    ctx.prisma.$queryRaw<{ name: string; updates: number }[]>`
      SELECT p."name", count(*)::int AS "updates"
      FROM "Update" u JOIN "UpdatePrinciple" up ON up."updateId" = u."id" JOIN "Principle" p ON p."id" = up."principleId"
      WHERE u."networkId" = ${ctx.networkId} AND u."sharedWithNetwork" AND u."createdAt" >= ${week.from} AND u."createdAt" < ${week.to}
      GROUP BY p."name", p."position" ORDER BY p."position"`,
    ctx.prisma.update.findMany({
      where: shared,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: quoted,
      select: { text: true, createdAt: true, author: { select: { displayName: true, leftAt: true } }, organisation: { select: { name: true } } },
    }),
    ctx.prisma.organisation.findMany({ where: { networkId: ctx.networkId, createdAt: { gte: week.from, lt: week.to } }, orderBy: { name: "asc" }, select: { name: true } }),
    ctx.prisma.networkEvent.findFirst({
      where: { networkId: ctx.networkId, status: "scheduled", startsAt: { gte: week.to }, invitedAt: { not: null } },
      orderBy: { startsAt: "asc" },
      select: { number: true, title: true, startsAt: true, endsAt: true },
    }),
  ]);
  return {
    ...week,
    updates,
    byPrinciple,
    recent: recent.map((update) => ({
      text: update.text.length > quoteLength ? `${update.text.slice(0, quoteLength - 1).trimEnd()}…` : update.text,
      who: update.author && !update.author.leftAt ? `${update.author.displayName}${update.organisation ? `, ${update.organisation.name}` : ""}` : `a champion${update.organisation ? ` from ${update.organisation.name}` : ""}`,
      when: update.createdAt,
    })),
    newOrganisations: newOrganisations.map((organisation) => organisation.name),
    nextEvent,
    quiet: updates === 0 && newOrganisations.length === 0,
  };
}

/** The digest as a member reads it. */
export function digestMessage(ctx: Pick<CoreContext, "networkName" | "timeZone">, week: WeekInNetwork): Message {
  const span = `${formatDate(week.from, ctx.timeZone)} to ${formatDate(new Date(week.to.getTime() - 1), ctx.timeZone)}`;
  const blocks: Block[] = [heading(`What ${ctx.networkName} did last week`), text(`${span}: ${week.updates === 1 ? "1 update" : `${week.updates.toLocaleString("en-GB")} updates`} shared.`)];
  if (week.byPrinciple.length > 0) blocks.push({ type: "fields", fields: week.byPrinciple.map((row) => ({ label: row.name, value: String(row.updates) })) });
  if (week.recent.length > 0) {
    blocks.push(heading("Recent updates"), { type: "list", items: week.recent.map((update) => `${update.text} (${update.who}, ${formatDate(update.when, ctx.timeZone)})`) });
  }
  if (week.newOrganisations.length > 0) blocks.push(text(`Welcome to ${week.newOrganisations.join(", ")}, new to the network.`));
  if (week.nextEvent) {
    blocks.push({ type: "when", label: `Next event: ${week.nextEvent.title}`, start: isoSeconds(week.nextEvent.startsAt), end: isoSeconds(week.nextEvent.endsAt), timeZone: ctx.timeZone });
  }
  blocks.push(
    buttons({ label: "See the network's updates", verb: "updates" }, { label: "Stop these", verb: "digest stop" }),
    note("A weekly digest of the network's shared work. Updates kept to their author's profile are never in it."),
  );
  return { type: "message", summary: `What ${ctx.networkName} did last week: ${week.updates} updates`, blocks };
}

/**
 * Queues the week's digest to every member who hasn't stopped it, once per member per week (the
 * purpose key), held to sending hours. A quiet week sends nothing. Resolves to how many were queued.
 */
export async function sendWeeklyDigest(ctx: CoreContext, slot: string, at: Date): Promise<{ queued: number; quiet: boolean }> {
  const week = await weekInNetwork(ctx, lastWeek(ctx, at));
  if (week.quiet) return { queued: 0, quiet: true };
  const queued = await queueDeliveries(ctx, {
    purposeKey: `digest:${slot}`,
    view: digestMessage(ctx, week),
    recipients: Prisma.sql`
      SELECT DISTINCT ON (m."id") m."id" AS "memberId", a."id" AS "addressId", a."platform", a."workspaceId"
      FROM "Member" m JOIN "Address" a ON a."memberId" = m."id" AND a."active"
      WHERE m."networkId" = ${ctx.networkId} AND m."leftAt" IS NULL AND m."digestOptedOutAt" IS NULL
      ORDER BY m."id", a."lastSeenAt" DESC`,
    respectQuietHours: true,
  });
  return { queued, quiet: false };
}

const isoSeconds = (date: Date) => `${date.toISOString().slice(0, 19)}Z`;
