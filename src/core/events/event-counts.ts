import type { CoreContext } from "../kernel/context.js";
import { sectorLabels } from "../kernel/labels.js";

/** How many invitees answered what. `going` counts those with a place; `waiting` those on the waiting list. */
export interface AnswerCounts {
  going: number;
  waiting: number;
  maybe: number;
  declined: number;
  none: number;
}

export interface EventCounts {
  total: AnswerCounts;
  byOrganisation: [string, AnswerCounts][];
  bySector: [string, AnswerCounts][];
}

const empty = (): AnswerCounts => ({ going: 0, waiting: 0, maybe: 0, declined: 0, none: 0 });

/** An event's answers, in total and by organisation and sector, for coordinators. */
export async function countAnswers(ctx: CoreContext, eventId: string): Promise<EventCounts> {
  const rows = await ctx.prisma.$queryRaw<{ organisation: string | null; sector: string | null; answer: string | null; waiting: boolean; count: bigint }[]>`
    SELECT o."name" AS "organisation", o."sector"::text AS "sector", i."answer"::text AS "answer", (i."waitlistedAt" IS NOT NULL) AS "waiting", count(*) AS "count"
    FROM "EventInvitation" i
    JOIN "Member" m ON m."id" = i."memberId" AND m."leftAt" IS NULL
    LEFT JOIN "Organisation" o ON o."id" = m."organisationId"
    WHERE i."eventId" = ${eventId}
    GROUP BY 1, 2, 3, 4`;
  const total = empty();
  const byOrganisation = new Map<string, AnswerCounts>();
  const bySector = new Map<string, AnswerCounts>();
  for (const row of rows) {
    const key: keyof AnswerCounts = row.waiting ? "waiting" : ((row.answer as keyof AnswerCounts | null) ?? "none");
    const count = Number(row.count);
    const organisation = row.organisation ?? "No organisation";
    const sector = row.sector ? sectorLabels[row.sector as keyof typeof sectorLabels] : "No sector";
    for (const counts of [total, entry(byOrganisation, organisation), entry(bySector, sector)]) counts[key] += count;
  }
  const sorted = (map: Map<string, AnswerCounts>) => [...map.entries()].sort(([a], [b]) => a.localeCompare(b));
  return { total, byOrganisation: sorted(byOrganisation), bySector: sorted(bySector) };
}

function entry(map: Map<string, AnswerCounts>, key: string): AnswerCounts {
  const found = map.get(key);
  if (found) return found;
  const created = empty();
  map.set(key, created);
  return created;
}

/** `3 going · 1 waiting · 2 maybe · 0 can't make it · 4 no answer` */
export function describeCounts(counts: AnswerCounts, capacity?: number | null): string {
  const going = capacity ? `${counts.going} of ${capacity} places going` : `${counts.going} going`;
  const waiting = counts.waiting > 0 ? ` · ${counts.waiting} waiting` : "";
  return `${going}${waiting} · ${counts.maybe} maybe · ${counts.declined} can't make it · ${counts.none} no answer`;
}
