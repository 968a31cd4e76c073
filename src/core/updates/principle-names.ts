import type { CoreContext } from "../kernel/context.js";
import type { PrincipleName } from "./hashtags.js";

/**
 * How long one process reuses the network's principles for tagging updates. Every `/ti update` needs
 * them and they change only by a migration or a coordinator's edit, so a few seconds of reuse saves a
 * round trip a request while nobody sees a renamed principle for longer than this.
 */
export const principleReuseMs = 5_000;

const cached = new WeakMap<CoreContext, { until: number; principles: Promise<PrincipleName[]> }>();

/** The network's principles in their order, read at most once per `principleReuseMs` per context. */
export function principleNames(ctx: CoreContext): Promise<PrincipleName[]> {
  const now = Date.now();
  const entry = cached.get(ctx);
  if (entry && entry.until > now) return entry.principles;
  const principles = ctx.prisma.principle.findMany({ where: { networkId: ctx.networkId }, orderBy: { position: "asc" }, select: { id: true, name: true } });
  cached.set(ctx, { until: now + principleReuseMs, principles });
  // A failed read is not kept: the next request asks the database again.
  principles.catch(() => {
    if (cached.get(ctx)?.principles === principles) cached.delete(ctx);
  });
  return principles;
}
