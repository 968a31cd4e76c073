import { acknowledgedShareByBroadcast } from "../broadcasts/acknowledgement-figures.js";
import { clickedShareByBroadcast } from "../broadcasts/click-figures.js";
import type { CoreContext } from "../kernel/context.js";
import type { Sheet, SheetCell } from "../kernel/feature.js";
import type { Period } from "../kernel/period.js";
import { pulseSettings } from "../pulses/settings.js";
import { later } from "./sheet-rows.js";

/**
 * Each broadcast sent in the period: when, how many it reached, and for one that asked for an
 * acknowledgement or had links, how many acknowledged and how many clicked one. Counts only, never who;
 * a broadcast that reached fewer than the minimum group gives its reach and nothing more.
 */
export function announcementsSheet(ctx: CoreContext, period: Period): Sheet {
  const minimum = pulseSettings(ctx).minimumGroup;
  return {
    name: "Announcements",
    columns: [
      { header: "Broadcast", type: "number", width: 10 },
      { header: "Sent", type: "time", width: 18 },
      { header: "Delivered", type: "number", width: 11 },
      { header: "Asked to acknowledge", width: 22 },
      { header: "Acknowledged", type: "number", width: 14 },
      { header: "Links", type: "number", width: 8 },
      { header: "Clicked a link", type: "number", width: 15 },
      { header: "Note", width: 44 },
    ],
    rows: later(async () => {
      const range = { since: period.from, until: period.to };
      const [broadcasts, acknowledged, clicked] = await Promise.all([
        ctx.prisma.broadcast.findMany({
          where: { networkId: ctx.networkId, queuedAt: { gte: period.from, lt: period.to } },
          orderBy: [{ queuedAt: "asc" }, { number: "asc" }],
          select: { id: true, number: true, queuedAt: true, ackChoices: true, cancelledAt: true, _count: { select: { links: true } } },
        }),
        acknowledgedShareByBroadcast(ctx, range),
        clickedShareByBroadcast(ctx, range),
      ]);
      const delivered = await ctx.prisma.delivery.groupBy({
        by: ["broadcastId", "purposeKey"],
        where: { broadcastId: { in: broadcasts.map((broadcast) => broadcast.id) }, status: "sent" },
        _count: { _all: true },
      });
      return broadcasts.map((broadcast): SheetCell[] => {
        const reached = delivered.find((row) => row.broadcastId === broadcast.id && row.purposeKey === `broadcast:${broadcast.number}`)?._count._all ?? 0;
        const asked = broadcast.ackChoices.length > 0;
        const links = broadcast._count.links;
        const ack = acknowledged.find((row) => row.number === broadcast.number);
        const click = clicked.find((row) => row.number === broadcast.number);
        // The shares leave out a broadcast that reached fewer than the minimum group, so a missing one means that.
        const tooFew = (asked && !ack) || (links > 0 && !click);
        const note = [
          ...(broadcast.cancelledAt ? ["Cancelled before everyone had it"] : []),
          ...(tooFew ? [`Reached fewer than ${minimum} people: no answers shown`] : []),
        ].join(". ");
        return [
          broadcast.number,
          broadcast.queuedAt,
          reached,
          asked ? broadcast.ackChoices.join(" / ") : "No",
          ack?.acknowledged ?? null,
          links,
          click?.clicked ?? null,
          note || null,
        ];
      });
    }),
  };
}
