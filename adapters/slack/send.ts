import { webApi } from "@slack/bolt";
import type { DeliveryTarget, Outbound, SendOutcome } from "../../src/delivery/outbound.js";
import type { Message } from "../../src/core/kernel/view.js";
import type { Logger } from "../../src/log.js";
import { renderMessage } from "./render.js";

/** A send that did not go through, as the dispatcher sees it. */
export type SlackSendFailure = Exclude<SendOutcome, { status: "sent" }>;

// For this address, for good: the person left or was deactivated, or the app was uninstalled. `gone` is
// never undone, so `invalid_auth` (also what a mistyped token or an IP allow-list gives) is only a failure.
const goneErrors = new Set([
  "user_not_found",
  "user_disabled",
  "channel_not_found",
  "is_archived",
  "cannot_dm_bot",
  "account_inactive",
  "token_revoked",
]);

// Slack's own trouble, or a workspace mid-migration to an Enterprise org.
const transientErrors = new Set([
  "internal_error",
  "fatal_error",
  "service_unavailable",
  "request_timeout",
  "team_added_to_org",
  "org_login_required",
]);

const rateLimitedErrors = new Set(["ratelimited", "rate_limited"]);

/** When Slack throttles in a 200 answer without saying for how long. */
const defaultRetryAfterMs = 30_000;

/**
 * The WebClient proactive sends go through: one HTTP request per send, and a 429 comes back at once as
 * an error carrying Retry-After instead of being waited out.
 *
 * @example
 * const outbound = createSlackOutbound(slackOutboundClient("xoxb-…", { slackApiUrl, logger, timeout: 10_000 }), log);
 */
export function slackOutboundClient(token: string | undefined, options: webApi.WebClientOptions): webApi.WebClient {
  // The delivery dispatcher owns retry policy: the SDK must neither retry nor wait out a rate limit.
  return new webApi.WebClient(token, { ...options, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true });
}

/**
 * Where the token for each workspace comes from when the app is installed in many (OAuth). Without it,
 * the client's own token (SLACK_BOT_TOKEN) serves the one workspace.
 */
export interface WorkspaceTokens {
  /** The bot token for this workspace (team id); `fresh` skips any cache. Undefined: not installed there. */
  tokenFor(workspaceId: string, options?: { fresh?: boolean }): Promise<string | undefined>;
}

// What a cached token says once it has been replaced by a reinstall elsewhere: read the installation again.
const staleTokenErrors = new Set(["invalid_auth", "token_revoked", "not_authed"]);

/**
 * Slack's outbound side: posts a message to a person's DM with the app, or replaces one posted before,
 * with the token of the person's workspace. The `messageId` it returns is `<channel>/<ts>`, which is
 * what `replace` takes.
 *
 * @example
 * const sent = await outbound.send(target, message("Pulse", text("How is it going?")));
 * // { status: "sent", messageId: "D0SAM/1712345678.000200" }
 */
export function createSlackOutbound(api: webApi.WebClient, log: Logger, tokens?: WorkspaceTokens): Outbound {
  async function attempt(target: DeliveryTarget, rendered: ReturnType<typeof renderMessage>, replace: string | undefined, token: string | undefined): Promise<SendOutcome> {
    const auth = token === undefined ? {} : { token };
    if (replace === undefined) {
      const posted = await api.chat.postMessage({ channel: target.userId, ...rendered, ...auth });
      return { status: "sent", messageId: slackMessageId(posted.channel ?? target.userId, posted.ts ?? "") };
    }
    const replaced = parseSlackMessageId(replace);
    if (!replaced) return { status: "failed", reason: `not a Slack message id: ${replace}`, retryable: false };
    const updated = await api.chat.update({ ...replaced, ...rendered, ...auth });
    return { status: "sent", messageId: slackMessageId(updated.channel ?? replaced.channel, updated.ts ?? replaced.ts) };
  }

  async function send(target: DeliveryTarget, view: Message, options: { replace?: string } = {}): Promise<SendOutcome> {
    let token: string | undefined;
    try {
      const rendered = renderMessage(view);
      token = await tokens?.tokenFor(target.workspaceId);
      // The app was removed from the workspace: Slack would refuse every message to it.
      if (tokens && token === undefined) return { status: "gone", reason: "not_installed" };
      try {
        return await attempt(target, rendered, options.replace, token);
      } catch (error) {
        const fresh = tokens && isStaleToken(error) ? await tokens.tokenFor(target.workspaceId, { fresh: true }) : undefined;
        if (fresh === undefined || fresh === token) throw error;
        return await attempt(target, rendered, options.replace, fresh);
      }
    } catch (error) {
      const outcome = classifySlackError(error);
      const level = outcome.status === "rate-limited" ? "info" : "warn";
      log[level]({ err: error, workspaceId: target.workspaceId, userId: target.userId, outcome }, "slack send did not go through");
      return outcome;
    }
  }

  return { send };
}

function isStaleToken(error: unknown): boolean {
  return isWebApiError(error) && error.code === webApi.ErrorCode.PlatformError && staleTokenErrors.has(error.data.error);
}

/**
 * What a WebClient error means for a delivery. Pure: it reads the error and nothing else.
 *
 * @example
 * classifySlackError(new webApi.WebAPIPlatformError({ ok: false, error: "user_not_found" }))
 * // { status: "gone", reason: "user_not_found" }
 * classifySlackError(new webApi.WebAPIRateLimitedError(7))
 * // { status: "rate-limited", retryAfterMs: 7000 }
 */
export function classifySlackError(error: unknown): SlackSendFailure {
  if (!isWebApiError(error)) return unexpectedError(error);
  switch (error.code) {
    case webApi.ErrorCode.RateLimitedError:
      return { status: "rate-limited", retryAfterMs: error.retryAfter * 1000 };
    case webApi.ErrorCode.HTTPError:
      return { status: "failed", reason: `HTTP ${error.statusCode}`, retryable: error.statusCode >= 500 || error.statusCode === 408 };
    case webApi.ErrorCode.RequestError:
      return { status: "failed", reason: `request failed: ${describeCause(error.original)}`, retryable: true };
    case webApi.ErrorCode.PlatformError:
      return platformError(error.data.error, error.data.response_metadata?.retryAfter);
    default:
      return unexpectedError(error);
  }
}

/** `<channel>/<ts>`: enough to find the message again for `chat.update`. */
export function slackMessageId(channel: string, ts: string): string {
  return `${channel}/${ts}`;
}

export function parseSlackMessageId(messageId: string): { channel: string; ts: string } | undefined {
  const slash = messageId.indexOf("/");
  if (slash <= 0 || slash === messageId.length - 1) return undefined;
  return { channel: messageId.slice(0, slash), ts: messageId.slice(slash + 1) };
}

function platformError(code: string, retryAfterSeconds: number | undefined): SlackSendFailure {
  if (rateLimitedErrors.has(code)) {
    return { status: "rate-limited", retryAfterMs: retryAfterSeconds !== undefined ? retryAfterSeconds * 1000 : defaultRetryAfterMs };
  }
  if (goneErrors.has(code)) return { status: "gone", reason: code };
  return { status: "failed", reason: code, retryable: transientErrors.has(code) };
}

function isWebApiError(error: unknown): error is webApi.WebAPICallError {
  const code: unknown = error instanceof Error ? (error as Error & { code?: unknown }).code : undefined;
  return typeof code === "string" && code.startsWith("slack_webapi_");
}

// Not one of the SDK's coded errors: a timeout while reading the body (the SDK wraps only the fetch),
// or a 429 without a usable Retry-After. Neither says the payload or the address is wrong.
function unexpectedError(error: unknown): SlackSendFailure {
  return { status: "failed", reason: describeCause(error), retryable: true };
}

function describeCause(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  return typeof code === "string" ? `${error.message} (${code})` : error.message;
}
