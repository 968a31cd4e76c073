/**
 * When a failed delivery is tried again. The wait doubles with each failure from `baseMs`, capped at
 * `maxMs`, with "equal jitter" (half fixed, half random) so that a burst of failures doesn't retry in a
 * burst. The retry itself is a database row with a due time, not a timer, so it survives a restart;
 * that is why this is a formula rather than an in-process retry library.
 */
export interface RetryPolicy {
  maxAttempts: number;
  baseMs: number;
  maxMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 6, baseMs: 2_000, maxMs: 10 * 60_000 };

/** Milliseconds to wait after the `attempts`-th failure (1-based). */
export function retryDelayMs(policy: RetryPolicy, attempts: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
