import type { PrismaClient } from "../db/generated/client.js";
import type { Platform } from "../core/kernel/interaction.js";
import { nextSendingTime, parseSendingHours, type SendingHours } from "../core/kernel/sending-hours.js";
import type { Logger } from "../log.js";
import { createSendLimiter, type RateLimits } from "./limits.js";
import type { Outbound, SendOutcome } from "./outbound.js";
import { claimDue, deactivateAddresses, pauseWorkspace, settle, type ClaimedDelivery, type Settlement } from "./outbox-store.js";
import type { Personalise } from "./personalise-links.js";
import { retryDelayMs, type RetryPolicy } from "./retry.js";

export interface DispatcherOptions {
  prisma: PrismaClient;
  /** The adapters that can send; deliveries for other platforms wait for a process that has theirs. */
  outbound: Partial<Record<Platform, Outbound>>;
  /** Each platform's limits, per workspace and per conversation. */
  limits: RateLimits;
  retry: RetryPolicy;
  log: Logger;
  now?: () => Date;
  /** Most deliveries claimed and not yet settled at once (each workspace also gets at most about two seconds' worth). */
  concurrency?: number;
  /** How long a claim holds before another process may take the row up. */
  leaseMs?: number;
  /** How often to look for due deliveries when nothing wakes the dispatcher. */
  pollMs?: number;
  /** Outcomes are written together, at most this long after they happen. */
  settleEveryMs?: number;
  /** What each recipient is sent, made from the queued view just before sending (their own counted links). */
  personalise?: Personalise;
}

/**
 * The outbox dispatcher: claims due deliveries, sends each through its platform within the limits, and
 * records what happened. Every process may run one; the database keeps them from sending a row twice.
 *
 * @example
 * const dispatcher = createDispatcher({ prisma, outbound: { slack: slack.outbound }, limits, retry: defaultRetryPolicy, log });
 * dispatcher.start();
 * ctx.deliveriesQueued = dispatcher.wake;
 */
export interface Dispatcher {
  start(): void;
  /** Looks for due deliveries now rather than at the next poll. */
  wake(): void;
  /** Stops claiming, lets sends in flight finish and records them. */
  stop(): Promise<void>;
}

export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const { prisma, log } = options;
  const now = options.now ?? (() => new Date());
  const concurrency = options.concurrency ?? 256;
  const limiter = createSendLimiter(options.limits);
  // About two seconds' worth per workspace: enough to keep it busy, never enough to crowd out the rest.
  const perWorkspace = {
    slack: Math.max(2, Math.ceil(options.limits.slack.perWorkspace * 2)),
    teams: Math.max(2, Math.ceil(options.limits.teams.perWorkspace * 2)),
  };
  const inHand = new Map<string, number>();
  const leaseMs = options.leaseMs ?? 120_000;
  const pollMs = options.pollMs ?? 1_000;
  const settleEveryMs = options.settleEveryMs ?? 50;
  const recordAgainMs = 1_000;
  const leaseMarginMs = Math.min(5_000, leaseMs / 5);
  const platforms = (Object.keys(options.outbound) as Platform[]).filter((platform) => options.outbound[platform]);
  const sendingHours = createSendingHoursCache(prisma);

  let running = false;
  let loop: Promise<void> | undefined;
  let inFlight = 0;
  let signal: (() => void) | undefined;
  const pending: Settlement[] = [];
  const gone = new Set<string>();
  let flushing: Promise<void> = Promise.resolve();
  let flushTimer: NodeJS.Timeout | undefined;

  const wake = () => {
    signal?.();
  };
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal = undefined;
        resolve();
      }
      signal = done;
    });

  async function run(): Promise<void> {
    while (running) {
      const room = concurrency - inFlight;
      if (room < Math.max(1, Math.floor(concurrency / 4))) {
        await pause(pollMs);
        continue;
      }
      let claimed: ClaimedDelivery[];
      try {
        claimed = await claimDue(prisma, { limit: room, now: now(), leaseMs, platforms, share: { perWorkspace, inHand } });
      } catch (error) {
        log.error({ err: error }, "could not claim deliveries; trying again shortly");
        await pause(pollMs);
        continue;
      }
      if (claimed.length === 0) {
        await pause(pollMs);
        continue;
      }
      for (const delivery of claimed) {
        inFlight++;
        const key = workspaceKey(delivery);
        inHand.set(key, (inHand.get(key) ?? 0) + 1);
        void deliver(delivery)
          .then(record, (error: unknown) => {
            log.error({ err: error, deliveryId: delivery.id }, "a delivery failed unexpectedly");
            record(failure(delivery, "unexpected error", true));
          })
          .finally(() => {
            inFlight--;
            const left = (inHand.get(key) ?? 1) - 1;
            if (left > 0) inHand.set(key, left);
            else inHand.delete(key);
            wake();
          });
      }
    }
  }

  async function deliver(delivery: ClaimedDelivery): Promise<Settlement> {
    if (!delivery.addressActive) return end(delivery, "gone", "the address is no longer reachable");
    if (delivery.memberLeft) return end(delivery, "cancelled", "the member left the network");
    if (delivery.respectQuietHours) {
      const hours = await sendingHours.get(delivery.networkId);
      const allowed = nextSendingTime(hours.sendingHours, hours.timeZone, now());
      if (allowed.getTime() > now().getTime()) return later(delivery, "queued", allowed, null);
    }
    await limiter.acquire(delivery);
    // Checked after the wait, not before: a 429 answered meanwhile covers the sends already in hand too.
    // (The limiter keeps real time; `now` may be a test's clock.)
    const pausedForMs = limiter.pausedUntil(delivery) - Date.now();
    if (pausedForMs > 0) return later(delivery, "retrying", new Date(now().getTime() + pausedForMs), "waiting for the platform's rate limit");
    // A claim about to outlive its lease may become another process's: hand it back rather than risk
    // sending it twice. (Claims are sized to the limits, so this only happens when a platform is slow.)
    if (now().getTime() > delivery.leaseUntil.getTime() - leaseMarginMs) return later(delivery, "retrying", now(), null);
    const outbound = options.outbound[delivery.platform]!;
    const view = options.personalise ? await options.personalise(delivery) : delivery.view;
    return outcomeSettlement(delivery, await outbound.send(delivery, view));
  }

  function outcomeSettlement(delivery: ClaimedDelivery, outcome: SendOutcome): Settlement {
    switch (outcome.status) {
      case "sent":
        return { ...base(delivery), status: "sent", messageId: outcome.messageId, sentAt: now() };
      case "rate-limited": {
        const until = now().getTime() + outcome.retryAfterMs;
        limiter.pause(delivery, Date.now() + outcome.retryAfterMs);
        void pauseWorkspace(prisma, delivery.platform, delivery.workspaceId, new Date(until)).catch((error: unknown) =>
          log.warn({ err: error }, "could not record a rate-limit pause"),
        );
        log.warn({ platform: delivery.platform, workspaceId: delivery.workspaceId, retryAfterMs: outcome.retryAfterMs }, "rate limited");
        return later(delivery, "retrying", new Date(until), "rate limited by the platform");
      }
      case "gone":
        gone.add(delivery.addressId);
        return end(delivery, "gone", outcome.reason);
      case "failed":
        return failure(delivery, outcome.reason, outcome.retryable);
    }
  }

  function failure(delivery: ClaimedDelivery, reason: string, retryable: boolean): Settlement {
    const attempts = delivery.attempts + 1;
    if (!retryable || attempts >= options.retry.maxAttempts) return { ...end(delivery, "failed", reason), attempts };
    const next = new Date(now().getTime() + retryDelayMs(options.retry, attempts));
    return { ...later(delivery, "retrying", next, reason), attempts };
  }

  const base = (delivery: ClaimedDelivery): Settlement => ({
    id: delivery.id,
    claimToken: delivery.claimToken,
    status: "sent",
    attempts: delivery.attempts,
    nextAttemptAt: now(),
    lastError: null,
    messageId: null,
    sentAt: null,
  });
  const end = (delivery: ClaimedDelivery, status: Settlement["status"], reason: string): Settlement => ({
    ...base(delivery),
    status,
    lastError: reason,
  });
  const later = (delivery: ClaimedDelivery, status: "queued" | "retrying", at: Date, reason: string | null): Settlement => ({
    ...base(delivery),
    status,
    nextAttemptAt: at,
    lastError: reason,
  });

  function record(settlement: Settlement): void {
    pending.push(settlement);
    if (pending.length >= 100) void flush();
    else flushTimer ??= setTimeout(() => void flush(), settleEveryMs);
  }

  function flush(): Promise<void> {
    clearTimeout(flushTimer);
    flushTimer = undefined;
    const batch = pending.splice(0);
    const addresses = [...gone];
    gone.clear();
    flushing = flushing.then(async () => {
      try {
        await settle(prisma, batch, now());
        await deactivateAddresses(prisma, addresses);
      } catch (error) {
        // These messages were sent: forgetting that would send them again once their lease ran out.
        // Keep the outcomes and record them when the database answers again (a restart, a failover).
        log.error({ err: error, deliveries: batch.length }, "could not record delivery outcomes; trying again shortly");
        pending.unshift(...batch);
        for (const address of addresses) gone.add(address);
        flushTimer ??= setTimeout(() => void flush(), recordAgainMs);
      }
    });
    return flushing;
  }

  return {
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    wake,
    async stop() {
      running = false;
      wake();
      await loop;
      while (inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 10));
      await flush();
    },
  };
}

function workspaceKey(delivery: { platform: Platform; workspaceId: string }): string {
  return `${delivery.platform}/${delivery.workspaceId}`;
}

/** Each network's sending hours, read at most every 30 s so a coordinator's change applies soon. */
function createSendingHoursCache(prisma: PrismaClient) {
  const cache = new Map<string, { at: number; value: Promise<{ sendingHours: SendingHours; timeZone: string }> }>();
  return {
    get(networkId: string) {
      const cached = cache.get(networkId);
      if (cached && Date.now() - cached.at < 30_000) return cached.value;
      const value = prisma.network.findUniqueOrThrow({ where: { id: networkId }, select: { sendingHours: true, timeZone: true } }).then((network) => ({
        sendingHours: parseSendingHours(network.sendingHours),
        timeZone: network.timeZone,
      }));
      cache.set(networkId, { at: Date.now(), value });
      value.catch(() => cache.delete(networkId));
      return value;
    },
  };
}
