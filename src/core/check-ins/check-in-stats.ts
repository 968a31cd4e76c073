import { DateTime } from "luxon";
import type { Request } from "../kernel/context.js";
import { message, note, text, type View } from "../kernel/view.js";
import { arrivingScale, checkInSettings } from "./settings.js";

const weeks = 4;

/** `checkin stats`: counts and how people arrived over the last four weeks, for groups of five people or more; never text. */
export async function showCheckInStats({ ctx }: Request): Promise<View> {
  const since = DateTime.fromJSDate(ctx.now(), { zone: ctx.timeZone }).minus({ weeks }).toJSDate();
  const minimum = checkInSettings(ctx).minimumGroup;
  const [row] = await ctx.prisma.$queryRaw<{ checkIns: number; people: number; s1: number; s2: number; s3: number; s4: number; s5: number }[]>`
    SELECT count(*)::int AS "checkIns", count(DISTINCT c."memberId")::int AS "people",
           count(*) FILTER (WHERE c."score" = 1)::int AS "s1", count(*) FILTER (WHERE c."score" = 2)::int AS "s2",
           count(*) FILTER (WHERE c."score" = 3)::int AS "s3", count(*) FILTER (WHERE c."score" = 4)::int AS "s4",
           count(*) FILTER (WHERE c."score" = 5)::int AS "s5"
    FROM "CheckIn" c JOIN "Member" m ON m."id" = c."memberId"
    WHERE m."networkId" = ${ctx.networkId} AND c."createdAt" >= ${since}`;
  const privacy = "Check-ins are private: coordinators never see what anyone wrote, or who checked in.";
  if (!row || row.people < minimum) {
    const reply = `Fewer than ${minimum} people checked in over the last ${weeks} weeks, so to keep check-ins private there are no figures to show.`;
    return message(reply, text(reply), note(privacy));
  }
  const counts = [row.s1, row.s2, row.s3, row.s4, row.s5];
  const summary = `${row.checkIns} check-ins from ${row.people} people over the last ${weeks} weeks`;
  return message(
    summary,
    text(`${summary}. How people were arriving:`),
    { type: "fields", fields: arrivingScale.map((label, index) => ({ label, value: String(counts[index]) })) },
    note(`${privacy} Figures appear only when ${minimum} or more people checked in.`),
  );
}
