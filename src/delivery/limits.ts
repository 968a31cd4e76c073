import type { DeliveryTarget } from "./outbound.js";

/** Messages per second each platform allows: per workspace or tenant, and per conversation. */
export interface RateLimits {
  teams: { perWorkspace: number; perConversation: number };
  slack: { perWorkspace: number; perConversation: number };
}

/** Waits until a message to `target` is within its platform's limits, and out of any pause a 429 asked for. */
export interface SendLimiter {
  /**
   * Resolves when `target` may be sent to now, or early when its workspace is paused for longer than the
   * limiter waits out in memory (check `pausedUntil` after it).
   */
  acquire(target: DeliveryTarget): Promise<void>;
  /** The platform answered 429 for this workspace: nothing goes to it before `until` (epoch ms). */
  pause(target: Pick<DeliveryTarget, "platform" | "workspaceId">, until: number): void;
  /** Epoch ms until which the workspace is paused; 0 when it is not. */
  pausedUntil(target: Pick<DeliveryTarget, "platform" | "workspaceId">): number;
}

export interface SendLimiterOptions {
  /**
   * Share of each limit to pace at. The platforms (and the fakes) count over sliding one-second windows;
   * pacing at exactly the limit lets a few milliseconds of timer jitter put one send too many in a window.
   * The window check below (never more than the limit in 1,025 ms) is what keeps sends inside the limit, so
   * this needs only a little: 99% (bench:delivery's limited run, 0 sends inside a Retry-After; 97.5% cost 1.5% more time).
   */
  headroom?: number;
  /** Pauses up to this long are waited out by sends already in hand; longer ones hand the sends back. */
  longestPauseWaitMs?: number;
  now?: () => number;
}

/**
 * Paces sends one per `1/rate` seconds, per workspace and per conversation, each slot booked when the send
 * asks for it rather than when the previous one fired (GCRA's theoretical arrival time): when the event loop
 * runs late, a late send doesn't push back every send queued behind it, so busy moments cost no throughput.
 * Slots are evenly spread rather than bunched at each second's start (Teams also counts 2 s and 30 s windows).
 */
export function createSendLimiter(limits: RateLimits, options: SendLimiterOptions = {}): SendLimiter {
  const headroom = options.headroom ?? 0.99;
  const longestPauseWaitMs = options.longestPauseWaitMs ?? 5_000;
  const now = options.now ?? Date.now;
  const interval = (perSecond: number) => 1000 / (perSecond * headroom);
  const workspaces = {
    slack: createPacer(interval(limits.slack.perWorkspace), now, limits.slack.perWorkspace),
    teams: createPacer(interval(limits.teams.perWorkspace), now, limits.teams.perWorkspace),
  };
  const conversations = {
    slack: createPacer(interval(limits.slack.perConversation), now),
    teams: createPacer(interval(limits.teams.perConversation), now),
  };
  const paused = new Map<string, number>();
  const keyOf = (target: Pick<DeliveryTarget, "platform" | "workspaceId">) => `${target.platform}/${target.workspaceId}`;
  const pausedUntil = (target: Pick<DeliveryTarget, "platform" | "workspaceId">) => {
    const until = paused.get(keyOf(target)) ?? 0;
    if (until > now()) return until;
    if (until) paused.delete(keyOf(target));
    return 0;
  };

  return {
    async acquire(target) {
      await conversations[target.platform].take(`${target.workspaceId}/${target.userId}`);
      const pacer = workspaces[target.platform];
      for (;;) {
        const until = pausedUntil(target);
        if (until - now() > longestPauseWaitMs) return;
        await pacer.take(target.workspaceId);
        // Timers run before the event loop reads sockets: let it read any answer already in (a 429) first.
        await new Promise<void>((resolve) => setImmediate(resolve));
        // A 429 answered while this send waited voids its slot: it books a new one after the pause.
        if (!pausedUntil(target)) return;
      }
    },
    pause(target, until) {
      paused.set(keyOf(target), Math.max(until, paused.get(keyOf(target)) ?? 0));
      workspaces[target.platform].holdUntil(target.workspaceId, until);
    },
    pausedUntil,
  };
}

/** Platforms count over a sliding second; a little more than that covers the network's jitter on the way. */
const windowMs = 1_025;

/**
 * One send per `intervalMs` for each key, booked first come first served. With `perWindow`, a send whose
 * slot comes late enough to be bunched with those before it (a busy event loop catching up) also waits
 * until no more than `perWindow` went out in the last `windowMs`, as the platform counts.
 */
function createPacer(intervalMs: number, now: () => number, perWindow?: number) {
  /** The next free slot per key (epoch ms); a key whose slot has passed is forgotten. */
  const next = new Map<string, number>();
  /** Per key, when its last `perWindow` sends went, oldest first. */
  const sent = new Map<string, number[]>();
  const windowSize = perWindow === undefined ? 0 : Math.max(1, Math.floor(perWindow));
  let booked = 0;
  const forgetPast = () => {
    const at = now();
    for (const [key, slot] of next) if (slot <= at) next.delete(key);
  };
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  async function withinWindow(key: string): Promise<void> {
    let times = sent.get(key);
    if (!times) sent.set(key, (times = []));
    for (;;) {
      const wait = times.length < windowSize ? 0 : times[0]! + windowMs - now();
      if (wait <= 0) break;
      await sleep(wait);
    }
    times.push(now());
    if (times.length > windowSize) times.shift();
  }

  return {
    async take(key: string): Promise<void> {
      const at = now();
      const slot = Math.max(next.get(key) ?? 0, at);
      next.set(key, slot + intervalMs);
      // One key per person: keep the map to the keys that still have a future slot.
      if (++booked % 4096 === 0) forgetPast();
      if (slot > at) await sleep(slot - at);
      if (windowSize) await withinWindow(key);
    },
    holdUntil(key: string, until: number) {
      next.set(key, Math.max(next.get(key) ?? 0, until));
    },
  };
}
