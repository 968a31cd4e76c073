import type { Json, Platform } from "../core/kernel/interaction.js";
import type { Message } from "../core/kernel/view.js";

/** Where a proactive message goes: one stored address, as the dispatcher loaded it. */
export interface DeliveryTarget {
  platform: Platform;
  /** Slack team id, or Teams tenant id. */
  workspaceId: string;
  /** Slack user id (`U…`), or Teams user id (`29:…`). */
  userId: string;
  /** What the platform stored for a later proactive send (a Teams conversation reference); may be null on Slack. */
  conversationRef: Json | null;
}

/**
 * What became of one send. The dispatcher owns every retry: an adapter makes exactly one attempt and
 * reports what the platform said.
 *
 * @example
 * { status: "sent", messageId: "D024BE91L/1712345678.000200" }
 * { status: "rate-limited", retryAfterMs: 30_000 }
 * { status: "gone", reason: "account_inactive" }
 * { status: "failed", reason: "HTTP 503", retryable: true }
 */
export type SendOutcome =
  /** `messageId` lets the same message be replaced later (a progress line); opaque to the dispatcher. */
  | { status: "sent"; messageId: string }
  /** The platform throttled the workspace or tenant: nothing to it for `retryAfterMs`. */
  | { status: "rate-limited"; retryAfterMs: number }
  /** The person or the installation is gone for good: never send to this address again. */
  | { status: "gone"; reason: string }
  /** Anything else. `retryable` for 412, 5xx, timeouts and network errors; not for a refused payload. */
  | { status: "failed"; reason: string; retryable: boolean };

/**
 * A platform's outbound side, as the delivery dispatcher sees it.
 *
 * @example
 * const outcome = await slack.outbound.send(target, message("Hello", text("Hello")));
 * if (outcome.status === "sent") await slack.outbound.send(target, later, { replace: outcome.messageId });
 */
export interface Outbound {
  /** One attempt, no retries of its own, never throws: failures come back as outcomes. */
  send(target: DeliveryTarget, view: Message, options?: { replace?: string }): Promise<SendOutcome>;
}
