import { App, HTTPReceiver, webApi, type AuthorizeResult, type StateStore } from "@slack/bolt";
import type { Bot } from "../../src/core/kernel/bot.js";
import type { PlatformAdapter, RequestHandler } from "../../src/http/route.js";
import type { Logger } from "../../src/log.js";
import { boltLogger, oauthLogger } from "./bolt-logger.js";
import { createSlackInstall } from "./install.js";
import { workspaceTokens, type SlackInstallations } from "./installation-store.js";
import { registerHome } from "./home.js";
import { registerListeners } from "./listeners.js";
import { requestHandler } from "./receive.js";
import { createReplies } from "./replies.js";
import { createSlackOutbound, slackOutboundClient, type WorkspaceTokens } from "./send.js";

/** How to reach Slack. Without `appToken` the bot is reached over HTTP and needs `signingSecret`. */
interface SlackConnection {
  /** Verifies that requests to `/slack/events` come from Slack (HTTP mode). */
  signingSecret?: string;
  /** An app-level token, `xapp-…`: connects over Socket Mode instead of serving HTTP. */
  appToken?: string;
  /** The Web API base, when not `https://slack.com/api/` (GovSlack, or a test's fake Slack). */
  apiUrl?: string;
  log: Logger;
}

/** Many workspaces, each installing the app through `/slack/install` (OAuth). */
export interface SlackInstalls {
  clientId: string;
  clientSecret: string;
  installations: SlackInstallations;
  stateStore: StateStore;
  networkName: string;
  /** `https://host/slack/oauth_redirect`, when the bot knows its public address. */
  redirectUri?: string;
}

/** One workspace with its bot token (`xoxb-…`), or many installing the app. */
export type SlackOptions = SlackConnection & ({ botToken: string; installs?: never } | { installs: SlackInstalls; botToken?: never });

/** The Slack adapter, with the install pages when it is installable in many workspaces. */
export interface SlackAdapter extends PlatformAdapter {
  /** GET pages by path: `/slack/install` and `/slack/oauth_redirect` (none with a single bot token). */
  readonly pages: ReadonlyMap<string, RequestHandler>;
}

/** Where Slack posts slash commands and interactions in HTTP mode. */
export const slackEventsPath = "/slack/events";

/**
 * The Slack adapter: verifies and parses Slack's requests, asks the core, renders Block Kit and replies,
 * each with the token of the workspace it is for.
 *
 * @example
 * const slack = createSlackAdapter(bot, { signingSecret, botToken: "xoxb-…", log });
 * routes.set(slack.route!.path, slack.route!.handler);
 */
export function createSlackAdapter(bot: Bot, options: SlackOptions): SlackAdapter {
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
  const access = options.installs ? installed(bot, options.installs, { apiUrl: options.apiUrl, clientOptions, log }) : oneWorkspace(options.botToken, log, clientOptions);
  // A client of its own for deliveries: one attempt per send, since the delivery dispatcher owns retry policy.
  const outbound = createSlackOutbound(slackOutboundClient(options.botToken, clientOptions), log, access.tokens);
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
    authorize: access.authorize,
    logger,
    clientOptions,
    convoStore: false as const,
    ignoreSelf: false,
  };
  const wire = (app: App) => {
    registerListeners(app, {
      bot,
      // Bolt's client for the request carries the token `authorize` found for its workspace.
      replies: (client) => createReplies(client, log, bot.answerLater),
      installLost: options.installs ? (installKey) => options.installs.installations.remove(installKey) : undefined,
      log,
      track,
    });
    registerHome(app, { bot, replies: (client) => createReplies(client, log, bot.answerLater), log, track });
    app.error(async (error) => void log.error({ err: error }, "slack listener failed"));
  };
  const finishInFlight = async () => void (await Promise.allSettled([...inFlight]));

  if (options.appToken) {
    const app = new App({ ...common, socketMode: true, appToken: options.appToken });
    wire(app);
    return {
      platform: "slack",
      outbound,
      pages: access.pages,
      start: async () => {
        await app.start();
        await access.check();
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
    pages: access.pages,
    outbound,
    start: access.check,
    stop: finishInFlight,
  };
}

interface Access {
  authorize: (source: { teamId?: string; enterpriseId?: string; isEnterpriseInstall: boolean }) => Promise<AuthorizeResult>;
  /** Per-workspace tokens for deliveries; undefined when the outbound client's own token serves. */
  tokens?: WorkspaceTokens;
  pages: ReadonlyMap<string, RequestHandler>;
  check: () => Promise<void>;
}

function oneWorkspace(botToken: string, log: Logger, clientOptions: webApi.WebClientOptions): Access {
  return {
    // One workspace, one token: no auth.test on every request, and none at construction.
    authorize: async () => ({ botToken }),
    pages: new Map(),
    check: async () => {
      try {
        const identity = await new webApi.WebClient(botToken, clientOptions).auth.test();
        log.info({ team: identity.team, bot: identity.user }, "slack bot token accepted");
      } catch (error) {
        log.error({ err: error }, "slack refused the bot token: check SLACK_BOT_TOKEN");
      }
    },
  };
}

function installed(bot: Bot, installs: SlackInstalls, { apiUrl, clientOptions, log }: { apiUrl?: string; clientOptions: webApi.WebClientOptions; log: Logger }): Access {
  const { provider, pages } = createSlackInstall(bot, {
    ...installs,
    apiUrl,
    clientOptions: { ...clientOptions, logger: oauthLogger(log) },
    logger: oauthLogger(log),
    log,
  });
  return {
    authorize: (source) =>
      provider.authorize(source.isEnterpriseInstall ? { isEnterpriseInstall: true, enterpriseId: source.enterpriseId!, teamId: undefined } : { isEnterpriseInstall: false, teamId: source.teamId!, enterpriseId: source.enterpriseId }),
    tokens: workspaceTokens(installs.installations),
    pages,
    check: async () => void log.info("slack is installable in many workspaces, from /slack/install"),
  };
}
