import { Prisma } from "../../db/generated/client.js";
import type { Audience } from "../kernel/audience.js";
import type { Answer } from "./event-card.js";

/** Which invitees a message is for: by their answer, `null` for no answer yet, and whether waiting. */
export interface InviteeFilter {
  answers: readonly (Answer | null)[];
  /** Include those on the waiting list (they said going when it was full); default true. */
  waiting?: boolean;
}

/**
 * The recipients query (as `queueDeliveries` takes it) for an event's invitees, each on the address
 * they were last seen on among the audience's platforms; members who left, and addresses gone, never.
 *
 * @example
 * recipients: invitees(event.id, audience, { answers: ["going", "maybe"] })
 */
export function invitees(eventId: string, audience: Pick<Audience, "platforms">, filter: InviteeFilter): Prisma.Sql {
  const answered = filter.answers.filter((answer): answer is Answer => answer !== null);
  const answerConditions: Prisma.Sql[] = [];
  if (answered.length > 0) answerConditions.push(Prisma.sql`i."answer"::text IN (${Prisma.join(answered)})`);
  if (filter.answers.includes(null)) answerConditions.push(Prisma.sql`i."answer" IS NULL`);
  const answerCondition = answerConditions.length > 0 ? Prisma.join(answerConditions, " OR ") : Prisma.sql`FALSE`;
  const waiting = filter.waiting === false ? Prisma.sql`AND i."waitlistedAt" IS NULL` : Prisma.empty;
  return Prisma.sql`
    SELECT DISTINCT ON (m."id") m."id" AS "memberId", a."id" AS "addressId", a."platform", a."workspaceId"
    FROM "EventInvitation" i
    JOIN "Member" m ON m."id" = i."memberId" AND m."leftAt" IS NULL
    JOIN "Address" a ON a."memberId" = m."id" AND a."active" AND a."platform"::text IN (${Prisma.join(audience.platforms)})
    WHERE i."eventId" = ${eventId} AND (${answerCondition}) ${waiting}
    ORDER BY m."id", a."lastSeenAt" DESC`;
}

/** Members of the network matching `condition` (on `m`, the member), each on the address they were last seen on. */
export function membersWhere(networkId: string, condition: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    SELECT DISTINCT ON (m."id") m."id" AS "memberId", a."id" AS "addressId", a."platform", a."workspaceId"
    FROM "Member" m JOIN "Address" a ON a."memberId" = m."id" AND a."active"
    WHERE m."networkId" = ${networkId} AND m."leftAt" IS NULL AND ${condition}
    ORDER BY m."id", a."lastSeenAt" DESC`;
}
