import type { AddressInfo } from "node:net";
import { createSlackAdapter } from "../adapters/slack/index.js";
import { createTeamsAdapter } from "../adapters/teams/index.js";
import type { Config } from "./config.js";
import type { Bot } from "./core/bot.js";
import { createBot } from "./core/create-bot.js";
import { ensureNetwork } from "./core/network.js";
import type { Database } from "./db/database.js";
import type { PlatformAdapter, RequestHandler } from "./http/route.js";
import { createHttpServer, type HttpServer } from "./http/server.js";
import type { Logger } from "./log.js";

export interface App {
  readonly bot: Bot;
  readonly http: HttpServer;
  readonly adapters: readonly PlatformAdapter[];
  /** Listens on HOST:PORT and starts Socket Mode if configured. */
  start(): Promise<AddressInfo>;
  /** Stops taking requests, lets those in flight finish, and disconnects the platforms. The caller closes the database. */
  stop(): Promise<void>;
}

export interface AppOptions {
  config: Config;
  db: Database;
  log: Logger;
  now?: () => Date;
}

/** Wires the core, the platform adapters and the HTTP server onto an open database. */
export async function createApp({ config, db, log, now = () => new Date() }: AppOptions): Promise<App> {
  const network = await ensureNetwork(db.prisma, { name: config.TI_NETWORK_NAME, timeZone: config.TI_TIME_ZONE });
  const bot = createBot({
    prisma: db.prisma,
    networkId: network.id,
    networkName: network.name,
    timeZone: network.timeZone,
    coordinators: config.TI_COORDINATORS,
    now,
  });

  const adapters = [slackAdapter(bot, config, log), teamsAdapter(bot, config, log)].filter((adapter) => adapter !== undefined);
  const routes = new Map<string, RequestHandler>(
    adapters.flatMap((adapter) => (adapter.route ? [[adapter.route.path, adapter.route.handler] as const] : [])),
  );
  const http = createHttpServer({
    routes,
    log,
    health: async () => {
      await db.ping();
      return { database: db.kind };
    },
  });

  return {
    bot,
    http,
    adapters,
    async start() {
      const address = await http.listen(config.PORT, config.HOST);
      for (const adapter of adapters) await adapter.start?.();
      return address;
    },
    async stop() {
      await Promise.allSettled(adapters.map((adapter) => adapter.stop()));
      await http.close();
    },
  };
}

function slackAdapter(bot: Bot, config: Config, log: Logger): PlatformAdapter | undefined {
  const { SLACK_BOT_TOKEN: botToken, SLACK_SIGNING_SECRET: signingSecret, SLACK_APP_TOKEN: appToken } = config;
  if (!botToken || (!signingSecret && !appToken)) {
    log.info("Slack is off: set SLACK_BOT_TOKEN with SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN for Socket Mode) to turn it on.");
    return undefined;
  }
  log.info(appToken ? "Slack is on, in Socket Mode." : "Slack is on, at POST /slack/events.");
  return createSlackAdapter(bot, { botToken, signingSecret, appToken, apiUrl: config.SLACK_API_URL, log: log.child({ platform: "slack" }) });
}

function teamsAdapter(bot: Bot, config: Config, log: Logger): PlatformAdapter {
  if (!config.MICROSOFT_APP_ID) {
    log.info("Teams is on at POST /api/messages in local mode (no MICROSOFT_APP_ID): for Microsoft's Agents Playground or the Bot Framework Emulator.");
  } else {
    log.info("Teams is on, at POST /api/messages.");
  }
  return createTeamsAdapter(bot, {
    appId: config.MICROSOFT_APP_ID,
    appPassword: config.MICROSOFT_APP_PASSWORD,
    tenantId: config.MICROSOFT_APP_TENANT_ID,
    appType: config.MICROSOFT_APP_TYPE,
    log: log.child({ platform: "teams" }),
  });
}
