// A stand-in for Slack itself: its Web API and its response_url endpoints, on 127.0.0.1. The bot is
// pointed at it through SLACK_API_URL; it records every call and answers as Slack would.
import { createHmac } from "node:crypto";
import { EventEmitter } from "node:events";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export interface SlackCall {
  /** A Web API method (`views.open`), or `response_url` for a post to a response_url. */
  method: string;
  /** The body, parsed: form fields (JSON-looking values decoded) or JSON. */
  body: Record<string, any>;
  /** The bearer token, for Web API calls. */
  token?: string;
  /** For `response_url`: which one (the last path segment). */
  responseId?: string;
}

export interface WaitOptions {
  where?: (call: SlackCall) => boolean;
  /** Only calls recorded after this many (take `slack.calls.length` before acting). */
  since?: number;
  timeoutMs?: number;
}

export interface FakeSlack {
  /** The Web API base, ending in `/api/`. */
  url: string;
  calls: SlackCall[];
  /** A response_url served by this fake; posts to it are recorded as `response_url` calls. */
  responseUrl(id?: string): string;
  /** The first call to `method` matching the options, as soon as it is made. */
  waitFor(method: string, options?: WaitOptions): Promise<SlackCall>;
  /** The next call to `method` answers `{ ok: false, error }`. */
  failNext(method: string, error: string): void;
  close(): Promise<void>;
}

export async function startFakeSlack(): Promise<FakeSlack> {
  const calls: SlackCall[] = [];
  const recorded = new EventEmitter();
  const failures = new Map<string, string>();
  let viewCount = 0;
  let messageCount = 0;

  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
    const body = parseBody(req.headers["content-type"], await readBody(req));
    const reply = (status: number, answer: unknown) => {
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(answer));
    };
    if (path.startsWith("/response/")) {
      record({ method: "response_url", body, responseId: path.slice("/response/".length) });
      return reply(200, { ok: true });
    }
    if (!path.startsWith("/api/")) return reply(404, { ok: false, error: "unknown_path" });
    const method = path.slice("/api/".length);
    const token = req.headers.authorization?.replace(/^Bearer /, "") ?? body.token;
    record({ method, body, token });
    const failure = failures.get(method);
    if (failure) {
      failures.delete(method);
      return reply(200, { ok: false, error: failure });
    }
    reply(200, answer(method, body));
  });

  function answer(method: string, body: Record<string, any>): Record<string, unknown> {
    switch (method) {
      case "auth.test":
        return { ok: true, url: "https://test.slack.com/", team: "Test", team_id: "T0TEST", user: "ti", user_id: "U0BOT", bot_id: "B0BOT" };
      case "views.open":
      case "views.push":
      case "views.update":
        return { ok: true, view: { ...(body.view ?? {}), id: body.view_id ?? `V${++viewCount}` } };
      case "chat.postMessage":
        return { ok: true, channel: body.channel, ts: `${Date.now() / 1000}.${++messageCount}`, message: { text: body.text } };
      default:
        return { ok: true };
    }
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
    failNext: (method, error) => void failures.set(method, error),
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
