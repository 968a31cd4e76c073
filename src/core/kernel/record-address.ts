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

/**
 * Upserts the address (refreshing its name, conversation reference and last-seen time) and loads the
 * member behind it. Every interaction starts here, so it is one statement on the driver rather than
 * Prisma's upsert, which takes a transaction and four queries.
 */
export async function recordAddress(ctx: CoreContext, address: Address): Promise<Requester> {
  const now = ctx.now();
  const conversationRef = address.conversationRef === undefined ? null : JSON.stringify(address.conversationRef);
  const [row] = await ctx.sql<AddressRow>`
    WITH address AS (
      INSERT INTO "Address" ("id", "platform", "workspaceId", "userId", "displayName", "conversationRef", "lastSeenAt", "active", "createdAt")
      VALUES (${randomUUID()}, ${address.platform}::"Platform", ${address.workspaceId}, ${address.userId},
              ${address.displayName ?? null}, ${conversationRef}::jsonb, ${now}, true, ${now})
      ON CONFLICT ("platform", "workspaceId", "userId") DO UPDATE SET
        "lastSeenAt" = EXCLUDED."lastSeenAt",
        "active" = true,
        "displayName" = COALESCE(EXCLUDED."displayName", "Address"."displayName"),
        "conversationRef" = COALESCE(EXCLUDED."conversationRef", "Address"."conversationRef")
      RETURNING "id", "memberId"
    )
    SELECT address."id" AS "addressId", member."id" AS "memberId", member."displayName", member."role"::text AS "role",
           member."trainingLevel"::text AS "trainingLevel", member."organisationId", organisation."name" AS "organisationName",
           member."joinedAt" AT TIME ZONE 'UTC' AS "joinedAt"
    FROM address
    LEFT JOIN "Member" member ON member."id" = address."memberId" AND member."leftAt" IS NULL AND member."networkId" = ${ctx.networkId}
    LEFT JOIN "Organisation" organisation ON organisation."id" = member."organisationId"`;
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
