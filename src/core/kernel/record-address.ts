import { randomUUID } from "node:crypto";
import { isBootstrapCoordinator, type CoreContext, type Requester, type RequesterMember } from "./context.js";
import type { Address } from "./interaction.js";

interface AddressRow {
  addressId: string;
  memberId: string | null;
  displayName: string | null;
  role: RequesterMember["role"] | null;
  trainingLevel: RequesterMember["trainingLevel"];
  organisationId: string | null;
  organisationName: string | null;
  joinedAt: Date | null;
}

/** How long a last-seen time may lag before a request refreshes it: within it, a request only reads. */
const lastSeenRefresh = "1 minute";

/**
 * Records the address (its name, conversation reference and last-seen time) and loads the member behind
 * it. Every interaction starts here, so it is one statement on the driver rather than Prisma's upsert,
 * which takes a transaction and four queries. When nothing about the address has changed and it was
 * seen within the last minute, the statement only reads: a person sending several commands in a minute
 * costs the database no write, no lock and no commit record for each (the last-seen time, used to pick
 * a member's most recent address and to show when someone was last seen, is then up to a minute old).
 */
export async function recordAddress(ctx: CoreContext, address: Address): Promise<Requester> {
  const now = ctx.now();
  const conversationRef = address.conversationRef === undefined ? null : JSON.stringify(address.conversationRef);
  const [row] = await ctx.sql<AddressRow>`
    WITH unchanged AS (
      SELECT a."id", a."memberId" FROM "Address" a
      WHERE a."platform" = ${address.platform}::"Platform" AND a."workspaceId" = ${address.workspaceId} AND a."userId" = ${address.userId}
        AND a."active" AND a."lastSeenAt" > ${now}::timestamp - ${lastSeenRefresh}::interval
        AND (${address.displayName ?? null}::text IS NULL OR a."displayName" = ${address.displayName ?? null})
        AND (${conversationRef}::jsonb IS NULL OR a."conversationRef" = ${conversationRef}::jsonb)
    ), recorded AS (
      INSERT INTO "Address" ("id", "platform", "workspaceId", "userId", "displayName", "conversationRef", "lastSeenAt", "active", "createdAt")
      SELECT ${randomUUID()}, ${address.platform}::"Platform", ${address.workspaceId}, ${address.userId},
             ${address.displayName ?? null}, ${conversationRef}::jsonb, ${now}::timestamp, true, ${now}::timestamp
      WHERE NOT EXISTS (SELECT 1 FROM unchanged)
      ON CONFLICT ("platform", "workspaceId", "userId") DO UPDATE SET
        "lastSeenAt" = EXCLUDED."lastSeenAt",
        "active" = true,
        "displayName" = COALESCE(EXCLUDED."displayName", "Address"."displayName"),
        "conversationRef" = COALESCE(EXCLUDED."conversationRef", "Address"."conversationRef")
      RETURNING "id", "memberId"
    ), address AS (
      SELECT "id", "memberId" FROM unchanged UNION ALL SELECT "id", "memberId" FROM recorded
    )
    SELECT address."id" AS "addressId", member."id" AS "memberId", member."displayName", member."role", member."trainingLevel",
           member."organisationId", member."organisationName", member."joinedAt"
    FROM address
    LEFT JOIN LATERAL (
      -- By the address's member id, its key. LIMIT keeps the planner from flattening this into a join, which
      -- on a PGlite database not yet analysed (see scheduler/database-upkeep.ts) it ran as a scan of every member.
      SELECT m."id", m."displayName", m."role"::text AS "role", m."trainingLevel"::text AS "trainingLevel", m."organisationId",
             o."name" AS "organisationName", m."joinedAt" AT TIME ZONE 'UTC' AS "joinedAt"
      FROM "Member" m LEFT JOIN "Organisation" o ON o."id" = m."organisationId"
      WHERE m."id" = address."memberId" AND m."leftAt" IS NULL AND m."networkId" = ${ctx.networkId}
      LIMIT 1
    ) member ON true`;
  if (!row) throw new Error("recording the address returned no row");
  const member: RequesterMember | null = row.memberId
    ? {
        id: row.memberId,
        displayName: row.displayName!,
        role: row.role!,
        trainingLevel: row.trainingLevel,
        organisationId: row.organisationId,
        organisationName: row.organisationName,
        joinedAt: row.joinedAt!,
      }
    : null;
  return {
    addressId: row.addressId,
    address,
    member,
    isCoordinator: isBootstrapCoordinator(ctx, address) || member?.role === "coordinator",
  };
}
