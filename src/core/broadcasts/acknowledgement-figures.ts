import { Prisma } from "../../db/generated/client.js";
import type { CoreContext } from "../kernel/context.js";
import { sectorLabels, sectors } from "../kernel/labels.js";
import { pulseSettings } from "../pulses/settings.js";
import { broadcastPurpose } from "./acknowledge-broadcast.js";

/** People a broadcast reached in a group, and how many of them acknowledged it. */
export interface AckCount {
  recipients: number;
  acknowledged: number;
}

export interface AckSlice extends AckCount {
  name: string;
}

/** Groups large enough to show, and the rest together as "other" (null when nothing is left over). */
export interface FoldedSlices {
  shown: AckSlice[];
  other: AckCount | null;
}

/** How a broadcast that asked for an acknowledgement was answered; recipients are those it was delivered to. */
export interface AcknowledgementFigures {
  choices: readonly string[];
  delivered: number;
  acknowledged: number;
  byChoice: { choice: string; count: number }[];
  byOrganisation: FoldedSlices;
  bySector: FoldedSlices;
  minimumGroup: number;
}

interface GroupRow {
  organisationId: string | null;
  organisationName: string | null;
  sector: string | null;
  choice: string | null;
  people: number;
}

/** The figures for one broadcast, counted in the database from its delivered messages and their answers. */
export async function loadAcknowledgementFigures(
  ctx: CoreContext,
  broadcast: { id: string; number: number; ackChoices: readonly string[] },
): Promise<AcknowledgementFigures> {
  const rows = await ctx.prisma.$queryRaw<GroupRow[]>`
    SELECT m."organisationId", o."name" AS "organisationName", o."sector"::text AS "sector", k."choice", count(DISTINCT d."memberId")::int AS "people"
    FROM "Delivery" d
    JOIN "Member" m ON m."id" = d."memberId"
    LEFT JOIN "Organisation" o ON o."id" = m."organisationId"
    LEFT JOIN "BroadcastAcknowledgement" k ON k."broadcastId" = d."broadcastId" AND k."memberId" = d."memberId"
    WHERE d."broadcastId" = ${broadcast.id} AND d."purposeKey" = ${broadcastPurpose(broadcast.number)} AND d."status" = 'sent'
    GROUP BY m."organisationId", o."name", o."sector", k."choice"`;
  const minimumGroup = pulseSettings(ctx).minimumGroup;
  const total = countOf(rows);
  const grouped = (keyOf: (row: GroupRow) => string) => {
    const groups = new Map<string, GroupRow[]>();
    for (const row of rows) groups.set(keyOf(row), [...(groups.get(keyOf(row)) ?? []), row]);
    return [...groups].map(([name, members]) => ({ name, ...countOf(members) }));
  };
  return {
    choices: broadcast.ackChoices,
    delivered: total.recipients,
    acknowledged: total.acknowledged,
    byChoice: broadcast.ackChoices.map((choice) => ({ choice, count: rows.filter((row) => row.choice === choice).reduce((sum, row) => sum + row.people, 0) })),
    byOrganisation: foldSmallGroups(grouped((row) => organisationName(row.organisationName)), total, minimumGroup),
    bySector: foldSmallGroups(grouped((row) => sectorName(row.sector)), total, minimumGroup),
    minimumGroup,
  };
}

function countOf(rows: readonly GroupRow[]): AckCount {
  return {
    recipients: rows.reduce((sum, row) => sum + row.people, 0),
    acknowledged: rows.filter((row) => row.choice !== null).reduce((sum, row) => sum + row.people, 0),
  };
}

/**
 * Groups of at least `minimum` recipients, largest first; the rest as "other". As pulses do, the smallest
 * shown group joins "other" while "other" would be a group too small to show, since the total less the
 * groups shown would reveal it. Nothing is broken down when the whole is smaller than `minimum`.
 *
 * @example
 * foldSmallGroups([{ name: "Riverside", recipients: 6, acknowledged: 4 }, { name: "Hilltop", recipients: 2, acknowledged: 2 }], { recipients: 8, acknowledged: 6 }, 5)
 * // { shown: [], other: null }: "other" would be Hilltop's 2, so Riverside is folded in too, leaving nothing to break down
 */
export function foldSmallGroups(groups: readonly AckSlice[], total: AckCount, minimum: number): FoldedSlices {
  return foldGroups(groups, total, minimum);
}

/**
 * {@link foldSmallGroups} for any counts kept per group (acknowledged, clicked): every count of "other"
 * is the total's less the groups shown.
 */
export function foldGroups<C extends { recipients: number }>(groups: readonly (C & { name: string })[], total: C, minimum: number): { shown: (C & { name: string })[]; other: C | null } {
  if (total.recipients < minimum) return { shown: [], other: null };
  const keys = Object.keys(total) as (keyof C)[];
  const shown = groups.filter((group) => group.recipients >= minimum).sort((a, b) => b.recipients - a.recipients || a.name.localeCompare(b.name));
  const other = { ...total };
  for (const group of shown) for (const key of keys) (other[key] as number) -= group[key] as number;
  while (other.recipients > 0 && other.recipients < minimum && shown.length > 0) {
    const folded = shown.pop()!;
    for (const key of keys) (other[key] as number) += folded[key] as number;
  }
  if (shown.length === 0) return { shown: [], other: null };
  return { shown, other: other.recipients > 0 ? other : null };
}

/** A recipient's organisation and sector, as figures name them. */
export const organisationName = (name: string | null) => name ?? "No organisation";
export const sectorName = (sector: string | null) =>
  (sectors as readonly string[]).includes(sector ?? "") ? sectorLabels[sector as (typeof sectors)[number]] : "No sector given";

/** Who a broadcast reached and hasn't answered it yet, by name, for the coordinator who sent it. */
export async function notYetAcknowledged(ctx: CoreContext, broadcast: { id: string; number: number }, limit = 40): Promise<{ names: string[]; total: number }> {
  const rows = await ctx.prisma.$queryRaw<{ displayName: string; total: number }[]>`
    SELECT m."displayName", count(*) OVER ()::int AS "total"
    FROM "Member" m
    WHERE m."leftAt" IS NULL
      AND EXISTS (SELECT 1 FROM "Delivery" d WHERE d."broadcastId" = ${broadcast.id} AND d."purposeKey" = ${broadcastPurpose(broadcast.number)}
                                             AND d."status" = 'sent' AND d."memberId" = m."id")
      AND NOT EXISTS (SELECT 1 FROM "BroadcastAcknowledgement" k WHERE k."broadcastId" = ${broadcast.id} AND k."memberId" = m."id")
    ORDER BY m."displayName", m."id"
    LIMIT ${limit}`;
  return { names: rows.map((row) => row.displayName), total: rows[0]?.total ?? 0 };
}

/** One broadcast's acknowledged share, for the network's figures. */
export interface BroadcastAckShare {
  number: number;
  sentAt: Date;
  delivered: number;
  acknowledged: number;
  /** `acknowledged / delivered`, from 0 to 1. */
  share: number;
}

/**
 * Which broadcasts the network's figures count: those sent in the period (by when they were sent), and
 * of their recipients only the members of `organisationIds` when given (the dashboard's filters).
 */
export interface BroadcastFigureScope {
  since?: Date;
  until?: Date;
  organisationIds?: readonly string[];
}

/** The conditions on `b` (Broadcast) and `d` (its delivered messages) a scope sets. */
export function broadcastScopeConditions(ctx: CoreContext, scope: BroadcastFigureScope): Prisma.Sql[] {
  const conditions = [Prisma.sql`b."networkId" = ${ctx.networkId}`, Prisma.sql`b."queuedAt" IS NOT NULL`];
  if (scope.since) conditions.push(Prisma.sql`b."queuedAt" >= ${scope.since}`);
  if (scope.until) conditions.push(Prisma.sql`b."queuedAt" < ${scope.until}`);
  if (scope.organisationIds)
    conditions.push(Prisma.sql`EXISTS (SELECT 1 FROM "Member" m WHERE m."id" = d."memberId" AND m."organisationId" = ANY(${[...scope.organisationIds]}::text[]))`);
  return conditions;
}

/**
 * The acknowledged share of each broadcast that asked for an acknowledgement, sent in the period (by when
 * it was sent), oldest first. Only broadcasts delivered to at least the minimum group (TI_MIN_GROUP) are
 * included, as no figure about fewer people is shown anywhere; with organisations given, that is the
 * minimum group among their members.
 *
 * @example
 * const shares = await acknowledgedShareByBroadcast(ctx, { since: quarterStart, until: quarterEnd });
 * // [{ number: 12, sentAt, delivered: 240, acknowledged: 180, share: 0.75 }]
 */
export async function acknowledgedShareByBroadcast(ctx: CoreContext, scope: BroadcastFigureScope = {}): Promise<BroadcastAckShare[]> {
  const conditions = [...broadcastScopeConditions(ctx, scope), Prisma.sql`cardinality(b."ackChoices") > 0`];
  const rows = await ctx.prisma.$queryRaw<{ number: number; sentAt: Date; delivered: number; acknowledged: number }[]>`
    SELECT b."number", b."queuedAt" AS "sentAt", count(DISTINCT d."memberId")::int AS "delivered", count(DISTINCT k."memberId")::int AS "acknowledged"
    FROM "Broadcast" b
    JOIN "Delivery" d ON d."broadcastId" = b."id" AND d."purposeKey" = 'broadcast:' || b."number" AND d."status" = 'sent'
    LEFT JOIN "BroadcastAcknowledgement" k ON k."broadcastId" = b."id" AND k."memberId" = d."memberId"
    WHERE ${Prisma.join(conditions, " AND ")}
    GROUP BY b."number", b."queuedAt"
    HAVING count(DISTINCT d."memberId") >= ${pulseSettings(ctx).minimumGroup}
    ORDER BY b."queuedAt", b."number"`;
  return rows.map((row) => ({ ...row, share: row.acknowledged / row.delivered }));
}
