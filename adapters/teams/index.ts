import type { ServerResponse } from "node:http";
import type { Application } from "@microsoft/teams-ai";
import { ConfidentialClientApplication } from "@azure/msal-node";
import {
  ActivityTypes,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  CallerIdConstants,
  ConfigurationServiceClientCredentialFactory,
  type Request as BotRequest,
  type Response as BotResponse,
  StatusCodes,
  type TurnContext,
} from "botbuilder";
import { AuthenticationConstants, AuthenticationError, MsalServiceClientCredentialsFactory, type ServiceClientCredentialsFactory } from "botframework-connector";
import { formOffer, somethingWentWrong } from "../../src/core/kernel/apology.js";
import type { Bot } from "../../src/core/kernel/bot.js";
import type { Address } from "../../src/core/kernel/interaction.js";
import type { View } from "../../src/core/kernel/view.js";
import { jsonObject, readBody } from "../../src/http/read-body.js";
import { refuse } from "../../src/http/respond.js";
import type { RequestHandler, PlatformAdapter } from "../../src/http/route.js";
import type { Logger } from "../../src/log.js";
import {
  addressOf,
  botAddedToPersonalChat,
  botAddedToSharedConversation,
  interactionOf,
  removalOf,
  sharedConversationOf,
  teamsActivitySchema,
  type TeamsActivity,
} from "./parse.js";
import { cardActivity } from "./render.js";
import { createTeamsOutbound, loginAuthority, publicCloud, type TeamsCloud } from "./send.js";

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
  const configuration = {
    MicrosoftAppId: options.appId,
    MicrosoftAppPassword: options.appPassword,
    MicrosoftAppTenantId: options.tenantId,
    MicrosoftAppType: options.appType ?? "MultiTenant",
    ToChannelFromBotLoginUrl: loginAuthority(cloud, options.tenantId),
    ToChannelFromBotOAuthScope: cloud.botFrameworkUrl,
    ToBotFromChannelTokenIssuer: cloud.botFrameworkUrl,
    ToBotFromChannelOpenIdMetadataUrl: cloud.openIdMetadataUrl,
    // Unused (no sign-in cards, no Emulator with an app id), but botbuilder takes these keys as a set.
    OAuthUrl: AuthenticationConstants.OAuthUrl,
    ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
    CallerId: CallerIdConstants.PublicAzureChannel,
  };
  const credentials = credentialsFactory(options, cloud, configuration);
  // Retries are not configurable here: botbuilder's connector client drops retry options, so replies
  // are retried by its pipeline (3 times on 408, 5xx and network errors; on 429 only with Retry-After).
  // Proactive sends (outbound) bypass it for that reason; replies keep it, as a person is waiting.
  const adapter = new CloudAdapter(new ChannelAuthentication(configuration, credentials));
  let app: Promise<Application> | undefined;

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
    const request: BotRequest = { method: req.method, headers: req.headers, body: activity as Record<string, unknown> };
    const router = await (app ??= teamsApplication(bot, log));
    await adapter.process(request, botResponse(res), async (context) => {
      await router.run(context);
    });
  };

  return {
    platform: "teams",
    route: { path: "/api/messages", handler },
    outbound: createTeamsOutbound({ appId: options.appId, credentials, cloud, tenantId: options.tenantId }),
    stop: async () => {},
  };
}

/** Refuses a forged signature with 401: botbuilder lets jsonwebtoken's error through, which CloudAdapter answers with 500. */
class ChannelAuthentication extends ConfigurationBotFrameworkAuthentication {
  override async authenticateRequest(...args: Parameters<ConfigurationBotFrameworkAuthentication["authenticateRequest"]>) {
    try {
      return await super.authenticateRequest(...args);
    } catch (error) {
      if (error instanceof Error && /^(JsonWebTokenError|NotBeforeError|TokenExpiredError)$/.test(error.name)) {
        throw new AuthenticationError(`Unauthorized. ${error.message}`, StatusCodes.UNAUTHORIZED);
      }
      throw error;
    }
  }
}

/**
 * A bot with a secret gets its tokens from an MSAL client of ours, for its tenant in its cloud. MSAL
 * trusts a sign-in host it does not know only after asking the public cloud's instance discovery;
 * ours names the configured host as known, so a cloud that cannot reach the public one still works.
 */
function credentialsFactory(options: TeamsOptions, cloud: TeamsCloud, configuration: Record<string, string | undefined>): ServiceClientCredentialsFactory {
  if (!options.appId || !options.appPassword || options.appType === "UserAssignedMSI") return new ConfigurationServiceClientCredentialFactory(configuration);
  const client = new ConfidentialClientApplication({
    auth: {
      clientId: options.appId,
      clientSecret: options.appPassword,
      authority: loginAuthority(cloud, options.tenantId),
      knownAuthorities: [new URL(cloud.loginUrl).host],
    },
  });
  // The same class: botframework-connector sees msal-node's CommonJS typings, we its ESM ones.
  return new MsalServiceClientCredentialsFactory(options.appId, client as unknown as ConstructorParameters<typeof MsalServiceClientCredentialsFactory>[1]);
}

/**
 * Loaded at the first Teams request, not at start: @microsoft/teams-ai (with the dialogs, recognizers and
 * tokenizer it brings) costs ~1 s and ~50 MB, which a bot nobody has messaged on Teams need not pay.
 */
async function teamsApplication(bot: Bot, log: Logger): Promise<Application> {
  const { Application } = await import("@microsoft/teams-ai");
  /**
   * Sends an answer; if the connector still refuses it after botbuilder's retries, the delivery engine
   * sends it instead, with the conversation reference, as soon as it can (a form as a button to open it).
   */
  const answering = async (activity: TeamsActivity, view: View, to: Address, retry: { verb: string; text: string }, send: () => Promise<void>) => {
    try {
      await send();
    } catch (error) {
      log.warn({ err: error, activityId: activity.id }, "teams would not take the answer; the delivery engine will send it");
      const later = view.type === "message" ? view : formOffer(retry);
      await quietly(log, activity, "could not queue a Teams answer", () => bot.answerLater(to, later, activity.id));
    }
  };

  // No AI, no storage, no typing indicator (its timer is shared across turns), no mention rewriting
  // (parse.ts does it): the Application only routes activities by type.
  const app = new Application({ removeRecipientMention: false, startTypingTimer: false, longRunningMessages: false });

  app.activity(ActivityTypes.Message, async (context) => {
    const activity = teamsActivitySchema.parse(context.activity);
    const interaction = interactionOf(activity);
    if (!interaction) return;
    let view: View;
    try {
      view = await bot.handle(interaction);
    } catch (error) {
      log.error({ err: error, activityId: activity.id, verb: interaction.verb }, "could not handle a Teams message");
      view = somethingWentWrong(interaction);
    }
    const pressedCard = activity.value !== undefined && view.type === "message" && view.replacesOriginal ? activity.replyToId : undefined;
    await answering(activity, view, interaction.from, interaction, () => (pressedCard ? replaceCard(context, pressedCard, view, log) : reply(context, view)));
  });

  app.conversationUpdate("membersAdded", async (context) => {
    const activity = teamsActivitySchema.parse(context.activity);
    if (botAddedToSharedConversation(activity)) {
      // Added to a team or group chat: a hello there says what works in a channel and what is one-to-one.
      const shared = sharedConversationOf(activity);
      await quietly(log, activity, "could not say hello in a Teams channel", async () => {
        const hello = await bot.handle({ from: addressOf(activity), verb: "help", text: "", ...(shared ? { shared } : {}) });
        await reply(context, hello);
      });
      return;
    }
    if (!botAddedToPersonalChat(activity)) return;
    const address = addressOf(activity);
    await quietly(log, activity, "could not welcome a Teams user", async () => {
      const welcome = await bot.welcome(address);
      await answering(activity, welcome, address, { verb: "help", text: "" }, () => reply(context, welcome));
    });
  });

  // Teams sends this beside the conversationUpdate on a personal install; welcoming twice would be noise.
  app.activity(ActivityTypes.InstallationUpdate, async (context) => {
    const activity = teamsActivitySchema.parse(context.activity);
    if (activity.action?.startsWith("add")) {
      await quietly(log, activity, "could not record a Teams install", () => bot.seen(addressOf(activity)));
      return;
    }
    const removal = removalOf(activity);
    if (removal) await quietly(log, activity, "could not record a Teams uninstall", () => bot.removed(removal));
  });

  app.addRoute(
    async (context) => context.activity.type === ActivityTypes.Invoke,
    async (context) => {
      await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200 } });
    },
    true,
  );

  return app;
}

async function reply(context: TurnContext, view: View): Promise<void> {
  await context.sendActivity(cardActivity(view));
}

/** Shows the answer in place of the card pressed; if Teams won't update it, as a new message. */
async function replaceCard(context: TurnContext, cardActivityId: string, view: View, log: Logger): Promise<void> {
  try {
    await context.updateActivity({ ...cardActivity(view), id: cardActivityId });
  } catch (error) {
    log.warn({ err: error, activityId: cardActivityId }, "teams would not update the card; sending the answer as a new message");
    await reply(context, view);
  }
}

async function quietly(log: Logger, activity: TeamsActivity, problem: string, work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (error) {
    log.error({ err: error, activityId: activity.id, type: activity.type }, problem);
  }
}


/** The restify/express-style response CloudAdapter.process writes to. */
function botResponse(res: ServerResponse): BotResponse {
  return {
    socket: res.socket,
    status(code: number) {
      res.statusCode = code;
    },
    header(name: string, value: unknown) {
      res.setHeader(name, String(value));
    },
    send(body?: unknown) {
      if (body === undefined || body === null) return;
      const json = typeof body !== "string";
      res.setHeader("content-type", json ? "application/json" : "text/plain; charset=utf-8");
      res.write(json ? JSON.stringify(body) : body);
    },
    end() {
      if (!res.writableEnded) res.end();
    },
  };
}
