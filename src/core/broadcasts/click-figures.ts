import { Prisma } from "../../db/generated/client.js";
import type { CoreContext } from "../kernel/context.js";
import { pulseSettings } from "../pulses/settings.js";
import { broadcastPurpose } from "./acknowledge-broadcast.js";
import { broadcastScopeConditions, foldGroups, organisationName, sectorName, type BroadcastFigureScope } from "./acknowledgement-figures.js";

/** People a broadcast reached in a group, and how many of them clicked any of its links. */
export interface ClickCount {
  recipients: number;
  clicked: number;
}

export interface ClickSlices {
  shown: (ClickCount & { name: string })[];
  other: ClickCount | null;
}

/**
 * How a broadcast's links were used, never per person: people who clicked any link, people per link, and
 * the share by organisation and sector with small groups folded as acknowledgements are. `shown` is false
 * while it reached fewer than the minimum group, and then no count is given at all.
 */
export interface ClickFigures {
  shown: boolean;
  delivered: number;
  clicked: number;
  byLink: { position: number; url: string; people: number }[];
  byOrganisation: ClickSlices;
  bySector: ClickSlices;
  minimumGroup: number;
}

interface GroupRow {
  organisationName: string | null;
  sector: string | null;
  clicked: boolean;
  people: number;
}

/** The click figures of one sent broadcast with links, counted in the database from its delivered messages. */
export async function loadClickFigures(ctx: CoreContext, broadcast: { id: string; number: number }): Promise<ClickFigures> {
  const [rows, byLink] = await Promise.all([
    ctx.prisma.$queryRaw<GroupRow[]>`
      WITH reached AS (
        SELECT d."memberId", bool_or(EXISTS (SELECT 1 FROM "BroadcastClick" c WHERE c."deliveryId" = d."id")) AS "clicked"
        FROM "Delivery" d
        WHERE d."broadcastId" = ${broadcast.id} AND d."purposeKey" = ${broadcastPurpose(broadcast.number)} AND d."status" = 'sent' AND d."memberId" IS NOT NULL
        GROUP BY d."memberId"
      )
      SELECT o."name" AS "organisationName", o."sector"::text AS "sector", r."clicked", count(*)::int AS "people"
      FROM reached r JOIN "Member" m ON m."id" = r."memberId" LEFT JOIN "Organisation" o ON o."id" = m."organisationId"
      GROUP BY o."name", o."sector", r."clicked"`,
    ctx.prisma.$queryRaw<{ position: number; url: string; people: number }[]>`
      SELECT l."position", l."url", count(DISTINCT d."memberId")::int AS "people"
      FROM "BroadcastLink" l
      LEFT JOIN "BroadcastClick" c ON c."linkId" = l."id"
      LEFT JOIN "Delivery" d ON d."id" = c."deliveryId" AND d."status" = 'sent'
      WHERE l."broadcastId" = ${broadcast.id}
      GROUP BY l."position", l."url"
      ORDER BY l."position"`,
  ]);
  const minimumGroup = pulseSettings(ctx).minimumGroup;
  const countOf = (members: readonly GroupRow[]): ClickCount => ({
    recipients: members.reduce((sum, row) => sum + row.people, 0),
    clicked: members.filter((row) => row.clicked).reduce((sum, row) => sum + row.people, 0),
  });
  const total = countOf(rows);
  const grouped = (keyOf: (row: GroupRow) => string) => {
    const groups = new Map<string, GroupRow[]>();
    for (const row of rows) groups.set(keyOf(row), [...(groups.get(keyOf(row)) ?? []), row]);
    return [...groups].map(([name, members]) => ({ name, ...countOf(members) }));
  };
  const shown = total.recipients >= minimumGroup;
  const none: ClickSlices = { shown: [], other: null };
  return {
    shown,
    delivered: total.recipients,
    clicked: shown ? total.clicked : 0,
    byLink: shown ? byLink : byLink.map((link) => ({ ...link, people: 0 })),
    byOrganisation: shown ? foldGroups(grouped((row) => organisationName(row.organisationName)), total, minimumGroup) : none,
    bySector: shown ? foldGroups(grouped((row) => sectorName(row.sector)), total, minimumGroup) : none,
    minimumGroup,
  };
}

/** One broadcast's clicked share, for the network's figures. */
export interface BroadcastClickShare {
  number: number;
  sentAt: Date;
  delivered: number;
  clicked: number;
  /** `clicked / delivered`, from 0 to 1. */
  share: number;
}

/**
 * The share of people who clicked any link, for each broadcast with links sent in the period, oldest
 * first; only broadcasts delivered to at least the minimum group (TI_MIN_GROUP), as for acknowledgements.
 *
 * @example
 * const shares = await clickedShareByBroadcast(ctx, { since: quarterStart, until: quarterEnd });
 * // [{ number: 12, sentAt, delivered: 240, clicked: 60, share: 0.25 }]
 */
export async function clickedShareByBroadcast(ctx: CoreContext, scope: BroadcastFigureScope = {}): Promise<BroadcastClickShare[]> {
  const conditions = [...broadcastScopeConditions(ctx, scope), Prisma.sql`EXISTS (SELECT 1 FROM "BroadcastLink" l WHERE l."broadcastId" = b."id")`];
  const rows = await ctx.prisma.$queryRaw<{ number: number; sentAt: Date; delivered: number; clicked: number }[]>`
    SELECT b."number", b."queuedAt" AS "sentAt", count(DISTINCT d."memberId")::int AS "delivered",
           count(DISTINCT d."memberId") FILTER (WHERE EXISTS (SELECT 1 FROM "BroadcastClick" c WHERE c."deliveryId" = d."id"))::int AS "clicked"
    FROM "Broadcast" b
    JOIN "Delivery" d ON d."broadcastId" = b."id" AND d."purposeKey" = 'broadcast:' || b."number" AND d."status" = 'sent'
    WHERE ${Prisma.join(conditions, " AND ")}
    GROUP BY b."number", b."queuedAt"
    HAVING count(DISTINCT d."memberId") >= ${pulseSettings(ctx).minimumGroup}
    ORDER BY b."queuedAt", b."number"`;
  return rows.map((row) => ({ ...row, share: row.clicked / row.delivered }));
}
