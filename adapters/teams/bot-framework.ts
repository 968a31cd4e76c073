import type { IncomingMessage, ServerResponse } from "node:http";
import type { Application } from "@microsoft/teams-ai";
import { ConfidentialClientApplication } from "@azure/msal-node";
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  CallerIdConstants,
  ConfigurationServiceClientCredentialFactory,
  type Request as BotRequest,
  type Response as BotResponse,
  StatusCodes,
} from "botbuilder";
import { AuthenticationConstants, AuthenticationError, MsalServiceClientCredentialsFactory, type ServiceClientCredentialsFactory } from "botframework-connector";
import type { Bot } from "../../src/core/kernel/bot.js";
import type { TeamsOptions } from "./index.js";
import { loginAuthority, type TeamsCloud } from "./send.js";

/** What index.ts needs of botbuilder, loaded at the first Teams request or the first proactive send needing a token. */
export interface BotFramework {
  /** Where tokens come from: shared by replies and proactive sends, so they share MSAL's token cache. */
  credentials: ServiceClientCredentialsFactory;
  /** Loads what routing activities needs (@microsoft/teams-ai); `process` waits for it too. */
  loadRouter(): Promise<void>;
  /** Authenticates an activity already read and checked, routes it and writes the answer to `res`. */
  process(activity: Record<string, unknown>, req: IncomingMessage, res: ServerResponse): Promise<void>;
}

export function createBotFramework(bot: Bot, options: TeamsOptions, cloud: TeamsCloud): BotFramework {
  const { log } = options;
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
  // A proactive-only process never pays for @microsoft/teams-ai (~1 s, ~50 MB): it loads at the first request.
  const application = () =>
    (app ??= import("./application.js")
      .then(({ teamsApplication }) => teamsApplication(bot, log))
      .catch((error: unknown) => {
        app = undefined;
        throw error;
      }));

  return {
    credentials,
    loadRouter: async () => {
      await application();
    },
    async process(activity, req, res) {
      const router = await application();
      const request: BotRequest = { method: req.method, headers: req.headers, body: activity };
      await adapter.process(request, botResponse(res), async (context) => {
        await router.run(context);
      });
    },
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
