import { currentRequestId } from "./http/request-context.js";
import type { Logger } from "./log.js";

/**
 * Keeps one bad request from taking every member's bot away. A promise rejected with nothing waiting
 * for it is logged and the bot carries on. An exception thrown outside any promise carries on too when
 * it happened while serving a request (it is logged with the request's id); anywhere else the process's
 * state is unknown, so it is logged and the process exits for its supervisor to restart it.
 */
export function guardProcess(log: Logger, exit: (code: number) => void = (code) => process.exit(code)): void {
  process.on("unhandledRejection", (reason) => {
    log.error({ err: reason, requestId: currentRequestId() }, "a promise failed with nothing waiting for it; carrying on");
  });
  process.on("uncaughtException", (error) => {
    const requestId = currentRequestId();
    if (requestId) {
      log.error({ err: error, requestId }, "a request failed outside its handler; carrying on");
      return;
    }
    log.fatal({ err: error }, "an unexpected failure outside any request; stopping");
    exit(1);
  });
}
