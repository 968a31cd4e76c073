// A stand-in for the Bot Framework connector service that Teams replies go to, plus builders for the
// activities Teams sends, shaped after recorded Teams payloads (personal chat, tenant in two places).
import { randomUUID } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

/** One call the bot made to the connector. */
export interface ConnectorCall {
  method: "POST" | "PUT";
  conversationId: string;
  /** The activity replied to (POST …/activities/:replyTo) or updated (PUT …/activities/:id). */
  activityId?: string;
  activity: SentActivity;
  headers: IncomingHttpHeaders;
  /** The status the fake answered with. */
  status: number;
}

/** An activity as the bot sent it; only the parts tests read are typed. */
export interface SentActivity {
  type: string;
  text?: string;
  summary?: string;
  replyToId?: string;
  attachments?: { contentType: string; content: CardJson }[];
  [key: string]: unknown;
}

export type CardJson = { type: string; [key: string]: unknown };

export interface FakeConnector {
  /** The serviceUrl to put in activities, with a trailing slash as Teams sends it. */
  url: string;
  calls: ConnectorCall[];
  /** The next call not yet taken, waiting for it if need be. */
  nextCall(timeoutMs?: number): Promise<ConnectorCall>;
  /** Resolves when no call arrives for `quietMs`; rejects if one does. */
  expectQuiet(quietMs?: number): Promise<void>;
  /** Answers the next call with this status instead of 200 (once). */
  failNext(status: number, headers?: Record<string, string>): void;
  /**
   * Answers every later call to this conversation with this status, as Teams does for a blocked bot
   * (`403`, `{ error: { code: "ConversationBlockedByUser" } }`) or a conversation that is gone.
   */
  failFor(conversationId: string, status: number, headers?: Record<string, string>, body?: unknown): void;
  /** How many new messages the conversation received: POSTs answered 2xx, so a duplicate shows as 2. */
  delivered(conversationId: string): number;
  close(): Promise<void>;
}

/**
 * A rate limit the fake enforces itself, answering 429 with Retry-After over it (sliding one-second
 * window; refused calls do not count). The tenant is the activity's `conversation.tenantId`, else
 * `channelData.tenant.id`.
 */
export interface ConnectorLimit {
  perTenantPerSecond?: number;
  perConversationPerSecond?: number;
}

export interface FakeConnectorOptions {
  limit?: ConnectorLimit;
}

interface Failure {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

const failureBody = { error: { code: "Failure", message: "The fake connector was told to fail." } };

const activityPath = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?\/?$/;

export async function startFakeConnector(options: FakeConnectorOptions = {}): Promise<FakeConnector> {
  const calls: ConnectorCall[] = [];
  const failures: Failure[] = [];
  const failuresFor = new Map<string, Failure>();
  const deliveries = new Map<string, number>();
  const accepted = slidingWindow();
  let taken = 0;
  let waiting: (() => void) | undefined;

  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const match = activityPath.exec(new URL(req.url ?? "/", "http://fake").pathname);
    const method = req.method === "PUT" ? "PUT" : req.method === "POST" ? "POST" : undefined;
    if (!match || !method || (method === "PUT" && !match[2])) {
      res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { code: "NotFound" } }));
      return;
    }
    const activity = JSON.parse(Buffer.concat(chunks).toString("utf8")) as SentActivity;
    const conversationId = decodeURIComponent(match[1]!);
    const answer = failures.shift() ?? failuresFor.get(conversationId) ?? overLimit(conversationId, activity);
    calls.push({
      method,
      conversationId,
      ...(match[2] ? { activityId: decodeURIComponent(match[2]) } : {}),
      activity,
      headers: req.headers,
      status: answer?.status ?? 200,
    });
    waiting?.();
    if (answer) {
      res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
      res.end(JSON.stringify(answer.body ?? failureBody));
      return;
    }
    if (method === "POST") deliveries.set(conversationId, (deliveries.get(conversationId) ?? 0) + 1);
    const id = method === "PUT" ? match[2]! : `1:${randomUUID()}`;
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id }));
  });

  function overLimit(conversationId: string, activity: SentActivity): Failure | undefined {
    const { perTenantPerSecond, perConversationPerSecond } = options.limit ?? {};
    const keys: [string, number][] = [];
    if (perConversationPerSecond !== undefined) keys.push([`conversation:${conversationId}`, perConversationPerSecond]);
    if (perTenantPerSecond !== undefined) keys.push([`tenant:${tenantOf(activity)}`, perTenantPerSecond]);
    const waitMs = Math.max(0, ...keys.map(([key, limit]) => accepted.waitMs(key, limit)));
    if (waitMs > 0) {
      return { status: 429, headers: { "retry-after": String(Math.max(1, Math.ceil(waitMs / 1000))) }, body: { error: { code: "Throttled", message: "Too many requests." } } };
    }
    for (const [key] of keys) accepted.record(key);
    return undefined;
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  function arrival(timeoutMs: number): Promise<boolean> {
    if (taken < calls.length) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        waiting = undefined;
        resolve(false);
      }, timeoutMs);
      waiting = () => {
        clearTimeout(timer);
        waiting = undefined;
        resolve(true);
      };
    });
  }

  return {
    url: `http://127.0.0.1:${port}/`,
    calls,
    async nextCall(timeoutMs = 5_000) {
      if (!(await arrival(timeoutMs))) throw new Error(`The fake connector received nothing in ${timeoutMs} ms.`);
      return calls[taken++]!;
    },
    async expectQuiet(quietMs = 300) {
      if (await arrival(quietMs)) throw new Error(`Expected no call, got ${JSON.stringify(calls[taken]?.activity)}`);
    },
    failNext(status, headers = {}) {
      failures.push({ status, headers });
    },
    failFor(conversationId, status, headers = {}, body) {
      failuresFor.set(conversationId, { status, headers, ...(body === undefined ? {} : { body }) });
    },
    delivered: (conversationId) => deliveries.get(conversationId) ?? 0,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function tenantOf(activity: SentActivity): string {
  const conversation = activity.conversation as { tenantId?: string } | undefined;
  const channelData = activity.channelData as { tenant?: { id?: string } } | undefined;
  return conversation?.tenantId ?? channelData?.tenant?.id ?? "unknown";
}

/** Accepted calls per key over the last second. */
function slidingWindow() {
  const times = new Map<string, number[]>();
  const recent = (key: string, now: number) => {
    const kept = (times.get(key) ?? []).filter((time) => now - time < 1_000);
    times.set(key, kept);
    return kept;
  };
  return {
    /** How long until one more call fits under `limit`; 0 if it fits now. */
    waitMs(key: string, limit: number): number {
      const now = Date.now();
      const kept = recent(key, now);
      return kept.length < limit ? 0 : kept[kept.length - limit]! + 1_000 - now;
    },
    record(key: string): void {
      recent(key, Date.now()).push(Date.now());
    },
  };
}

/** A person in a Teams tenant, as activities name them. */
export interface TeamsUser {
  id: string;
  aadObjectId: string;
  name: string;
  tenantId: string;
}

export function teamsUser(name: string, tenantId = "72f988bf-86f1-41af-91ab-2d7cd011db47"): TeamsUser {
  return { id: `29:1${randomUUID().replace(/-/g, "")}`, aadObjectId: randomUUID(), name, tenantId };
}

export const testBot = { id: "28:c9e8c047-2a74-40a2-b28a-b162d5f5327c", name: "TI Champions" };

let sequence = 0;

function envelope(serviceUrl: string, user: TeamsUser, type: string) {
  const timestamp = new Date().toISOString();
  return {
    type,
    id: `${Date.now()}${String(++sequence).padStart(4, "0")}`,
    timestamp,
    localTimestamp: timestamp,
    serviceUrl,
    channelId: "msteams",
    from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
    conversation: { conversationType: "personal", tenantId: user.tenantId, id: `a:${user.aadObjectId}` },
    recipient: { id: testBot.id, name: testBot.name },
    entities: [{ locale: "en-GB", country: "GB", platform: "Web", timezone: "Europe/London", type: "clientInfo" }],
    channelData: { tenant: { id: user.tenantId } },
    locale: "en-GB",
  };
}

/** A message typed in the personal chat with the bot. */
export function teamsMessage(serviceUrl: string, user: TeamsUser, text: string) {
  return { ...envelope(serviceUrl, user, "message"), textFormat: "plain", text };
}

/** What Teams sends when an Action.Submit on a card is pressed: no text, the action's data and the inputs in `value`. */
export function teamsCardSubmit(serviceUrl: string, user: TeamsUser, value: Record<string, unknown>, replyToId = "1:card") {
  const base = envelope(serviceUrl, user, "message");
  return {
    ...base,
    replyToId,
    value,
    channelData: { ...base.channelData, source: { name: "message" }, legacy: { replyToId } },
  };
}

/** The bot installed in a personal chat: the bot and the person are added. */
export function teamsBotAdded(serviceUrl: string, user: TeamsUser) {
  return {
    ...envelope(serviceUrl, user, "conversationUpdate"),
    membersAdded: [{ id: testBot.id }, { id: user.id, aadObjectId: user.aadObjectId }],
  };
}

export function teamsInstallationUpdate(serviceUrl: string, user: TeamsUser, action: "add" | "remove" = "add") {
  return { ...envelope(serviceUrl, user, "installationUpdate"), action };
}

/** A team's channel, as channel activities name it (Teams gives no name for General). */
export interface TeamsChannel {
  /** The channel's conversation id, `19:…@thread.tacv2`. */
  id: string;
  teamId: string;
  teamName: string;
  channelName?: string;
}

export function teamsChannel(teamName: string, channelName?: string): TeamsChannel {
  const id = `19:${randomUUID().replace(/-/g, "")}@thread.tacv2`;
  return { id, teamId: id, teamName, ...(channelName ? { channelName } : {}) };
}

function inChannel(serviceUrl: string, user: TeamsUser, channel: TeamsChannel, type: string, threadId: string) {
  const base = envelope(serviceUrl, user, type);
  return {
    ...base,
    conversation: { isGroup: true, conversationType: "channel", tenantId: user.tenantId, id: threadId },
    channelData: {
      teamsChannelId: channel.id,
      teamsTeamId: channel.teamId,
      channel: { id: channel.id, ...(channel.channelName ? { name: channel.channelName } : {}) },
      team: { id: channel.teamId, name: channel.teamName },
      tenant: { id: user.tenantId },
    },
  };
}

/**
 * A message posted in a team's channel, mentioning the bot (a bot only hears channel messages that
 * mention it): a new post, so its conversation id names the thread it starts.
 */
export function teamsChannelMessage(serviceUrl: string, user: TeamsUser, channel: TeamsChannel, text: string) {
  const base = inChannel(serviceUrl, user, channel, "message", `${channel.id};messageid=${Date.now()}`);
  const tag = `<at>${testBot.name}</at>`;
  return {
    ...base,
    textFormat: "plain",
    text: `${tag} ${text}`,
    entities: [...base.entities, { type: "mention", text: tag, mentioned: { id: testBot.id, name: testBot.name } }],
  };
}

/** The app added to a team: the conversationUpdate arrives in the team's General channel. */
export function teamsBotAddedToTeam(serviceUrl: string, user: TeamsUser, channel: TeamsChannel) {
  return { ...inChannel(serviceUrl, user, channel, "conversationUpdate", channel.id), membersAdded: [{ id: testBot.id }] };
}
