import { Prisma } from "../../db/generated/client.js";
import type { CoreContext } from "../kernel/context.js";
import type { updateKinds } from "../kernel/labels.js";
import type { FeedFilters } from "./resolve-filters.js";

/** Where a page starts: just past this update, in the feed's order (newest first, then by id). */
export interface FeedCursor {
  createdAt: Date;
  id: string;
}

export interface FeedQuery {
  filters: FeedFilters;
  /** Who is reading: their own updates kept on their profile show to them, and to nobody else. */
  viewerId: string;
  /** `older` reads on from the cursor (Next); `newer` reads back towards the newest (Previous). */
  direction: "older" | "newer";
  cursor?: FeedCursor;
  take: number;
}

export interface FeedUpdate {
  id: string;
  createdAt: Date;
  text: string;
  kind: (typeof updateKinds)[number] | null;
  link: string | null;
  authorId: string | null;
  authorName: string | null;
  organisationName: string | null;
  sharedWithNetwork: boolean;
  principles: string[];
}

/**
 * One page of the network's updates, newest first. Pages are read by keyset on (createdAt, id), so the
 * thousandth page costs what the first does (the index on networkId, createdAt, id; organisationId,
 * createdAt, id when filtered by organisation), and an update shared meanwhile doesn't shift the pages.
 */
export async function findUpdates(ctx: CoreContext, { filters, viewerId, direction, cursor, take }: FeedQuery): Promise<FeedUpdate[]> {
  const where: Prisma.Sql[] = [Prisma.sql`u."networkId" = ${ctx.networkId}`, Prisma.sql`(u."sharedWithNetwork" OR u."authorId" = ${viewerId})`];
  if (cursor) {
    where.push(
      direction === "older"
        ? Prisma.sql`(u."createdAt", u."id") < (${cursor.createdAt}, ${cursor.id})`
        : Prisma.sql`(u."createdAt", u."id") > (${cursor.createdAt}, ${cursor.id})`,
    );
  }
  if (filters.organisationIds) where.push(Prisma.sql`u."organisationId" = ANY(${filters.organisationIds}::text[])`);
  if (filters.kinds.length > 0) where.push(Prisma.sql`u."kind"::text = ANY(${filters.kinds}::text[])`);
  if (filters.period) where.push(Prisma.sql`u."createdAt" >= ${filters.period.from} AND u."createdAt" < ${filters.period.to}`);
  if (filters.principles.length > 0) {
    const principleIds = filters.principles.map((principle) => principle.id);
    where.push(Prisma.sql`EXISTS (SELECT 1 FROM "UpdatePrinciple" up WHERE up."updateId" = u."id" AND up."principleId" = ANY(${principleIds}::text[]))`);
  }
  const order = direction === "older" ? Prisma.sql`DESC` : Prisma.sql`ASC`;
  const rows = await ctx.prisma.$queryRaw<Omit<FeedUpdate, "principles">[]>`
    SELECT page."id", page."createdAt", page."text", page."kind", page."link", page."authorId", page."sharedWithNetwork",
           m."displayName" AS "authorName", o."name" AS "organisationName"
    FROM (
      SELECT u."id", u."createdAt", u."text", u."kind"::text AS "kind", u."link", u."authorId", u."organisationId", u."sharedWithNetwork"
      FROM "Update" u
      WHERE ${Prisma.join(where, " AND ")}
      ORDER BY u."createdAt" ${order}, u."id" ${order}
      LIMIT ${take}
    ) page
    LEFT JOIN "Member" m ON m."id" = page."authorId"
    LEFT JOIN "Organisation" o ON o."id" = page."organisationId"
    ORDER BY page."createdAt" DESC, page."id" DESC`;
  if (rows.length === 0) return [];
  const tags = await ctx.prisma.updatePrinciple.findMany({
    where: { updateId: { in: rows.map((row) => row.id) } },
    select: { updateId: true, principle: { select: { name: true, position: true } } },
    orderBy: { principle: { position: "asc" } },
  });
  return rows.map((row) => ({ ...row, principles: tags.filter((tag) => tag.updateId === row.id).map((tag) => tag.principle.name) }));
}
