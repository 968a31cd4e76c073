import { pino, type Logger } from "pino";
import { currentRequestId } from "./http/request-context.js";

export type { Logger };

/**
 * Structured JSON logs on stdout; `LOG_LEVEL` picks the level (tests pass "silent"). A line written
 * while serving a request carries its `requestId`, the one the response's `x-request-id` header gives.
 */
export function createLogger(level: string = process.env.LOG_LEVEL ?? "info"): Logger {
  return pino({
    level,
    base: { service: "ti-champions" },
    mixin: () => {
      const requestId = currentRequestId();
      return requestId ? { requestId } : {};
    },
  });
}
