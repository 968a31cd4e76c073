/**
 * Runs `load` at the first call and gives every caller, at once or later, the same promise. A failed load
 * is forgotten, so the next call tries again: a missing package or an unreachable sign-in service at one
 * moment must not break Teams until the process restarts.
 *
 * @example
 * const botFramework = loadOnce(() => import("./bot-framework.js"));
 */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () =>
    (loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    }));
}
