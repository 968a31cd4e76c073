import { z } from "zod";
import type { Removal } from "../../src/core/kernel/bot.js";
import { parseCommand } from "../../src/core/kernel/command.js";
import type { Address, FormValues, Interaction } from "../../src/core/kernel/interaction.js";
import { buttonActionPrefix, formCallbackPrefix } from "./render.js";

/** The body of a slash command (`/ti update …`), as Slack posts it form-encoded. */
export const slashCommandSchema = z.object({
  team_id: z.string().min(1),
  user_id: z.string().min(1),
  user_name: z.string().optional(),
  command: z.string().min(1),
  text: z.string().default(""),
  trigger_id: z.string().min(1),
  response_url: z.string().min(1),
  channel_id: z.string().optional(),
});
export type SlashCommand = z.infer<typeof slashCommandSchema>;

const payloadUser = z.object({
  id: z.string().min(1),
  username: z.string().optional(),
  name: z.string().optional(),
  team_id: z.string().optional(),
});

// Null for org-wide installs on Enterprise Grid, where the user's own team_id says where they are.
const payloadTeam = z.object({ id: z.string().min(1) }).nullish();

const stateValue = z.object({
  type: z.string(),
  value: z.string().nullish(),
  selected_option: z.object({ value: z.string() }).nullish(),
  selected_options: z.array(z.object({ value: z.string() })).nullish(),
  selected_date: z.string().nullish(),
  selected_time: z.string().nullish(),
  /** A datetimepicker's answer: UNIX seconds, the instant the person picked in their own zone. */
  selected_date_time: z.number().nullish(),
});

/** A modal submitted. */
export const viewSubmissionSchema = z.object({
  type: z.literal("view_submission"),
  team: payloadTeam,
  user: payloadUser,
  trigger_id: z.string().optional(),
  view: z.object({
    id: z.string().min(1),
    callback_id: z.string(),
    private_metadata: z.string().default(""),
    title: z.object({ text: z.string() }).optional(),
    state: z.object({ values: z.record(z.string(), z.record(z.string(), stateValue)) }),
  }),
});
export type ViewSubmission = z.infer<typeof viewSubmissionSchema>;

/** A button pressed in a message or a modal. */
export const blockActionsSchema = z.object({
  type: z.literal("block_actions"),
  team: payloadTeam,
  user: payloadUser,
  trigger_id: z.string().min(1),
  response_url: z.string().optional(),
  /** Present when pressed in a modal or on the Home tab (`type: "home"`), where there is no message to answer. */
  view: z.object({ id: z.string(), type: z.string().optional() }).nullish(),
  actions: z.array(z.object({ action_id: z.string(), value: z.string().optional() })).min(1),
});
export type BlockActions = z.infer<typeof blockActionsSchema>;

/** An Events API callback saying the bot lost access: the app removed, or tokens revoked. */
export const accessLostSchema = z.object({
  type: z.literal("event_callback"),
  team_id: z.string().min(1),
  enterprise_id: z.string().nullish(),
  authorizations: z.array(z.object({ is_enterprise_install: z.boolean().optional() })).optional(),
  event: z.discriminatedUnion("type", [
    z.object({ type: z.literal("app_uninstalled") }),
    z.object({
      type: z.literal("tokens_revoked"),
      tokens: z.object({ oauth: z.array(z.string()).default([]), bot: z.array(z.string()).default([]) }).default({ oauth: [], bot: [] }),
    }),
  ]),
});
export type AccessLost = z.infer<typeof accessLostSchema>;

/**
 * Who the bot can no longer reach. A revoked bot token, like an uninstall, loses the whole workspace;
 * revoked user tokens (a person deactivated, or revoking what they granted) lose only those people.
 * Undefined when nothing was revoked.
 *
 * @example
 * removalOf({ type: "event_callback", team_id: "T1", event: { type: "tokens_revoked", tokens: { oauth: ["U1"], bot: [] } } })
 * // { platform: "slack", workspaceId: "T1", userIds: ["U1"] }
 */
export function removalOf(callback: AccessLost): Removal | undefined {
  const base = { platform: "slack" as const, workspaceId: callback.team_id };
  const { event } = callback;
  if (event.type === "app_uninstalled" || event.tokens.bot.length > 0) return base;
  return event.tokens.oauth.length > 0 ? { ...base, userIds: event.tokens.oauth } : undefined;
}

/**
 * The installation Slack says is gone (the app removed, or the bot's token revoked), by its key: the
 * enterprise id for an org-wide install, else the team id. Undefined when only people's tokens went.
 *
 * @example
 * lostInstallKey({ type: "event_callback", team_id: "T1", event: { type: "app_uninstalled" } }) // "T1"
 */
export function lostInstallKey(callback: AccessLost): string | undefined {
  const { event } = callback;
  if (event.type !== "app_uninstalled" && event.tokens.bot.length === 0) return undefined;
  const orgWide = callback.authorizations?.[0]?.is_enterprise_install === true;
  return orgWide && callback.enterprise_id ? callback.enterprise_id : callback.team_id;
}

const buttonValueSchema = z.object({ verb: z.string(), text: z.string().default("") });

/**
 * What a modal carries through its round trip in `private_metadata`: the core's hidden context, and
 * where to answer once it is submitted.
 */
export interface FormMetadata {
  context: Record<string, string>;
  /** The response_url of the command or button that opened the form: the answer goes there. */
  responseUrl?: string;
}

const formMetadataSchema = z.object({
  context: z.record(z.string(), z.string()).default({}),
  responseUrl: z.string().optional(),
});

const privateMetadataLimit = 3000;

/**
 * Encodes form metadata within Slack's 3,000 characters, dropping the response_url before any of the
 * core's context. Throws when the core's context alone is too long.
 */
export function encodeFormMetadata(metadata: FormMetadata): string {
  const full = JSON.stringify(metadata);
  if (full.length <= privateMetadataLimit) return full;
  const contextOnly = JSON.stringify({ context: metadata.context });
  if (contextOnly.length <= privateMetadataLimit) return contextOnly;
  throw new Error(`A form's context is ${contextOnly.length} characters; Slack keeps ${privateMetadataLimit}.`);
}

/** Reads `private_metadata` back; anything unreadable is an empty context. */
export function decodeFormMetadata(raw: string): FormMetadata {
  try {
    const parsed = formMetadataSchema.safeParse(JSON.parse(raw));
    if (parsed.success) return parsed.data;
  } catch {
    // Not ours (or empty): the form simply carried no context.
  }
  return { context: {} };
}

/**
 * Turns a slash command into an Interaction. Slack's escaped mentions (`<@U123|sam>`) become
 * `interaction.mentions` and read as `@sam` in the text.
 *
 * @example
 * commandInteraction({ team_id: "T1", user_id: "U1", user_name: "sam", command: "/ti", text: "update Ran a workshop", trigger_id: "t", response_url: "https://…" })
 * // { from: { platform: "slack", workspaceId: "T1", userId: "U1", displayName: "sam" }, verb: "update", text: "Ran a workshop", requestId: "t" }
 */
export function commandInteraction(command: SlashCommand): Interaction {
  const { text, mentions } = readSlackText(command.text, command.team_id);
  const { verb, text: rest } = parseCommand(text);
  return {
    from: address(command.team_id, command.user_id, command.user_name),
    verb,
    text: rest,
    ...(mentions.length > 0 ? { mentions } : {}),
    requestId: command.trigger_id,
  };
}

/** What the person typed, readable, for repeating it back to them. */
export function typedCommand(command: SlashCommand): string {
  return `${command.command} ${readSlackText(command.text, command.team_id).text}`.trim();
}

/** Turns a submitted modal into an Interaction carrying its values and the context the form was opened with. */
export function submissionInteraction(submission: ViewSubmission): { interaction: Interaction; metadata: FormMetadata } {
  const metadata = decodeFormMetadata(submission.view.private_metadata);
  const verb = submission.view.callback_id.startsWith(formCallbackPrefix)
    ? submission.view.callback_id.slice(formCallbackPrefix.length)
    : submission.view.callback_id;
  return {
    interaction: {
      from: senderOf(submission),
      verb,
      text: "",
      form: { values: formValues(submission.view.state.values), context: metadata.context },
      ...(submission.trigger_id ? { requestId: submission.trigger_id } : {}),
    },
    metadata,
  };
}

/** Turns a pressed `ti:` button into the command it runs; undefined for anything else. */
export function buttonInteraction(actions: BlockActions): Interaction | undefined {
  const action = actions.actions.find((candidate) => candidate.action_id.startsWith(buttonActionPrefix));
  if (!action?.value) return undefined;
  let value: z.infer<typeof buttonValueSchema>;
  try {
    const parsed = buttonValueSchema.safeParse(JSON.parse(action.value));
    if (!parsed.success) return undefined;
    value = parsed.data;
  } catch {
    return undefined;
  }
  return { from: senderOf(actions), verb: value.verb, text: value.text, requestId: actions.trigger_id };
}

/**
 * `view.state.values` → values keyed by input id (each input's action_id; a datetime's two pickers are
 * `<id>.date` and `<id>.time`). Pickers give `2027-01-24` and `10:00`; a datetimepicker's UNIX seconds
 * become an ISO instant.
 */
export function formValues(state: ViewSubmission["view"]["state"]["values"]): FormValues {
  const values: FormValues = {};
  for (const actions of Object.values(state)) {
    for (const [actionId, entry] of Object.entries(actions)) {
      switch (entry.type) {
        case "plain_text_input":
          values[actionId] = entry.value ?? undefined;
          break;
        case "static_select":
          values[actionId] = entry.selected_option?.value;
          break;
        case "multi_static_select":
          values[actionId] = (entry.selected_options ?? []).map((selected) => selected.value);
          break;
        case "datepicker":
          values[actionId] = entry.selected_date ?? undefined;
          break;
        case "timepicker":
          values[actionId] = entry.selected_time ?? undefined;
          break;
        case "datetimepicker":
          values[actionId] = typeof entry.selected_date_time === "number" ? new Date(entry.selected_date_time * 1000).toISOString() : undefined;
          break;
      }
    }
  }
  return values;
}

/**
 * Slack sends text with `&`, `<`, `>` escaped and, with should_escape on, mentions, channels and
 * links as `<@U123|sam>`, `<#C123|safety>`, `<https://…|label>`. Returns what the person saw.
 */
export function readSlackText(raw: string, workspaceId: string): { text: string; mentions: Address[] } {
  const mentions = new Map<string, Address>();
  const replaced = raw.replace(/<([^<>|]+)(?:\|([^<>]*))?>/g, (_whole, target: string, label: string | undefined) => {
    if (/^@[UW]/.test(target)) {
      const userId = target.slice(1);
      const name = label?.replace(/^@/, "") || undefined;
      if (!mentions.has(userId)) mentions.set(userId, address(workspaceId, userId, name));
      return `@${name ?? userId}`;
    }
    if (target.startsWith("#")) return `#${label || target.slice(1)}`;
    if (target.startsWith("!subteam^")) return label || "@group";
    if (target.startsWith("!date^")) return label ?? "";
    if (target.startsWith("!")) return `@${target.slice(1)}`;
    return label || target.replace(/^mailto:/, "");
  });
  return { text: decodeEntities(replaced), mentions: [...mentions.values()] };
}

function decodeEntities(text: string): string {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

/** Who sent an interaction payload: on Enterprise Grid org-wide installs the team is null and the user's own says where they are. */
export function senderOf(payload: { team?: { id: string } | null; user: z.infer<typeof payloadUser> }): Address {
  const workspaceId = payload.team?.id ?? payload.user.team_id ?? "";
  return address(workspaceId, payload.user.id, payload.user.username ?? payload.user.name);
}

function address(workspaceId: string, userId: string, displayName: string | undefined): Address {
  return { platform: "slack", workspaceId, userId, ...(displayName ? { displayName } : {}) };
}
