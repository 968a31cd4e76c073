import { DateTime } from "luxon";
import { command, type Request } from "../kernel/context.js";
import { heading, message, note, text, type Block, type View } from "../kernel/view.js";
import { arrivingScale } from "./settings.js";

const shown = 8;
const trendWeeks = 4;

/** `checkin history`: the member's own last check-ins and a small trend. Nobody else can ask for these. */
export async function showCheckInHistory({ ctx, requester }: Request): Promise<View> {
  const platform = requester.address.platform;
  if (!requester.member) return message("Check-ins are for members of the network.", text(`Check-ins are for members of the network. Type ${command(platform, "join")} to join.`));
  const entries = await ctx.prisma.checkIn.findMany({ where: { memberId: requester.member.id }, orderBy: { createdAt: "desc" }, take: shown });
  if (entries.length === 0) {
    const reply = `You haven't checked in yet. Whenever you'd like a moment, type ${command(platform, "checkin")}.`;
    return message(reply);
  }
  const now = DateTime.fromJSDate(ctx.now(), { zone: ctx.timeZone });
  const [recent, before] = await Promise.all([
    averageSince(requester.member.id, now.minus({ weeks: trendWeeks }).toJSDate(), now.toJSDate()),
    averageSince(requester.member.id, now.minus({ weeks: trendWeeks * 2 }).toJSDate(), now.minus({ weeks: trendWeeks }).toJSDate()),
  ]);
  const blocks: Block[] = [
    heading("Your check-ins"),
    {
      type: "list",
      items: entries.map((entry) => {
        const when = DateTime.fromJSDate(entry.createdAt, { zone: ctx.timeZone }).toFormat("ccc d LLL");
        const words = [entry.reflection, entry.noticed ? `Noticed: ${entry.noticed}` : null].filter(Boolean).join(" · ");
        const erased = entry.textErasedAt ? " (what you wrote was deleted after the retention period)" : "";
        return `${when}: ${arrivingScale[entry.score - 1]}${words ? `. ${words}` : ""}${erased}`;
      }),
    },
  ];
  if (recent !== null) blocks.push(text(trendLine(recent, before)));
  blocks.push(note("Only you can see these."));
  return message(`Your last ${entries.length} check-ins`, ...blocks);

  async function averageSince(memberId: string, from: Date, to: Date): Promise<number | null> {
    const result = await ctx.prisma.checkIn.aggregate({ where: { memberId, createdAt: { gte: from, lt: to } }, _avg: { score: true } });
    return result._avg.score;
  }
}

/** Said plainly, never as a judgement. */
function trendLine(recent: number, before: number | null): string {
  const last = `Over the last ${trendWeeks} weeks you've arrived at ${recent.toFixed(1)} of 5 on average`;
  if (before === null) return `${last}.`;
  const change = recent - before;
  if (Math.abs(change) < 0.3) return `${last}, about the same as the ${trendWeeks} weeks before.`;
  return `${last}, ${change > 0 ? "up" : "down"} from ${before.toFixed(1)} the ${trendWeeks} weeks before.`;
}
