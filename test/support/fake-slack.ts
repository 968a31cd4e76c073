// A stand-in for Slack itself: its Web API and its response_url endpoints, on 127.0.0.1. The bot is
// pointed at it through SLACK_API_URL; it records every call and answers as Slack would.
import { createHmac, randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface SlackCall {
  /** A Web API method (`views.open`), or `response_url` for a post to a response_url. */
  method: string;
  /** The body, parsed: form fields (JSON-looking values decoded) or JSON. */
  body: Record<string, any>;
  /** The bearer token, for Web API calls: the Authorization header's, else the body's `token`. */
  token?: string;
  /** The token in the Authorization header alone (`Bearer …` stripped), when there was one. */
  authorization?: string;
  /** For `response_url`: which one (the last path segment). */
  responseId?: string;
}

export interface WaitOptions {
  where?: (call: SlackCall) => boolean;
  /** Only calls recorded after this many (take `slack.calls.length` before acting). */
  since?: number;
  timeoutMs?: number;
}

/** Slack's own throttling, as the fake enforces it on `chat.postMessage` and `chat.update` (sliding 1-second window). */
export interface FakeSlackLimit {
  perChannelPerSecond?: number;
  perWorkspacePerSecond?: number;
}

export interface FakeSlackOptions {
  limit?: FakeSlackLimit;
}

/** A workspace the fake lets install the app: `oauth.v2.access` trades its code for this. */
export interface FakeWorkspace {
  teamId: string;
  teamName: string;
  /** An org-wide install on Enterprise Grid: the token serves the whole enterprise. */
  enterprise?: { id: string; name: string };
  /** Who pressed Allow. */
  installerId?: string;
}

export interface FakeSlack {
  /** The Web API base, ending in `/api/`. */
  url: string;
  /** Every call, including those answered with an error or a 429. */
  calls: SlackCall[];
  /** A response_url served by this fake; posts to it are recorded as `response_url` calls. */
  responseUrl(id?: string): string;
  /** The first call to `method` matching the options, as soon as it is made. */
  waitFor(method: string, options?: WaitOptions): Promise<SlackCall>;
  /** The next call to `method` answers `{ ok: false, error }`. */
  failNext(method: string, error: string): void;
  /** The next post to any response_url is refused, 404 `expired_url`, as Slack does after 30 minutes. */
  expireNextResponseUrl(): void;
  /** The next call to `method` answers HTTP 429 with `Retry-After: retryAfterSeconds`, as Slack throttles. */
  rateLimitNext(method: string, retryAfterSeconds: number): void;
  /** The next call to `method` (or to any response_url, as `response_url`) answers with this HTTP status and no JSON (a 503 from Slack's edge). */
  httpErrorNext(method: string, status: number): void;
  /** Every `chat.postMessage` and `chat.update` to this user, or their DM, answers `{ ok: false, error }` from now on. */
  failFor(userId: string, error: string): void;
  /**
   * As if someone pressed Allow on Slack's consent page: a one-time code for `oauth.v2.access`, which
   * answers with a bot token of this workspace's own (`botToken`).
   */
  grantInstall(workspace: FakeWorkspace): { code: string; botToken: string };
  /** From now on every call with this token answers `{ ok: false, error: "token_revoked" }`, as after an uninstall. */
  revoke(token: string): void;
  /** How many `chat.postMessage` calls to this user (or DM, or channel) Slack accepted: over 1 is a duplicate. */
  postCount(userOrChannel: string): number;
  close(): Promise<void>;
}

/** The DM channel the fake gives a user: a bot posting to `U0SAM` lands in `D0SAM`. */
export function dmChannelFor(userOrChannel: string): string {
  return /^[UW]/.test(userOrChannel) ? `D${userOrChannel.slice(1)}` : userOrChannel;
}

interface CannedAnswer {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

const messageMethods = new Set(["chat.postMessage", "chat.update"]);

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const calls: SlackCall[] = [];
  const recorded = new EventEmitter();
  const nextAnswers = new Map<string, CannedAnswer[]>();
  const userFailures = new Map<string, string>();
  const posted = new Map<string, number>();
  const messages = new Set<string>();
  const throttle = slidingWindowLimit(options.limit ?? {});
  let viewCount = 0;
  let messageCount = 0;
  let expiringResponseUrls = 0;
  const grants = new Map<string, { workspace: FakeWorkspace; botToken: string }>();
  const botTokens = new Map<string, FakeWorkspace>();
  const revoked = new Set<string>();

  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
    const body = parseBody(req.headers["content-type"], await readBody(req));
    const reply = (status: number, answer: unknown) => {
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(answer));
    };
    if (path.startsWith("/response/")) {
      record({ method: "response_url", body, responseId: path.slice("/response/".length) });
      const cannedReply = nextAnswers.get("response_url")?.shift();
      if (cannedReply) return answerWith(res, cannedReply);
      // Slack refuses a response_url used too often or after 30 minutes.
      if (expiringResponseUrls > 0) {
        expiringResponseUrls--;
        return reply(404, { ok: false, error: "expired_url" });
      }
      return reply(200, { ok: true });
    }
    if (!path.startsWith("/api/")) return reply(404, { ok: false, error: "unknown_path" });
    const method = path.slice("/api/".length);
    const authorization = req.headers.authorization?.replace(/^Bearer /, "");
    const token = authorization ?? body.token;
    record({ method, body, token, ...(authorization ? { authorization } : {}) });
    const canned = nextAnswers.get(method)?.shift();
    if (canned) return answerWith(res, canned);
    if (token && revoked.has(token)) return reply(200, { ok: false, error: "token_revoked" });
    if (messageMethods.has(method)) {
      const channel = dmChannelFor(String(body.channel ?? ""));
      const retryAfter = throttle(channel);
      if (retryAfter !== undefined) return answerWith(res, rateLimited(retryAfter));
      const failure = userFailures.get(channel);
      if (failure) return reply(200, { ok: false, error: failure });
    }
    reply(200, answer(method, body, token));
  });

  function answer(method: string, body: Record<string, any>, token: string | undefined): Record<string, unknown> {
    switch (method) {
      case "auth.test": {
        const installed = token ? botTokens.get(token) : undefined;
        if (installed) return { ok: true, url: `https://${installed.teamId.toLowerCase()}.slack.com/`, team: installed.teamName, team_id: installed.teamId, user: "ti", user_id: `U0BOT${installed.teamId}`, bot_id: `B0BOT${installed.teamId}` };
        return { ok: true, url: "https://test.slack.com/", team: "Test", team_id: "T0TEST", user: "ti", user_id: "U0BOT", bot_id: "B0BOT" };
      }
      case "oauth.v2.access":
        return oauthAccess(body);
      case "views.open":
      case "views.push":
      case "views.update":
        return { ok: true, view: { ...(body.view ?? {}), id: body.view_id ?? `V${++viewCount}` } };
      case "chat.postMessage": {
        const channel = dmChannelFor(String(body.channel));
        const ts = `${Math.floor(Date.now() / 1000)}.${String(++messageCount).padStart(6, "0")}`;
        messages.add(`${channel}/${ts}`);
        posted.set(channel, (posted.get(channel) ?? 0) + 1);
        return { ok: true, channel, ts, message: { text: body.text } };
      }
      case "chat.update":
        if (!messages.has(`${body.channel}/${body.ts}`)) return { ok: false, error: "message_not_found" };
        return { ok: true, channel: body.channel, ts: body.ts, text: body.text };
      default:
        return { ok: true };
    }
  }

  // Slack's answer for a granted code, once: a code used again is refused as Slack refuses it.
  function oauthAccess(body: Record<string, any>): Record<string, unknown> {
    const grant = grants.get(String(body.code));
    if (!grant) return { ok: false, error: "invalid_code" };
    grants.delete(String(body.code));
    if (!body.client_id || !body.client_secret) return { ok: false, error: "invalid_client_id" };
    const { workspace, botToken } = grant;
    const orgWide = workspace.enterprise !== undefined;
    return {
      ok: true,
      app_id: "A0TI",
      authed_user: { id: workspace.installerId ?? `U0INSTALLER${workspace.teamId}` },
      scope: "commands,chat:write,im:write,im:history",
      token_type: "bot",
      access_token: botToken,
      bot_user_id: `U0BOT${workspace.teamId}`,
      team: orgWide ? null : { id: workspace.teamId, name: workspace.teamName },
      enterprise: workspace.enterprise ?? null,
      is_enterprise_install: orgWide,
    };
  }

  function queue(method: string, answer: CannedAnswer): void {
    nextAnswers.set(method, [...(nextAnswers.get(method) ?? []), answer]);
  }

  function record(call: SlackCall): void {
    calls.push(call);
    recorded.emit("call", call, calls.length - 1);
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let responseUrls = 0;

  return {
    url: `${origin}/api/`,
    calls,
    responseUrl: (id = `r${++responseUrls}`) => `${origin}/response/${id}`,
    failNext: (method, error) => queue(method, { status: 200, ...json({ ok: false, error }) }),
    expireNextResponseUrl: () => void expiringResponseUrls++,
    rateLimitNext: (method, retryAfterSeconds) => queue(method, rateLimited(retryAfterSeconds)),
    httpErrorNext: (method, status) => queue(method, { status, headers: { "content-type": "text/plain" }, body: "upstream unavailable" }),
    failFor: (userId, error) => void userFailures.set(dmChannelFor(userId), error),
    postCount: (userOrChannel) => posted.get(dmChannelFor(userOrChannel)) ?? 0,
    grantInstall(workspace) {
      const code = `code-${randomUUID()}`;
      const botToken = `xoxb-${workspace.enterprise?.id ?? workspace.teamId}-${randomUUID().slice(0, 8)}`;
      grants.set(code, { workspace, botToken });
      botTokens.set(botToken, workspace);
      return { code, botToken };
    },
    revoke: (token) => void revoked.add(token),
    waitFor(method, { where = () => true, since = 0, timeoutMs = 5000 } = {}) {
      const matches = (call: SlackCall, index: number) => index >= since && call.method === method && where(call);
      const found = calls.find(matches);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          recorded.off("call", listener);
          reject(
            new Error(
              `Slack was not called with ${method} within ${timeoutMs} ms; calls: ${calls.map((c) => c.method).join(", ") || "none"}`,
            ),
          );
        }, timeoutMs);
        const listener = (call: SlackCall, index: number) => {
          if (!matches(call, index)) return;
          clearTimeout(timer);
          recorded.off("call", listener);
          resolve(call);
        };
        recorded.on("call", listener);
      });
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function json(answer: unknown, headers: Record<string, string> = {}): { headers: Record<string, string>; body: string } {
  return { headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(answer) };
}

// Slack's real 429: the status, a Retry-After in whole seconds, and an `ok: false` body the SDK ignores.
function rateLimited(retryAfterSeconds: number): CannedAnswer {
  return { status: 429, ...json({ ok: false, error: "ratelimited" }, { "retry-after": String(retryAfterSeconds) }) };
}

function answerWith(res: ServerResponse, answer: CannedAnswer): void {
  res.writeHead(answer.status, answer.headers).end(answer.body);
}

/**
 * Counts the sends it lets through, per channel and overall, over the last second; answers the seconds to
 * wait when one more would pass a limit, or undefined (and counts it) when it may go.
 */
function slidingWindowLimit(limit: FakeSlackLimit, now: () => number = Date.now): (channel: string) => number | undefined {
  const perChannel = new Map<string, number[]>();
  const workspace: number[] = [];
  const secondsToWait = (times: number[], max: number | undefined, at: number): number | undefined => {
    while (times.length > 0 && times[0]! <= at - 1000) times.shift();
    if (max === undefined || times.length < max) return undefined;
    return Math.max(1, Math.ceil((times[0]! + 1000 - at) / 1000));
  };
  return (channel) => {
    const at = now();
    const times = perChannel.get(channel) ?? [];
    perChannel.set(channel, times);
    const wait = Math.max(secondsToWait(times, limit.perChannelPerSecond, at) ?? 0, secondsToWait(workspace, limit.perWorkspacePerSecond, at) ?? 0);
    if (wait > 0) return wait;
    times.push(at);
    workspace.push(at);
    return undefined;
  };
}

/** The headers Slack signs a request with: `v0=` HMAC-SHA256 of `v0:<timestamp>:<body>`. */
export function signSlackRequest(body: string, signingSecret: string, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
  const signature = createHmac("sha256", signingSecret).update(`v0:${timestamp}:${body}`).digest("hex");
  return { "x-slack-request-timestamp": String(timestamp), "x-slack-signature": `v0=${signature}` };
}

export interface SlackPost {
  signingSecret: string;
  /** Seconds since the epoch to sign with; now by default. */
  timestamp?: number;
  /** Replace or drop (undefined) the signed headers, to test refusals. */
  headers?: Record<string, string | undefined>;
}

/** Posts a form-encoded body to `/slack/events` as Slack does, signed. */
export async function postToSlackEndpoint(url: string, form: Record<string, string>, post: SlackPost): Promise<Response> {
  const body = new URLSearchParams(form).toString();
  const headers: Record<string, string> = {
    // Bolt matches this content type exactly: fetch's default adds a charset.
    "content-type": "application/x-www-form-urlencoded",
    ...signSlackRequest(body, post.signingSecret, post.timestamp),
  };
  for (const [name, value] of Object.entries(post.headers ?? {})) {
    if (value === undefined) delete headers[name];
    else headers[name] = value;
  }
  return fetch(`${url}/slack/events`, { method: "POST", headers, body });
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function parseBody(contentType: string | undefined, raw: string): Record<string, any> {
  if (!raw) return {};
  if (contentType?.includes("application/json")) return JSON.parse(raw) as Record<string, any>;
  const fields: Record<string, any> = {};
  for (const [name, value] of new URLSearchParams(raw)) fields[name] = /^[[{]/.test(value) ? tryJson(value) : value;
  return fields;
}

function tryJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
