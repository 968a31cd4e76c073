import type { webApi } from "@slack/bolt";
import { Agent, request, type Dispatcher } from "undici";
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
/** The WebClient's `timeout: 0` means none; a send that never answers must still end. */
const defaultTimeoutMs = 30_000;

/**
 * What proactive sends go through: the Web API's URL, the token, and a keep-alive connection pool. Not a
 * WebClient: its `fetch`, request queue and retry wrapper cost more CPU than the rest of a delivery, and
 * the delivery dispatcher owns retries and rate limits, so each send is one plain `undici.request`.
 *
 * @example
 * const outbound = createSlackOutbound(slackOutboundClient("xoxb-…", { slackApiUrl, timeout: 10_000 }), log);
 */
export interface SlackOutboundClient {
  /** Used when no per-workspace token is given; undefined with OAuth installs. */
  readonly token: string | undefined;
  /** Ends with `/`: `https://slack.com/api/`. */
  readonly apiUrl: string;
  /** How long to wait for the answer's headers, and then for its body. */
  readonly timeoutMs: number;
  readonly pool: Agent;
}

/** Takes the adapter's WebClient options; only the API URL and the timeout apply (one attempt, no retries). */
export function slackOutboundClient(token: string | undefined, options: webApi.WebClientOptions): SlackOutboundClient {
  const apiUrl = options.slackApiUrl ?? "https://slack.com/api/";
  return {
    token,
    apiUrl: apiUrl.endsWith("/") ? apiUrl : `${apiUrl}/`,
    timeoutMs: options.timeout || defaultTimeoutMs,
    pool: new Agent({ keepAliveTimeout: 30_000 }),
  };
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
export function createSlackOutbound(client: SlackOutboundClient, log: Logger, tokens?: WorkspaceTokens): Outbound {
  // A broadcast's recipients share one view: render and serialise it once.
  const renderedJson = new WeakMap<Message, string>();
  const rendered = (view: Message) => {
    let json = renderedJson.get(view);
    if (json === undefined) {
      json = JSON.stringify(renderMessage(view)).slice(1, -1);
      renderedJson.set(view, json);
    }
    return json;
  };

  function attempt(target: DeliveryTarget, view: Message, replace: string | undefined, token: string | undefined): Promise<SlackAnswer> {
    if (replace === undefined) {
      return callSlack(client, "chat.postMessage", `{"channel":${JSON.stringify(target.userId)},${rendered(view)}}`, token).then((answer) =>
        "ok" in answer ? { status: "sent", messageId: slackMessageId(answer.ok.channel ?? target.userId, answer.ok.ts ?? "") } : answer,
      );
    }
    const replaced = parseSlackMessageId(replace);
    if (!replaced) return Promise.resolve({ status: "failed", reason: `not a Slack message id: ${replace}`, retryable: false });
    const body = `{"channel":${JSON.stringify(replaced.channel)},"ts":${JSON.stringify(replaced.ts)},${rendered(view)}}`;
    return callSlack(client, "chat.update", body, token).then((answer) =>
      "ok" in answer ? { status: "sent", messageId: slackMessageId(answer.ok.channel ?? replaced.channel, answer.ok.ts ?? replaced.ts) } : answer,
    );
  }

  async function send(target: DeliveryTarget, view: Message, options: { replace?: string } = {}): Promise<SendOutcome> {
    let outcome: SlackAnswer;
    try {
      const token = tokens ? await tokens.tokenFor(target.workspaceId) : client.token;
      // The app was removed from the workspace: Slack would refuse every message to it.
      if (tokens && token === undefined) return { status: "gone", reason: "not_installed" };
      outcome = await attempt(target, view, options.replace, token);
      if ("platformError" in outcome && tokens && staleTokenErrors.has(outcome.platformError)) {
        const fresh = await tokens.tokenFor(target.workspaceId, { fresh: true });
        if (fresh !== undefined && fresh !== token) outcome = await attempt(target, view, options.replace, fresh);
      }
    } catch (error) {
      outcome = unexpectedError(error);
    }
    if (outcome.status === "sent") return outcome;
    const failure = "platformError" in outcome ? classifySlackPlatformError(outcome.platformError, outcome.retryAfterSeconds) : outcome;
    const level = failure.status === "rate-limited" ? "info" : "warn";
    log[level]({ workspaceId: target.workspaceId, userId: target.userId, outcome: failure }, "slack send did not go through");
    return failure;
  }

  return { send };
}

/** What one call came to: sent, a failure already classified, or Slack's `ok: false` (classified once a stale token is ruled out). */
type SlackAnswer = SendOutcome | { status: "platform-error"; platformError: string; retryAfterSeconds: number | undefined };

/**
 * One Web API call, as the WebClient would make it with `retries: 0` and `rejectRateLimitedCalls`, with
 * the same readings of what comes back: a 429 with Retry-After is rate-limited, another non-200 an HTTP
 * failure, a body that isn't JSON an `ok: false` carrying the text.
 */
async function callSlack(
  client: SlackOutboundClient,
  method: string,
  body: string,
  token: string | undefined,
): Promise<{ ok: { channel?: string; ts?: string } } | Exclude<SlackAnswer, { status: "sent" }>> {
  let answer: Dispatcher.ResponseData;
  try {
    answer = await request(`${client.apiUrl}${method}`, {
      method: "POST",
      dispatcher: client.pool,
      headers: { "content-type": "application/json; charset=utf-8", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body,
      headersTimeout: client.timeoutMs,
      bodyTimeout: client.timeoutMs,
    });
  } catch (error) {
    return { status: "failed", reason: `request failed: ${describeRequestError(error, client.timeoutMs)}`, retryable: true };
  }
  let text: string;
  try {
    text = await answer.body.text();
  } catch (error) {
    return { status: "failed", reason: `request failed: ${describeRequestError(error, client.timeoutMs)}`, retryable: true };
  }
  const retryAfterSeconds = retryAfterOf(answer.headers["retry-after"]);
  if (answer.statusCode === 429) {
    return retryAfterSeconds === undefined
      ? { status: "failed", reason: "HTTP 429 without a usable Retry-After", retryable: true }
      : { status: "rate-limited", retryAfterMs: retryAfterSeconds * 1000 };
  }
  if (answer.statusCode !== 200) return { status: "failed", reason: `HTTP ${answer.statusCode}`, retryable: answer.statusCode >= 500 || answer.statusCode === 408 };
  const data = parseAnswer(text);
  if (data.ok === true) return { ok: { channel: typeof data.channel === "string" ? data.channel : undefined, ts: typeof data.ts === "string" ? data.ts : undefined } };
  return { status: "platform-error", platformError: typeof data.error === "string" ? data.error : String(data.error), retryAfterSeconds };
}

function parseAnswer(text: string): Record<string, unknown> {
  try {
    const data: unknown = JSON.parse(text);
    if (typeof data === "object" && data !== null) return data as Record<string, unknown>;
  } catch {
    // Not JSON: the WebClient reads it as `{ ok: false, error: <text> }`.
  }
  return { ok: false, error: text };
}

function retryAfterOf(header: string | string[] | undefined): number | undefined {
  const seconds = Number.parseInt(Array.isArray(header) ? (header[0] ?? "") : (header ?? ""), 10);
  return Number.isNaN(seconds) ? undefined : seconds;
}

function describeRequestError(error: unknown, timeoutMs: number): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT") return `no answer in ${timeoutMs} ms (${code})`;
  return typeof code === "string" && error instanceof Error && !error.message.includes(code) ? `${error.message} (${code})` : describeCause(error);
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

/**
 * What an `ok: false` answer's error code means for a delivery. Pure.
 *
 * @example
 * classifySlackPlatformError("user_not_found", undefined) // { status: "gone", reason: "user_not_found" }
 * classifySlackPlatformError("ratelimited", 7) // { status: "rate-limited", retryAfterMs: 7000 }
 */
export function classifySlackPlatformError(code: string, retryAfterSeconds: number | undefined): SlackSendFailure {
  if (rateLimitedErrors.has(code)) {
    return { status: "rate-limited", retryAfterMs: retryAfterSeconds !== undefined ? retryAfterSeconds * 1000 : defaultRetryAfterMs };
  }
  if (goneErrors.has(code)) return { status: "gone", reason: code };
  return { status: "failed", reason: code, retryable: transientErrors.has(code) };
}


// Something that isn't an answer from Slack: it says nothing about the payload or the address being wrong.
function unexpectedError(error: unknown): SlackSendFailure {
  return { status: "failed", reason: describeCause(error), retryable: true };
}

function describeCause(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  return typeof code === "string" ? `${error.message} (${code})` : error.message;
}
