import { LogLevel, type Logger as BoltLogger } from "@slack/bolt";
import type { Logger } from "../../src/log.js";

/** Bolt's (and the Slack SDKs') logger, writing through pino. */
export function boltLogger(log: Logger): BoltLogger {
  const write =
    (level: "debug" | "info" | "warn" | "error") =>
    (...parts: unknown[]) => {
      const err = parts.find((part) => part instanceof Error);
      const text = parts.filter((part) => !(part instanceof Error)).map((part) => (typeof part === "string" ? part : JSON.stringify(part)));
      log[level](err ? { err } : {}, text.join(" "));
    };
  return {
    debug: write("debug"),
    info: write("info"),
    warn: write("warn"),
    error: write("error"),
    // pino's own level decides what is written.
    setLevel: () => undefined,
    getLevel: () => LogLevel.DEBUG,
    setName: () => undefined,
  };
}

/**
 * For the install flow: its client's debug lines print request bodies, and `oauth.v2.access` carries the
 * client secret, so debug is dropped; a cancelled install is no error, and each outcome is logged by the
 * install routes, so errors are written as warnings.
 */
export function oauthLogger(log: Logger): BoltLogger {
  const logger = boltLogger(log);
  return { ...logger, debug: () => undefined, error: logger.warn, getLevel: () => LogLevel.INFO };
}
