import cluster from "node:cluster";
import type { AddressInfo } from "node:net";
import type { SlackAdapter } from "../adapters/slack/index.js";
import { createTeamsAdapter } from "../adapters/teams/index.js";
import type { Config } from "./config.js";
import type { Bot } from "./core/kernel/bot.js";
import type { CoreContext, Pacing } from "./core/kernel/context.js";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { features } from "./core/features.js";
import { catalogue } from "./core/kernel/catalogue.js";
import { createBot } from "./core/kernel/create-bot.js";
import type { Platform } from "./core/kernel/interaction.js";
import { ensureNetwork } from "./core/network.js";
import type { Database } from "./db/database.js";
import { startBroadcastProgress } from "./delivery/broadcast-progress.js";
import { createDispatcher, type Dispatcher } from "./delivery/dispatcher.js";
import type { Outbound } from "./delivery/outbound.js";
import { personaliseLinks } from "./delivery/personalise-links.js";
import { defaultRetryPolicy, type RetryPolicy } from "./delivery/retry.js";
import { createDashboard, dashboardPath } from "./http/dashboard/serve-dashboard.js";
import { createDownloads, downloadsPrefix } from "./http/downloads.js";
import type { PlatformAdapter, RequestHandler } from "./http/route.js";
import { createLinkRedirect, linkRedirectPrefix } from "./http/link-redirect.js";
import { createHttpServer, type HttpServer } from "./http/server.js";
import { createSignedLinks } from "./http/signed-links.js";
import type { Logger } from "./log.js";
import { createScheduler, type Scheduler } from "./scheduler/scheduler.js";
import { databaseUpkeepJobs } from "./scheduler/database-upkeep.js";
import { parseEncryptionKey } from "./secrets/encryption-key.js";
import { createSealer } from "./secrets/seal.js";

export interface App {
  readonly bot: Bot;
  readonly http: HttpServer;
  readonly adapters: readonly PlatformAdapter[];
  readonly dispatcher: Dispatcher;
  readonly scheduler: Scheduler;
  /** Listens on HOST:PORT and starts Socket Mode if configured. */
  start(): Promise<AddressInfo>;
  /** Stops taking requests and scheduling jobs, lets those in flight finish, and disconnects the platforms. The caller closes the database. */
  stop(): Promise<void>;
}

export interface AppOptions {
  config: Config;
  db: Database;
  log: Logger;
  now?: () => Date;
  /** Overrides the retry policy's timing (tests make it quick). */
  retry?: Partial<RetryPolicy>;
  /**
   * False in a worker that only serves requests (TI_WORKERS): the scheduler, the dispatcher and broadcast
   * progress run in one worker only, so the platforms' rate limits, paced per process, hold. Default true.
   */
  background?: boolean;
  /** With `background: false`: tells the process that has the dispatcher that deliveries were queued. */
  wakeDispatcher?: () => void;
}

/** Wires the core, the platform adapters and the HTTP server onto an open database. */
export async function createApp({ config, db, log, now = () => new Date(), retry, background = true, wakeDispatcher }: AppOptions): Promise<App> {
  const network = await ensureNetwork(db.prisma, { name: config.TI_NETWORK_NAME, timeZone: config.TI_TIME_ZONE, sendingHours: config.TI_SENDING_HOURS });
  const configuredUrl = config.TI_PUBLIC_URL ?? (config.TI_PUBLIC_HOST ? `https://${config.TI_PUBLIC_HOST}` : undefined);
  let publicUrl = configuredUrl ?? `http://localhost:${config.PORT}`;
  // Without a public address the links are the local machine's: fine for a person opening one here,
  // not for Slack's or Microsoft's servers fetching a chart image.
  const links = createSignedLinks(network.linkSecret, () => publicUrl, now, { reachableFromOutside: configuredUrl !== undefined });
  const declared = catalogue(features);
  const ctx: CoreContext = {
    prisma: db.prisma,
    sql: db.sql,
    networkId: network.id,
    networkName: network.name,
    timeZone: network.timeZone,
    coordinators: config.TI_COORDINATORS,
    now,
    links,
    memberData: declared.memberData,
    ...declared.settings(config),
    pacing: perPersonPacing(config.TI_COMMANDS_PER_MINUTE),
  };
  const bot = createBot(ctx, features);

  const slack = await slackAdapter(bot, config, db, network.name, log);
  const adapters = [slack, teamsAdapter(bot, config, log)].filter((adapter) => adapter !== undefined);
  const outbound: Partial<Record<Platform, Outbound>> = Object.fromEntries(adapters.map((adapter) => [adapter.platform, adapter.outbound]));
  const dispatcher = createDispatcher({
    prisma: db.prisma,
    outbound,
    limits: {
      teams: { perWorkspace: config.TI_TEAMS_TENANT_RATE, perConversation: config.TI_TEAMS_CONVERSATION_RATE },
      slack: { perWorkspace: config.TI_SLACK_WORKSPACE_RATE, perConversation: config.TI_SLACK_CHANNEL_RATE },
    },
    retry: { ...defaultRetryPolicy, maxAttempts: config.TI_DELIVERY_MAX_ATTEMPTS, ...retry },
    concurrency: config.TI_DELIVERY_CONCURRENCY,
    leaseMs: config.TI_DELIVERY_LEASE_SECONDS * 1000,
    log: log.child({ part: "delivery" }),
    now,
    // Counted links only where people can reach the redirect: without a public address, links go as written.
    ...(links.reachableFromOutside ? { personalise: personaliseLinks({ prisma: db.prisma, links, now }) } : {}),
  });
  ctx.deliveriesQueued = background ? dispatcher.wake : (wakeDispatcher ?? (() => {}));
  const scheduler = createScheduler({
    prisma: db.prisma,
    jobs: [...declared.jobs(ctx), ...databaseUpkeepJobs(db)],
    timeZone: network.timeZone,
    log: log.child({ part: "scheduler" }),
    now,
  });
  let progress: { stop(): Promise<void> } | undefined;
  const routes = new Map<string, RequestHandler>(
    adapters.flatMap((adapter) => (adapter.route ? [[adapter.route.path, adapter.route.handler] as const] : [])),
  );
  const http = createHttpServer({
    routes,
    // The dashboard before the downloads it sits among: prefixes are tried in order.
    prefixes: new Map([
      ...(slack?.pages ?? []),
      [dashboardPath, createDashboard(ctx, links)],
      [downloadsPrefix, createDownloads(ctx, links, declared.downloads)],
      [linkRedirectPrefix, createLinkRedirect(ctx, links)],
    ]),
    log,
    health: async () => {
      await db.ping();
      // Which of the TI_WORKERS processes answered; a lone process doesn't say.
      return { database: db.kind, ...(cluster.isWorker ? { worker: process.pid } : {}) };
    },
  });

  return {
    bot,
    http,
    adapters,
    dispatcher,
    scheduler,
    async start() {
      const address = await http.listen(config.PORT, config.HOST);
      if (!configuredUrl) publicUrl = `http://localhost:${address.port}`;
      for (const adapter of adapters) await adapter.start?.();
      if (!background) return address;
      dispatcher.start();
      progress = startBroadcastProgress({ ctx, outbound, log: log.child({ part: "delivery" }) });
      // Catching up a missed run can take a while; nothing waits for it.
      scheduler.start().catch((error: unknown) => log.error({ err: error }, "the scheduler did not start"));
      return address;
    },
    async stop() {
      await http.close();
      await scheduler.stop();
      await progress?.stop();
      await dispatcher.stop();
      await Promise.allSettled(adapters.map((adapter) => adapter.stop()));
    },
  };
}

/**
 * Slack with one workspace's SLACK_BOT_TOKEN, or installable in many (SLACK_CLIENT_ID): then each
 * workspace's token is kept sealed under TI_ENCRYPTION_KEY, and a key that can't open them stops the start.
 * The Slack SDK is loaded only when Slack is on: it costs a bot without Slack ~0.7 s and ~35 MB at start.
 */
async function slackAdapter(bot: Bot, config: Config, db: Database, networkName: string, log: Logger): Promise<SlackAdapter | undefined> {
  const { SLACK_BOT_TOKEN: botToken, SLACK_SIGNING_SECRET: signingSecret, SLACK_APP_TOKEN: appToken, SLACK_CLIENT_ID: clientId, SLACK_CLIENT_SECRET: clientSecret } = config;
  const connection = { signingSecret, appToken, apiUrl: config.SLACK_API_URL, log: log.child({ platform: "slack" }) };
  const where = appToken ? "in Socket Mode" : "at POST /slack/events";
  if (clientId && clientSecret && config.TI_ENCRYPTION_KEY) {
    const [{ createSlackAdapter }, { checkInstallationsOpen, createSlackInstallations }, { slackRedirectPath }, { createOAuthStateStore }] = await Promise.all([
      import("../adapters/slack/index.js"),
      import("../adapters/slack/installation-store.js"),
      import("../adapters/slack/install.js"),
      import("../adapters/slack/oauth-state-store.js"),
    ]);
    const sealer = createSealer({ current: parseEncryptionKey(config.TI_ENCRYPTION_KEY), previous: config.TI_ENCRYPTION_KEY_PREVIOUS.map(parseEncryptionKey) });
    const installed = await checkInstallationsOpen(db.prisma, sealer);
    const publicUrl = config.TI_PUBLIC_URL ?? (config.TI_PUBLIC_HOST ? `https://${config.TI_PUBLIC_HOST}` : undefined);
    log.info({ installed }, `Slack is on ${where}, installable in many workspaces from GET /slack/install.`);
    return createSlackAdapter(bot, {
      ...connection,
      installs: {
        clientId,
        clientSecret,
        installations: createSlackInstallations(db.prisma, sealer),
        stateStore: createOAuthStateStore(db.prisma),
        networkName,
        redirectUri: publicUrl ? new URL(slackRedirectPath, publicUrl).toString() : undefined,
      },
    });
  }
  if (!botToken || (!signingSecret && !appToken)) {
    log.info("Slack is off: set SLACK_BOT_TOKEN with SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN for Socket Mode) for one workspace, or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET for many.");
    return undefined;
  }
  log.info(`Slack is on ${where}, for the one workspace of SLACK_BOT_TOKEN.`);
  const { createSlackAdapter } = await import("../adapters/slack/index.js");
  return createSlackAdapter(bot, { ...connection, botToken });
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
    cloud: { loginUrl: config.MICROSOFT_LOGIN_URL, botFrameworkUrl: config.MICROSOFT_BOT_FRAMEWORK_URL, openIdMetadataUrl: config.MICROSOFT_OPENID_METADATA_URL },
    log: log.child({ platform: "teams" }),
  });
}

/**
 * Per person, per replica: a few replicas multiply the allowance, which is fine for what this is for
 * (one person's runaway script or stuck key), and keeps a database round trip off every command.
 */
function perPersonPacing(perMinute: number): Pacing {
  const limiter = new RateLimiterMemory({ points: perMinute, duration: 60 });
  return {
    allow: (personKey) =>
      limiter.consume(personKey).then(
        () => true,
        (refused: unknown) => {
          if (refused instanceof RateLimiterRes) return false;
          throw refused;
        },
      ),
  };
}
