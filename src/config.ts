import { z } from "zod";
import type { Platform } from "./core/kernel/interaction.js";
import { parseSendingHours } from "./core/kernel/sending-hours.js";
import { parseWeeklyTime } from "./core/pulses/settings.js";
import { encryptionKeyRecipe, isEncryptionKey } from "./secrets/encryption-key.js";

const optionalText = z
  .string()
  .trim()
  .transform((value) => value || undefined)
  .optional();

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** `slack:U0123,teams:29:1abc` → addresses. A Teams id has colons of its own: split at the first only. */
const coordinatorList = z
  .string()
  .optional()
  .transform((value, ctx) => {
    const entries = (value ?? "").split(",").map((entry) => entry.trim()).filter(Boolean);
    return entries.flatMap((entry) => {
      const colon = entry.indexOf(":");
      const platform = entry.slice(0, colon);
      const userId = entry.slice(colon + 1).trim();
      if (colon < 0 || (platform !== "slack" && platform !== "teams") || !userId) {
        ctx.addIssue({ code: "custom", message: `"${entry}" should look like slack:U0123ABC or teams:29:1AbC…` });
        return [];
      }
      return [{ platform: platform as Platform, userId }];
    });
  });

const encryptionKeyList = z
  .string()
  .optional()
  .transform((value, ctx) => {
    const keys = (value ?? "").split(",").map((entry) => entry.trim()).filter(Boolean);
    if (keys.some((key) => !isEncryptionKey(key))) ctx.addIssue({ code: "custom", message: "each key should be 32 bytes in base64 or 64 hex digits, separated by commas" });
    return keys;
  });

/**
 * `T0123ABCD,E0456EFGH,72f988bf-…` → ids: Slack team or Enterprise Grid ids and Teams tenant ids whose
 * people are in the network without a coordinator being asked.
 */
const workspaceList = z
  .string()
  .optional()
  .transform((value) => (value ?? "").split(",").map((entry) => entry.trim()).filter(Boolean))
  .pipe(z.array(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, "should list Slack team ids (T0123ABCD), Enterprise Grid ids (E0123ABCD) or Teams tenant ids, separated by commas")));

/** A refinement for a setting that must parse: true when `parse` accepts the value. */
function parsesWith(parse: (value: string) => unknown): (value: string) => boolean {
  return (value) => {
    try {
      parse(value);
      return true;
    } catch {
      return false;
    }
  };
}

/** Messages per second: a positive number, fractions allowed (0.5 = one every two seconds). */
const rate = (fallback: number) => z.coerce.number().positive().max(10_000).default(fallback);

export const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  HOST: z.string().trim().min(1).default("127.0.0.1"),
  DATABASE_URL: optionalText.pipe(z.url({ protocol: /^postgres(ql)?$/ }).optional()),
  DATA_DIR: z.string().trim().min(1).default("./data"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_BOT_TOKEN: optionalText.pipe(z.string().startsWith("xoxb-", "should start with xoxb-").optional()),
  SLACK_APP_TOKEN: optionalText.pipe(z.string().startsWith("xapp-", "should start with xapp-").optional()),
  SLACK_API_URL: optionalText.pipe(z.url().optional()),
  // Set both to install the app in many workspaces through /slack/install (OAuth); see slackInstalls.
  SLACK_CLIENT_ID: optionalText,
  SLACK_CLIENT_SECRET: optionalText,
  TI_ENCRYPTION_KEY: optionalText.pipe(z.string().refine(isEncryptionKey, `should be 32 random bytes in base64 (make one with \`${encryptionKeyRecipe}\`) or 64 hex digits`).optional()),
  // Keys that sealed rows before the current one: read, never written. Comma-separated.
  TI_ENCRYPTION_KEY_PREVIOUS: encryptionKeyList,
  MICROSOFT_APP_ID: optionalText,
  MICROSOFT_APP_PASSWORD: optionalText,
  MICROSOFT_APP_TENANT_ID: optionalText,
  // Unset: SingleTenant when a tenant id is given (how Azure creates bots today), else MultiTenant (older bots).
  MICROSOFT_APP_TYPE: optionalText.pipe(z.enum(["MultiTenant", "SingleTenant", "UserAssignedMSI"]).optional()),
  // Another Microsoft cloud (Azure Government, 21Vianet): its sign-in host, Bot Framework service and channel token keys.
  MICROSOFT_LOGIN_URL: optionalText.pipe(z.url({ protocol: /^https$/ }).optional()),
  MICROSOFT_BOT_FRAMEWORK_URL: optionalText.pipe(z.url({ protocol: /^https$/ }).optional()),
  MICROSOFT_OPENID_METADATA_URL: optionalText.pipe(z.url({ protocol: /^https$/ }).optional()),
  TI_COORDINATORS: coordinatorList,
  TI_ALLOWED_WORKSPACES: workspaceList,
  TI_NETWORK_NAME: z.string().trim().min(1).max(80).default("Trauma-informed practice network"),
  TI_TIME_ZONE: z.string().trim().refine(isTimeZone, "is not an IANA time zone (e.g. Europe/London)").default("Europe/London"),
  TI_SENDING_HOURS: z.string().trim().refine(parsesWith(parseSendingHours), 'should look like "Mon-Fri 09:00-17:00" or "always"').default("Mon-Fri 09:00-17:00"),
  TI_PUBLIC_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
  TI_PUBLIC_HOST: optionalText,
  TI_PRIVACY_CONTACT: optionalText.pipe(z.string().max(200, "should be 200 characters or fewer").optional()),
  TI_SLACK_UPDATES_CHANNEL: optionalText.pipe(z.string().regex(/^[CG][A-Z0-9]{6,}$/, "should be a Slack channel id, like C0123ABCD").optional()),
  // Published limits: Teams 50 requests/s per app per tenant and 7/s per conversation; Slack about one
  // message a second per channel, with no published workspace figure, so the ceiling is ours to choose.
  TI_TEAMS_TENANT_RATE: rate(50),
  TI_TEAMS_CONVERSATION_RATE: rate(7),
  TI_SLACK_WORKSPACE_RATE: rate(20),
  TI_SLACK_CHANNEL_RATE: rate(1),
  TI_DELIVERY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(6),
  TI_DELIVERY_LEASE_SECONDS: z.coerce.number().int().min(5).max(3600).default(120),
  TI_DELIVERY_CONCURRENCY: z.coerce.number().int().min(1).max(2000).default(256),
  // Retention, in days.
  TI_RETAIN_DELIVERY_DAYS: z.coerce.number().int().min(1).max(3650).default(180),
  TI_RETAIN_AUDIT_DAYS: z.coerce.number().int().min(1).max(3650).default(730),
  TI_RETAIN_CHECKIN_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  // Report nudges: the first this many days before the due day, one on the day, the last as many after.
  TI_REPORT_NUDGE_DAYS: z.coerce.number().int().min(1).max(60).default(7),
  // The most nudges a champion gets about one report (0 turns them off; 3 is every stage).
  TI_REPORT_NUDGE_CAP: z.coerce.number().int().min(0).max(3).default(3),
  // Pulse results and check-in counts show only groups this large; under three would shield nobody.
  TI_MIN_GROUP: z.coerce.number().int().min(3).max(100).default(5),
  TI_PULSE_EVERY_WEEKS: z.coerce.number().int().min(0).max(12).default(2),
  TI_PULSE_SCHEDULE: z.string().trim().refine(parsesWith(parseWeeklyTime), 'should look like "Tue 10:00"').default("Tue 10:00"),
  TI_PULSE_OPEN_DAYS: z.coerce.number().int().min(1).max(28).default(7),
  // Typed commands and button presses one person may send a minute before being asked to slow down.
  TI_COMMANDS_PER_MINUTE: z.coerce.number().int().min(5).max(1000).default(30),
  // HTTP processes sharing the port (PostgreSQL only): a number, or "auto" for one a CPU. See src/workers.ts.
  TI_WORKERS: z
    .string()
    .optional()
    .transform((value, ctx): number | "auto" => {
      const text = (value ?? "").trim().toLowerCase();
      if (!text) return 1;
      if (text === "auto") return "auto";
      const count = Number(text);
      if (Number.isInteger(count) && count >= 1 && count <= 64) return count;
      ctx.addIssue({ code: "custom", message: 'should be a whole number from 1 to 64, or "auto" (one a CPU)' });
      return z.NEVER;
    }),
  TI_SUPPORT_LINKS: z.string().trim().min(1).max(1000).default("Samaritans: call 116 123, free, any time, day or night | Your employee assistance programme"),
})
  .superRefine(teamsIdentity)
  .superRefine(slackInstalls)
  .transform(({ MICROSOFT_APP_TYPE, ...config }) => ({
    ...config,
    MICROSOFT_APP_TYPE: MICROSOFT_APP_TYPE ?? (config.MICROSOFT_APP_TENANT_ID ? "SingleTenant" : "MultiTenant"),
  }));

/**
 * A Teams bot created today is single-tenant or a user-assigned managed identity (Azure stopped making
 * new multi-tenant bots on 31 July 2025): both need the tenant the bot was made in, and an identity
 * has no secret. Checked only when MICROSOFT_APP_ID is set (without it, Teams runs in local mode).
 */
function teamsIdentity(config: { MICROSOFT_APP_ID?: string; MICROSOFT_APP_PASSWORD?: string; MICROSOFT_APP_TENANT_ID?: string; MICROSOFT_APP_TYPE?: string }, context: z.RefinementCtx) {
  if (!config.MICROSOFT_APP_ID) return;
  const type = config.MICROSOFT_APP_TYPE ?? (config.MICROSOFT_APP_TENANT_ID ? "SingleTenant" : "MultiTenant");
  if ((type === "SingleTenant" || type === "UserAssignedMSI") && !config.MICROSOFT_APP_TENANT_ID) {
    context.addIssue({
      code: "custom",
      path: ["MICROSOFT_APP_TENANT_ID"],
      message: `is needed when MICROSOFT_APP_TYPE is ${type}: set it to the Directory (tenant) ID of the tenant the Azure Bot was created in`,
    });
  }
  if (type !== "UserAssignedMSI" && !config.MICROSOFT_APP_PASSWORD) {
    context.addIssue({ code: "custom", path: ["MICROSOFT_APP_PASSWORD"], message: `is needed with MICROSOFT_APP_ID for a ${type} bot: the client secret of its app registration` });
  }
  if (type === "UserAssignedMSI" && config.MICROSOFT_APP_PASSWORD) {
    context.addIssue({ code: "custom", path: ["MICROSOFT_APP_PASSWORD"], message: "must be unset for a UserAssignedMSI bot: a managed identity has no secret (MICROSOFT_APP_ID is its client id)" });
  }
}

/**
 * OAuth mode (many workspaces) is SLACK_CLIENT_ID with SLACK_CLIENT_SECRET. Its tokens are stored, so
 * they need TI_ENCRYPTION_KEY; and it replaces the one-workspace SLACK_BOT_TOKEN rather than mixing with
 * it, so that every workspace, the first one included, gets its token the same way: by installing.
 */
function slackInstalls(
  config: { SLACK_CLIENT_ID?: string; SLACK_CLIENT_SECRET?: string; SLACK_BOT_TOKEN?: string; SLACK_SIGNING_SECRET?: string; SLACK_APP_TOKEN?: string; TI_ENCRYPTION_KEY?: string },
  context: z.RefinementCtx,
) {
  if (!config.SLACK_CLIENT_ID && !config.SLACK_CLIENT_SECRET) return;
  const issue = (variable: string, message: string) => context.addIssue({ code: "custom", path: [variable], message });
  if (!config.SLACK_CLIENT_ID) issue("SLACK_CLIENT_ID", "is needed with SLACK_CLIENT_SECRET: Basic Information > App Credentials > Client ID");
  if (!config.SLACK_CLIENT_SECRET) issue("SLACK_CLIENT_SECRET", "is needed with SLACK_CLIENT_ID: Basic Information > App Credentials > Client Secret");
  if (!config.TI_ENCRYPTION_KEY) {
    issue("TI_ENCRYPTION_KEY", `is needed to install Slack in many workspaces (SLACK_CLIENT_ID is set): it encrypts each workspace's token. Make one with \`${encryptionKeyRecipe}\``);
  }
  if (config.SLACK_BOT_TOKEN) {
    issue("SLACK_BOT_TOKEN", "must be unset when SLACK_CLIENT_ID is set: each workspace's token then comes from installing the app at /slack/install (install it in your first workspace there too)");
  }
  if (!config.SLACK_SIGNING_SECRET && !config.SLACK_APP_TOKEN) issue("SLACK_SIGNING_SECRET", "is needed with SLACK_CLIENT_ID: Basic Information > App Credentials > Signing Secret");
}

export type Config = z.output<typeof configSchema>;

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Parses the environment; a bad value throws a ConfigError naming each variable at fault. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".") || "environment"}: ${issue.message}`);
  throw new ConfigError(`The configuration has a problem:\n${lines.join("\n")}`);
}
