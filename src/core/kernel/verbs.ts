import type { Who } from "./authorise.js";

/**
 * A verb as `help` lists it, with who may use it (typed, or pressed as a button). Each feature declares
 * its own in its `verbs.ts`.
 *
 * @example
 * { verb: "event new", usage: "event new", summary: "Plan a network event and invite people.", who: "coordinators" }
 */
export interface VerbInfo {
  verb: string;
  usage: string;
  summary: string;
  who: Who;
  /** Reached from buttons, not typed: left out of `help`. */
  hidden?: boolean;
  /**
   * Answered in a channel or group chat too, where everyone there sees the answer. Other verbs are
   * answered only in a person's one-to-one chat with the bot, so nothing personal shows in a channel.
   */
  inShared?: boolean;
}

/** A section of `help`, `help <area>` shows one. */
export interface VerbArea {
  area: string;
  title: string;
  verbs: readonly VerbInfo[];
}
