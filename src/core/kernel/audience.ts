import { z } from "zod";
import { Prisma } from "../../db/generated/client.js";
import type { CoreContext } from "./context.js";
import { platforms, type Platform } from "./interaction.js";
import { sectorLabels, sectors, trainingLevelLabels, trainingLevels } from "./labels.js";

export const audienceGroups = ["everyone", "champions", "coordinators"] as const;

/**
 * Who a broadcast (or an invite) goes to. Filters narrow the group; a filter left empty doesn't narrow.
 *
 * @example
 * const housingChampions: Audience = { who: "champions", organisations: [], sectors: ["housing"], localities: [], trainingLevels: [], platforms: ["slack", "teams"] };
 */
export const audienceSchema = z.object({
  who: z.enum(audienceGroups),
  organisations: z.array(z.string()).default([]),
  sectors: z.array(z.enum(sectors)).default([]),
  localities: z.array(z.string()).default([]),
  trainingLevels: z.array(z.enum(trainingLevels)).default([]),
  platforms: z.array(z.enum(platforms as [Platform, ...Platform[]])).min(1).default(["slack", "teams"]),
});

export type Audience = z.infer<typeof audienceSchema>;

export const audienceGroupLabels: Record<Audience["who"], string> = {
  everyone: "Everyone in the network",
  champions: "Champions only",
  coordinators: "Coordinators only",
};

/**
 * One row per member who should receive it: the address they were last seen on among the chosen
 * platforms, so a member on both Slack and Teams gets it once. Members who left, and addresses a
 * platform said are gone, are never included.
 */
export function recipientsQuery(ctx: CoreContext, audience: Audience): Prisma.Sql {
  const conditions: Prisma.Sql[] = [
    Prisma.sql`m."networkId" = ${ctx.networkId}`,
    Prisma.sql`m."leftAt" IS NULL`,
    Prisma.sql`a."platform"::text IN (${Prisma.join(audience.platforms)})`,
  ];
  if (audience.who === "champions") conditions.push(Prisma.sql`m."role" = 'champion'`);
  if (audience.who === "coordinators") conditions.push(Prisma.sql`m."role" = 'coordinator'`);
  if (audience.organisations.length > 0) conditions.push(Prisma.sql`m."organisationId" IN (${Prisma.join(audience.organisations)})`);
  if (audience.sectors.length > 0) conditions.push(Prisma.sql`o."sector"::text IN (${Prisma.join(audience.sectors)})`);
  if (audience.localities.length > 0) {
    const localities = audience.localities.map((locality) => locality.toLowerCase());
    conditions.push(Prisma.sql`lower(o."locality") IN (${Prisma.join(localities)})`);
  }
  if (audience.trainingLevels.length > 0) conditions.push(Prisma.sql`m."trainingLevel"::text IN (${Prisma.join(audience.trainingLevels)})`);
  return Prisma.sql`
    SELECT DISTINCT ON (m."id") m."id" AS "memberId", a."id" AS "addressId", a."platform", a."workspaceId"
    FROM "Member" m
    JOIN "Address" a ON a."memberId" = m."id" AND a."active"
    LEFT JOIN "Organisation" o ON o."id" = m."organisationId"
    WHERE ${Prisma.join(conditions, " AND ")}
    ORDER BY m."id", a."lastSeenAt" DESC`;
}

/** How many people an audience reaches today, per platform. */
export async function countRecipients(ctx: CoreContext, audience: Audience): Promise<Record<Platform, number>> {
  const rows = await ctx.prisma.$queryRaw<{ platform: Platform; count: bigint }[]>`
    SELECT r."platform"::text AS "platform", count(*) AS "count" FROM (${recipientsQuery(ctx, audience)}) r GROUP BY r."platform"`;
  const counts: Record<Platform, number> = { slack: 0, teams: 0 };
  for (const row of rows) counts[row.platform] = Number(row.count);
  return counts;
}

/** The audience in words: `Champions only · Housing · Kirklees · on Slack and Teams`. */
export function describeAudience(audience: Audience, organisationNames: ReadonlyMap<string, string>): string {
  const parts: string[] = [audienceGroupLabels[audience.who]];
  if (audience.organisations.length > 0) parts.push(audience.organisations.map((id) => organisationNames.get(id) ?? "an organisation").join(", "));
  if (audience.sectors.length > 0) parts.push(audience.sectors.map((sector) => sectorLabels[sector]).join(", "));
  if (audience.localities.length > 0) parts.push(audience.localities.join(", "));
  if (audience.trainingLevels.length > 0) parts.push(audience.trainingLevels.map((level) => trainingLevelLabels[level]).join(", "));
  const where = audience.platforms.length === 2 ? "on Slack and Teams" : `on ${audience.platforms[0] === "slack" ? "Slack" : "Teams"} only`;
  return `${parts.join(" · ")} · ${where}`;
}
