import type { Bot } from "../../src/core/kernel/bot.js";
import { jsonObject, readBody } from "../../src/http/read-body.js";
import { refuse } from "../../src/http/respond.js";
import type { RequestHandler, PlatformAdapter } from "../../src/http/route.js";
import type { Logger } from "../../src/log.js";
import type { BotFramework } from "./bot-framework.js";
import { loadOnce } from "./load-once.js";
import { teamsActivitySchema } from "./parse.js";
import { createTeamsOutbound, publicCloud, type CredentialsFactory, type TeamsCloud } from "./send.js";

export interface TeamsOptions {
  /** The Microsoft App ID. Without it the adapter runs anonymously, for the Agents Playground or the Emulator. */
  appId?: string;
  appPassword?: string;
  /** Required for SingleTenant and UserAssignedMSI apps. */
  tenantId?: string;
  appType?: "MultiTenant" | "SingleTenant" | "UserAssignedMSI";
  /** Another Microsoft cloud's endpoints (Azure Government, 21Vianet); each unset one is the public cloud's. */
  cloud?: Partial<TeamsCloud>;
  log: Logger;
}

/**
 * The Microsoft Teams adapter: serves `POST /api/messages`, turns activities into interactions for the
 * core and answers with Adaptive Cards.
 *
 * botbuilder, botframework-connector and msal-node (~1.3 s of CPU and ~57 MB) load at the first Teams
 * request, or the first proactive send that needs a token, not at start: a bot nobody messages on Teams
 * never pays for them.
 *
 * @example
 * const teams = createTeamsAdapter(bot, { appId: config.MICROSOFT_APP_ID, appPassword: config.MICROSOFT_APP_PASSWORD, log });
 * routes.set(teams.route!.path, teams.route!.handler);
 */
export function createTeamsAdapter(bot: Bot, options: TeamsOptions): PlatformAdapter {
  const { log } = options;
  const cloud: TeamsCloud = {
    loginUrl: options.cloud?.loginUrl ?? publicCloud.loginUrl,
    botFrameworkUrl: options.cloud?.botFrameworkUrl ?? publicCloud.botFrameworkUrl,
    openIdMetadataUrl: options.cloud?.openIdMetadataUrl ?? publicCloud.openIdMetadataUrl,
  };
  // One load however many requests arrive together; a failed one is tried again at the next request.
  const botFramework = loadOnce(async () => {
    const started = performance.now();
    const { createBotFramework } = await import("./bot-framework.js");
    log.info({ ms: Math.round(performance.now() - started) }, "loaded the Bot Framework for Teams");
    return createBotFramework(bot, options, cloud);
  });
  const credentials: CredentialsFactory = {
    createCredentials: async (...args) => (await botFramework()).credentials.createCredentials(...args),
  };

  const handler: RequestHandler = async (req, res) => {
    // botbuilder refuses this too, but prints a stack trace to stderr for every such probe.
    if (options.appId && !req.headers.authorization) {
      log.warn("refused a Teams request without credentials");
      return refuse(res, 401, "Unauthorized.");
    }
    const body = await readBody(req, res);
    if (!body) return;
    const activity = jsonObject(body.toString("utf8"));
    if (!teamsActivitySchema.safeParse(activity).success) return refuse(res, 400, "Expected a Bot Framework activity as JSON.");
    let framework: BotFramework;
    try {
      framework = await botFramework();
      await framework.loadRouter();
    } catch (error) {
      log.error({ err: error }, "could not load the Bot Framework to answer a Teams request");
      return refuse(res, 500, "Teams is not available on this bot just now; please try again shortly.");
    }
    await framework.process(activity as Record<string, unknown>, req, res);
  };

  return {
    platform: "teams",
    route: { path: "/api/messages", handler },
    outbound: createTeamsOutbound({ appId: options.appId, credentials, cloud, tenantId: options.tenantId }),
    stop: async () => {},
  };
}
