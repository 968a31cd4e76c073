import { broadcastStatusView, isSettled, loadBroadcastStatus } from "../core/broadcasts/broadcast-status.js";
import type { CoreContext } from "../core/kernel/context.js";
import type { Json, Platform } from "../core/kernel/interaction.js";
import type { Logger } from "../log.js";
import type { Outbound } from "./outbound.js";

export interface BroadcastProgressOptions {
  ctx: CoreContext;
  outbound: Partial<Record<Platform, Outbound>>;
  log: Logger;
  /** How often a sending broadcast's progress line is brought up to date. */
  everyMs?: number;
}

/**
 * Keeps each sending broadcast's progress line (a message in its author's chat) up to date, replacing it
 * in place: a line that moves, not a stream of messages. Each refresh is claimed in the database, so
 * replicas don't refresh the same line at once; one last refresh is made when the broadcast settles.
 */
export function startBroadcastProgress(options: BroadcastProgressOptions): { stop(): Promise<void> } {
  const { ctx, log } = options;
  const everyMs = options.everyMs ?? 5_000;
  let running: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(refreshDue).catch((error: unknown) => log.error({ err: error }, "could not refresh broadcast progress"));
  }, everyMs);

  async function refreshDue(): Promise<void> {
    const now = ctx.now();
    const due = await ctx.prisma.broadcast.updateManyAndReturn({
      where: {
        networkId: ctx.networkId,
        queuedAt: { not: null },
        progressDone: false,
        OR: [{ progressAt: null }, { progressAt: { lt: new Date(now.getTime() - everyMs + 250) } }],
      },
      data: { progressAt: now },
      select: { id: true, number: true },
    });
    for (const broadcast of due) await refresh(broadcast);
  }

  async function refresh(broadcast: { id: string; number: number }): Promise<void> {
    const line = await ctx.prisma.delivery.findFirst({
      where: { purposeKey: `broadcast:${broadcast.number}:progress`, status: "sent", messageId: { not: null } },
      include: { address: true },
    });
    if (!line?.messageId) return;
    const outbound = options.outbound[line.platform];
    if (!outbound) return;
    const status = await loadBroadcastStatus(ctx, broadcast.id);
    const settled = isSettled(status);
    const outcome = await outbound.send(
      { platform: line.platform, workspaceId: line.workspaceId, userId: line.address.userId, conversationRef: line.address.conversationRef as Json | null },
      broadcastStatusView(ctx, status),
      { replace: line.messageId },
    );
    if (outcome.status !== "sent") log.warn({ broadcast: broadcast.number, outcome }, "could not refresh a progress line");
    if (settled && outcome.status !== "rate-limited") await ctx.prisma.broadcast.update({ where: { id: broadcast.id }, data: { progressDone: true } });
  }

  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
