import type { Request } from "../kernel/context.js";
import type { HomeContribution } from "../kernel/feature.js";
import { divider } from "../kernel/view.js";
import { updateBlocks } from "./feed-page.js";
import { findUpdates } from "./find-updates.js";

/** How many of the latest updates a home shows; `updates` has the rest. */
const latest = 3;
const monthMs = 30 * 24 * 60 * 60 * 1000;

/** On a home: Share an update; the network's latest updates; for coordinators, how many in the last 30 days. */
export async function updatesHome({ ctx, requester }: Request): Promise<HomeContribution> {
  if (!requester.member) return {};
  const noFilters = { principles: [], organisations: [], sectors: [], localities: [], kinds: [], text: "" };
  const newest = await findUpdates(ctx, { filters: noFilters, viewerId: requester.member.id, direction: "older", take: latest });
  const news = newest.flatMap((update, index) => [...(index > 0 ? [divider()] : []), ...updateBlocks(update, ctx.timeZone)]);
  const glance = requester.isCoordinator
    ? [`${(await ctx.prisma.update.count({ where: { networkId: ctx.networkId, createdAt: { gte: new Date(ctx.now().getTime() - monthMs) } } })).toLocaleString("en-GB")} updates shared in the last 30 days`]
    : [];
  return {
    actions: [{ label: "Share an update", verb: "update", style: "primary" }, { label: "See the network's updates", verb: "updates" }],
    news,
    glance,
  };
}
