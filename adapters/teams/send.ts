import type { Agent, request } from "undici";
import { z } from "zod";
import { loadOnce } from "./load-once.js";
import type { DeliveryTarget, Outbound, SendOutcome } from "../../src/delivery/outbound.js";
import type { Message } from "../../src/core/kernel/view.js";
import { cardActivity } from "./render.js";

export interface TeamsOutboundOptions {
  /** The Microsoft App ID. Without it sends carry no token, as the Agents Playground and the Emulator expect. */
  appId?: string;
  /** Where tokens come from when there is an app id: the factory the CloudAdapter authenticates with. */
  credentials?: CredentialsFactory;
  /** The Microsoft cloud the bot lives in; the public cloud when unset. */
  cloud?: TeamsCloud;
  /** The tenant the bot was created in (single-tenant and managed identity bots); its tokens come from there. */
  tenantId?: string;
  /** How long one request may take before it counts as failed (retryable). */
  timeoutMs?: number;
}

/** The part of botbuilder's `ServiceClientCredentialsFactory` (e.g. `ConfigurationServiceClientCredentialFactory`) used here. */
export interface CredentialsFactory {
  createCredentials(appId: string, audience: string, loginEndpoint: string, validateAuthority: boolean): Promise<unknown>;
}

/** A failure: every outcome but `sent`. */
export type SendFailure = Exclude<SendOutcome, { status: "sent" }>;

/**
 * A Microsoft cloud's Bot Framework endpoints. Azure Government and Azure operated by 21Vianet have
 * their own; the values are in Microsoft's Bot Framework documentation for each cloud.
 */
export interface TeamsCloud {
  /** Entra ID's sign-in host, where the bot gets its tokens: `https://login.microsoftonline.com` in the public cloud. */
  loginUrl: string;
  /** The Bot Framework service: the audience of the bot's tokens and the issuer of the channel's. */
  botFrameworkUrl: string;
  /** The OpenID metadata naming the keys the channel signs its tokens with. */
  openIdMetadataUrl: string;
}

// The public cloud's, as botframework-connector's AuthenticationConstants name them.
export const publicCloud: TeamsCloud = {
  loginUrl: "https://login.microsoftonline.com",
  botFrameworkUrl: "https://api.botframework.com",
  openIdMetadataUrl: "https://login.botframework.com/v1/.well-known/openidconfiguration",
};

/** The authority the bot's tokens come from: its own tenant, or Bot Framework's for a multi-tenant bot. */
export function loginAuthority(cloud: TeamsCloud, tenantId: string | undefined): string {
  return `${cloud.loginUrl.replace(/\/+$/, "")}/${tenantId ?? "botframework.com"}`;
}

const defaultTimeoutMs = 15_000;
/**
 * undici and keep-alive connections to the Bot Connector, shared by every outbound in the process. Loaded
 * at the first send (~0.15 s, ~20 MB), not at start: a bot that never speaks first on Teams never pays.
 */
const http = loadOnce(async (): Promise<{ request: typeof request; pool: Agent }> => {
  const undici = await import("undici");
  return { request: undici.request, pool: new undici.Agent({ keepAliveTimeout: 30_000 }) };
});

/** Teams sometimes throttles without saying for how long. */
const defaultRetryAfterMs = 1_000;

const account = z.looseObject({ id: z.string().min(1) });

/** The parts of a stored `TurnContext.getConversationReference(activity)` a proactive send needs. */
const conversationRefSchema = z.object({
  serviceUrl: z.string().refine((url) => URL.canParse(url) && /^https?:$/.test(new URL(url).protocol)),
  channelId: z.string().optional(),
  locale: z.string().optional(),
  conversation: z.looseObject({ id: z.string().min(1) }),
  bot: account.optional(),
  user: account.optional(),
});

type ConversationRef = z.infer<typeof conversationRefSchema>;

const connectorError = z.object({ error: z.object({ code: z.string().optional() }) });

/**
 * The Teams side of proactive sends: one request to the Bot Connector REST API per call.
 *
 * Calls the REST API with `undici.request` rather than botbuilder's ConnectorClient: its pipeline always
 * adds a retry policy (3 retries on 408, 5xx and network errors, 429 with Retry-After) that no option can
 * remove, and the delivery dispatcher owns retries. Not `fetch`: its web streams and AbortSignal cost
 * about four times the CPU of a plain request, at hundreds of sends a second.
 *
 * @example
 * const outbound = createTeamsOutbound({ appId, credentials });
 * const outcome = await outbound.send(target, message("Pulse round open", formatted("**Tell us** how it went")));
 * if (outcome.status === "sent") await outbound.send(target, closed, { replace: outcome.messageId });
 */
export function createTeamsOutbound(options: TeamsOutboundOptions = {}): Outbound {
  const cloud = options.cloud ?? publicCloud;
  const token = options.appId ? tokenSource(options.appId, options.credentials, cloud.botFrameworkUrl, loginAuthority(cloud, options.tenantId)) : undefined;
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  let refreshToken = false;
  // A broadcast's recipients share one view: render its card once.
  const cards = new WeakMap<Message, ReturnType<typeof cardActivity>>();
  const card = (view: Message) => {
    let activity = cards.get(view);
    if (!activity) {
      activity = cardActivity(view);
      cards.set(view, activity);
    }
    return activity;
  };

  async function authorization(): Promise<{ authorization?: string } | SendFailure> {
    if (!token) return {};
    try {
      const header = { authorization: `Bearer ${await token(refreshToken)}` };
      refreshToken = false;
      return header;
    } catch (error) {
      return { status: "failed", reason: `could not get a Bot Framework token: ${messageOf(error)}`, retryable: true };
    }
  }

  async function send(target: DeliveryTarget, view: Message, sendOptions: { replace?: string } = {}): Promise<SendOutcome> {
    const ref = conversationRefSchema.safeParse(target.conversationRef);
    if (!ref.success) return { status: "gone", reason: "no conversation reference to send to (it needs a serviceUrl and a conversation id)" };
    const replacing = sendOptions.replace === undefined ? undefined : parseMessageId(sendOptions.replace);
    if (replacing === null) return { status: "failed", reason: `not a Teams message id: ${sendOptions.replace}`, retryable: false };
    const headers = await authorization();
    if ("status" in headers) return headers;

    const conversationId = replacing?.conversationId ?? ref.data.conversation.id;
    const activityPath = `v3/conversations/${encodeURIComponent(conversationId)}/activities`;
    const answer = await exchange(
      new URL(replacing ? `${activityPath}/${encodeURIComponent(replacing.activityId)}` : activityPath, withTrailingSlash(ref.data.serviceUrl)),
      {
        method: replacing ? "PUT" : "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ ...proactiveActivity(card(view), ref.data), ...(replacing ? { id: replacing.activityId } : {}) }),
      },
      timeoutMs,
    );
    if (typeof answer.status === "string") return answer;
    if (answer.status >= 200 && answer.status < 300) {
      // Delivered even if the answer is odd: reporting a failure here would send the message twice.
      return { status: "sent", messageId: messageIdOf(conversationId, replacing?.activityId ?? idOf(answer.body) ?? "") };
    }
    if (answer.status === 401) refreshToken = true;
    return outcomeOfFailure(answer.status, { retryAfter: answer.retryAfter, code: errorCodeOf(answer.body) });
  }

  return {
    send: (target, view, sendOptions) =>
      send(target, view, sendOptions).catch((error: unknown): SendOutcome => ({ status: "failed", reason: messageOf(error), retryable: false })),
  };
}

/** The one HTTP request of a send, with its body read; a network error or timeout comes back as a retryable failure. */
async function exchange(
  url: URL,
  init: { method: "POST" | "PUT"; headers: Record<string, string>; body: string },
  timeoutMs: number,
): Promise<{ status: number; retryAfter: string | undefined; body: string } | SendFailure> {
  let client: Awaited<ReturnType<typeof http>>;
  try {
    client = await http();
  } catch (error) {
    return { status: "failed", reason: `could not load undici: ${messageOf(error)}`, retryable: true };
  }
  try {
    const answer = await client.request(url, { ...init, dispatcher: client.pool, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
    const retryAfter = answer.headers["retry-after"];
    return { status: answer.statusCode, retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter, body: await answer.body.text() };
  } catch (error) {
    return { status: "failed", reason: networkReason(error, timeoutMs), retryable: true };
  }
}

/**
 * What a Bot Connector status other than 2xx means for the address it was sent to.
 *
 * @example
 * outcomeOfFailure(429, { retryAfter: "3" })                     // { status: "rate-limited", retryAfterMs: 3000 }
 * outcomeOfFailure(403, { code: "ConversationBlockedByUser" })   // { status: "gone", reason: "HTTP 403 ConversationBlockedByUser" }
 * outcomeOfFailure(503)                                          // { status: "failed", reason: "HTTP 503", retryable: true }
 */
export function outcomeOfFailure(status: number, details: { retryAfter?: string | null; code?: string; now?: Date } = {}): SendFailure {
  const reason = `HTTP ${status}${details.code ? ` ${details.code}` : ""}`;
  if (status === 429) return { status: "rate-limited", retryAfterMs: retryAfterMs(details.retryAfter, details.now) ?? defaultRetryAfterMs };
  // On a replace, the message is gone but the person is not.
  if (status === 404 && details.code === "ActivityNotFoundInConversation") return { status: "failed", reason, retryable: false };
  // 403: blocked by the person, uninstalled, or disabled by an admin. 404: the conversation no longer exists.
  if (status === 403 || status === 404) return { status: "gone", reason };
  // 401: our token was refused; the next attempt fetches a fresh one. 412: Teams asks for a retry.
  const retryable = status === 401 || status === 408 || status === 412 || status >= 500;
  return { status: "failed", reason, retryable };
}

/** A `Retry-After` header in milliseconds: delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null | undefined, now = new Date()): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now.getTime());
}

function proactiveActivity(card: ReturnType<typeof cardActivity>, ref: ConversationRef) {
  // Not `TurnContext.applyConversationReference`: it would make this a reply to the stored activityId,
  // the last thing the person said, which may be weeks old.
  return {
    ...card,
    ...(ref.channelId ? { channelId: ref.channelId } : {}),
    ...(ref.locale ? { locale: ref.locale } : {}),
    conversation: ref.conversation,
    ...(ref.bot ? { from: ref.bot } : {}),
    ...(ref.user ? { recipient: ref.user } : {}),
  };
}

/** `conversationId/activityId`, each URI-encoded so the slash is unambiguous. */
function messageIdOf(conversationId: string, activityId: string): string {
  return `${encodeURIComponent(conversationId)}/${encodeURIComponent(activityId)}`;
}

function parseMessageId(messageId: string): { conversationId: string; activityId: string } | null {
  const parts = messageId.split("/");
  if (parts.length !== 2 || !parts[0] || !parts[1]) return null;
  try {
    return { conversationId: decodeURIComponent(parts[0]), activityId: decodeURIComponent(parts[1]) };
  } catch {
    return null;
  }
}

function tokenSource(appId: string, factory: TeamsOutboundOptions["credentials"], scope: string, authority: string): (refresh: boolean) => Promise<string> {
  if (!factory) throw new Error("Teams outbound: an app id needs credentials to get tokens with.");
  // Not kept when it fails: with botbuilder loaded lazily (index.ts), a failed load is tried again at the next send.
  const credentials = loadOnce(() => factory.createCredentials(appId, scope, authority, true));
  return async (refresh) => {
    const signer = await credentials();
    // Every AppCredentials (password, certificate, managed identity) has getToken; tokens are cached until 5 minutes before expiry.
    if (!hasGetToken(signer)) throw new Error("these credentials cannot give a bearer token");
    return signer.getToken(refresh);
  };
}

function hasGetToken(value: unknown): value is { getToken(forceRefresh?: boolean): Promise<string> } {
  return typeof (value as { getToken?: unknown } | null)?.getToken === "function";
}

function withTrailingSlash(url: string): string {
  return url.endsWith("/") ? url : `${url}/`;
}

const sentActivity = z.object({ id: z.string().min(1) });

function idOf(body: string): string | undefined {
  const parsed = sentActivity.safeParse(parseJson(body));
  return parsed.success ? parsed.data.id : undefined;
}

function errorCodeOf(body: string): string | undefined {
  const parsed = connectorError.safeParse(parseJson(body));
  return parsed.success ? parsed.data.error.code : undefined;
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

function networkReason(error: unknown, timeoutMs: number): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT") return `no answer in ${timeoutMs} ms`;
  return `network error: ${String(code ?? messageOf(error))}`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
