/** Polls `check` until it returns a value other than undefined or false, or fails after `timeoutMs` with what it last saw. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, { timeoutMs = 10_000, everyMs = 50, what = "the condition" } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
