import type { IncomingMessage, ServerResponse } from "node:http";
import { ErrorCode, InstallProvider, type CodedError, type InstallURLOptions, type Logger as OAuthLogger } from "@slack/oauth";
import { webApi, type Installation } from "@slack/bolt";
import type { Bot } from "../../src/core/kernel/bot.js";
import type { RequestHandler } from "../../src/http/route.js";
import { cancelledPage, installedPage, installFailedPage, installPage, pageHeaders, stateProblemPage } from "../../src/http/slack-install/pages.js";
import type { Logger } from "../../src/log.js";
import type { SlackInstalls } from "./index.js";
import { installKeyOf } from "./installation-store.js";

export const slackInstallPath = "/slack/install";
export const slackRedirectPath = "/slack/oauth_redirect";

/** What the bot asks of each workspace; the manifest's `oauth_config.scopes.bot` says the same. */
export const slackBotScopes = ["commands", "chat:write", "im:write", "im:history"] as const;

/** The installs as configured, and what the install flow needs besides. */
export interface SlackInstallOptions extends SlackInstalls {
  /** The Web API base (GovSlack, or a test's fake); the authorize page is beside it. */
  apiUrl?: string;
  clientOptions: webApi.WebClientOptions;
  logger: OAuthLogger;
  log: Logger;
}

/**
 * "Add to Slack" for many workspaces, on Bolt's InstallProvider: `GET /slack/install` sets the state
 * cookie and shows the page with the button; `GET /slack/oauth_redirect` checks cookie and state, trades
 * the code for the workspace's token, stores it sealed, and tells the core a workspace installed.
 *
 * @example
 * const install = createSlackInstall(bot, { clientId, clientSecret, installations, stateStore, networkName, clientOptions, logger, log });
 * prefixes.set(slackInstallPath, install.pages.get(slackInstallPath)!);
 */
export function createSlackInstall(bot: Bot, options: SlackInstallOptions): { provider: InstallProvider; pages: Map<string, RequestHandler> } {
  const { log } = options;
  const provider = new InstallProvider({
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    stateStore: options.stateStore,
    installationStore: options.installations,
    installUrlOptions: { scopes: [...slackBotScopes], ...(options.redirectUri ? { redirectUri: options.redirectUri } : {}) },
    renderHtmlForInstallPath: (installUrl) => installPage({ networkName: options.networkName, installUrl }),
    authorizationUrl: options.apiUrl ? new URL("../oauth/v2/authorize", options.apiUrl).toString() : undefined,
    clientOptions: options.clientOptions,
    logger: options.logger,
  });

  const show = (res: ServerResponse, status: number, body: string) => {
    if (!res.headersSent) res.writeHead(status, pageHeaders);
    res.end(body);
  };

  const installHandler: RequestHandler = async (req, res) => {
    if (!isRead(req, res, slackInstallPath)) return;
    for (const [name, value] of Object.entries(pageHeaders)) res.setHeader(name, value);
    try {
      await provider.handleInstallPath(req, res);
    } catch (error) {
      log.error({ err: error }, "the slack install page failed");
      show(res, 500, installFailedPage());
    }
  };

  const redirectHandler: RequestHandler = async (req, res) => {
    if (!isRead(req, res, slackRedirectPath)) return;
    await provider.handleCallback(req, res, {
      successAsync: async (installation: Installation) => {
        const workspace = installedWorkspace(installation);
        try {
          await bot.installed({ platform: "slack", ...workspace });
        } catch (error) {
          log.error({ err: error, workspaceId: workspace.workspaceId }, "slack installed, but the network could not record it");
          return show(res, 500, installFailedPage());
        }
        log.info({ ...workspace, orgWide: Boolean(installation.isEnterpriseInstall) }, "slack installed in a workspace");
        const openUrl = installation.team && installation.appId ? `https://app.slack.com/client/${installation.team.id}` : undefined;
        show(res, 200, installedPage({ networkName: options.networkName, workspaceName: workspace.name, openUrl }));
      },
      failureAsync: async (error: CodedError, _installOptions: InstallURLOptions, callbackReq: IncomingMessage) => {
        const outcome = failureOf(error, callbackReq);
        const level = outcome === "failed" ? "error" : "warn";
        log[level]({ err: outcome === "failed" ? error : undefined, code: error.code, outcome }, "a slack install did not finish");
        if (outcome === "cancelled") return show(res, 200, cancelledPage());
        if (outcome === "state") return show(res, 400, stateProblemPage());
        show(res, outcome === "refused" ? 400 : 500, installFailedPage());
      },
    });
  };

  return {
    provider,
    pages: new Map([
      [slackInstallPath, installHandler],
      [slackRedirectPath, redirectHandler],
    ]),
  };
}

/** The workspace the core hears about: an org-wide install is one workspace, named by its enterprise. */
function installedWorkspace(installation: Installation): { workspaceId: string; name?: string } {
  const name = installation.isEnterpriseInstall ? installation.enterprise?.name : installation.team?.name;
  return { workspaceId: installKeyOf(installation), ...(name ? { name } : {}) };
}

/**
 * Why a redirect did not install: the person said no on Slack's page; the state (or its cookie) is
 * missing, altered, expired or used; Slack refused the code (used twice, or too old); or our side failed.
 */
function failureOf(error: CodedError, req: IncomingMessage): "cancelled" | "state" | "refused" | "failed" {
  if (new URL(req.url ?? "/", "http://localhost").searchParams.has("error")) return "cancelled";
  if (error.code === ErrorCode.InvalidStateError || error.code === ErrorCode.MissingStateError) return "state";
  if (error.code === ErrorCode.MissingCodeError || error.code === webApi.ErrorCode.PlatformError) return "refused";
  return "failed";
}

/** The prefix route matches longer paths too; only the path itself, read with GET (or HEAD), is a page. */
function isRead(req: IncomingMessage, res: ServerResponse, path: string): boolean {
  if (new URL(req.url ?? "/", "http://localhost").pathname !== path) {
    res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("Nothing here.");
    return false;
  }
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { "content-type": "text/plain; charset=utf-8", allow: "GET" }).end("Open this page in a browser.");
    return false;
  }
  return true;
}
