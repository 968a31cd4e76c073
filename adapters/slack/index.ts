import type { IncomingMessage, ServerResponse } from "node:http";
import { App, HTTPReceiver, HTTPReceiverDeferredRequestError, LogLevel, webApi, type Logger as BoltLogger } from "@slack/bolt";
import type { Bot } from "../../src/core/kernel/bot.js";
import { jsonObject, readBody } from "../../src/http/read-body.js";
import { refuse } from "../../src/http/respond.js";
import type { PlatformAdapter, RequestHandler } from "../../src/http/route.js";
import type { Logger } from "../../src/log.js";
import { registerListeners } from "./listeners.js";
import { createReplies } from "./replies.js";
import { createSlackOutbound, slackOutboundClient } from "./send.js";

/** How to reach Slack. Without `appToken` the bot is reached over HTTP and needs `signingSecret`. */
export interface SlackOptions {
  /** Verifies that requests to `/slack/events` come from Slack (HTTP mode). */
  signingSecret?: string;
  /** The bot token, `xoxb-…`. */
  botToken: string;
  /** An app-level token, `xapp-…`: connects over Socket Mode instead of serving HTTP. */
  appToken?: string;
  /** The Web API base, when not `https://slack.com/api/` (GovSlack, or a test's fake Slack). */
  apiUrl?: string;
  log: Logger;
}

/** Where Slack posts slash commands and interactions in HTTP mode. */
export const slackEventsPath = "/slack/events";

/**
 * The Slack adapter: verifies and parses Slack's requests, asks the core, renders Block Kit and replies.
 *
 * @example
 * const slack = createSlackAdapter(bot, { signingSecret, botToken: "xoxb-…", log });
 * routes.set(slack.route!.path, slack.route!.handler);
 */
export function createSlackAdapter(bot: Bot, options: SlackOptions): PlatformAdapter {
  const log = options.log;
  const logger = boltLogger(log);
  const clientOptions: webApi.WebClientOptions = {
    logger,
    ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
    // Interactive replies must land within seconds; the delivery dispatcher owns any longer retry policy.
    retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 1000 },
    rejectRateLimitedCalls: true,
    timeout: 10_000,
  };
  const api = new webApi.WebClient(options.botToken, clientOptions);
  // A client of its own for deliveries: one attempt per send, since the delivery dispatcher owns retry policy.
  const outbound = createSlackOutbound(slackOutboundClient(options.botToken, clientOptions), log);
  const inFlight = new Set<Promise<unknown>>();
  const track = <T>(work: Promise<T>): Promise<T> => {
    inFlight.add(work);
    void work.then(
      () => inFlight.delete(work),
      () => inFlight.delete(work),
    );
    return work;
  };
  const common = {
    // One workspace, one token: no auth.test on every request, and none at construction.
    authorize: async () => ({ botToken: options.botToken }),
    logger,
    clientOptions,
    convoStore: false as const,
    ignoreSelf: false,
  };
  const wire = (app: App) => {
    registerListeners(app, { bot, replies: createReplies(api, log, bot.answerLater), log, track });
    app.error(async (error) => void log.error({ err: error }, "slack listener failed"));
  };
  const checkToken = async () => {
    try {
      const identity = await api.auth.test();
      log.info({ team: identity.team, bot: identity.user }, "slack bot token accepted");
    } catch (error) {
      log.error({ err: error }, "slack refused the bot token: check SLACK_BOT_TOKEN");
    }
  };
  const finishInFlight = async () => void (await Promise.allSettled([...inFlight]));

  if (options.appToken) {
    const app = new App({ ...common, socketMode: true, appToken: options.appToken });
    wire(app);
    return {
      platform: "slack",
      outbound,
      start: async () => {
        await app.start();
        await checkToken();
      },
      stop: async () => {
        await app.stop();
        await finishInFlight();
      },
    };
  }

  if (!options.signingSecret) {
    throw new Error("Slack over HTTP needs SLACK_SIGNING_SECRET (or set SLACK_APP_TOKEN to use Socket Mode).");
  }
  const receiver = new HTTPReceiver({ signingSecret: options.signingSecret, endpoints: slackEventsPath, logger });
  wire(new App({ ...common, receiver }));
  return {
    platform: "slack",
    route: { path: slackEventsPath, handler: requestHandler(receiver, log) },
    outbound,
    start: checkToken,
    stop: finishInFlight,
  };
}

/**
 * Reads the body first, within a size limit, and hands Bolt only bodies it can read: Bolt parses them
 * in a promise of its own that nothing awaits, so a signed `payload=null` once took the process down.
 * Bolt's listener then answers through `res` on its own schedule; this resolves once the response is done.
 */
function requestHandler(receiver: HTTPReceiver, log: Logger): RequestHandler {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req, res);
    if (!body) return;
    if (!readableBySlack(req.headers["content-type"], body.toString("utf8"))) {
      log.warn({ contentType: req.headers["content-type"], bytes: body.length }, "refused a Slack request that can't be read");
      return refuse(res, 400, "Expected a Slack request: a form or a JSON object.");
    }
    // Bolt reads a request it finds already buffered from `rawBody`, and still checks its signature.
    Object.assign(req, { rawBody: body });
    await new Promise<void>((resolve) => {
      res.once("close", () => resolve());
      try {
        receiver.requestListener(req, res);
      } catch (error) {
        if (!(error instanceof HTTPReceiverDeferredRequestError)) throw error;
        refuse(res, 404, "not found");
      }
    });
  };
}

/**
 * Whether Bolt can read this body as it parses one: a form (a slash command, or an interaction's
 * `payload`, which must be a JSON object), or else a JSON object (Events API).
 */
function readableBySlack(contentType: string | undefined, text: string): boolean {
  if (contentType === "application/x-www-form-urlencoded") {
    const payload = new URLSearchParams(text).get("payload");
    return payload === null || jsonObject(payload) !== undefined;
  }
  return jsonObject(text) !== undefined;
}


function boltLogger(log: Logger): BoltLogger {
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
