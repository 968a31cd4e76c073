import { z } from "zod";
import type { Removal } from "../../src/core/kernel/bot.js";
import { parseCommand } from "../../src/core/kernel/command.js";
import type { Address, FormValues, Interaction, Json, SharedConversation } from "../../src/core/kernel/interaction.js";

const account = z.looseObject({ id: z.string().min(1), name: z.string().optional(), aadObjectId: z.string().optional() });

/** The parts of a Bot Framework activity this adapter reads; everything else passes through untouched. */
export const teamsActivitySchema = z.looseObject({
  type: z.string().min(1),
  id: z.string().optional(),
  serviceUrl: z.string().min(1),
  channelId: z.string().min(1),
  from: account,
  recipient: account,
  conversation: z.looseObject({
    id: z.string().min(1),
    conversationType: z.string().optional(),
    tenantId: z.string().optional(),
  }),
  channelData: z
    .looseObject({
      tenant: z.object({ id: z.string() }).optional(),
      team: z.looseObject({ name: z.string().optional() }).optional(),
      channel: z.looseObject({ name: z.string().optional() }).optional(),
    })
    .optional(),
  text: z.string().optional(),
  value: z.unknown().optional(),
  /** On a card's Action.Submit: the activity id of the card pressed. */
  replyToId: z.string().optional(),
  entities: z.array(z.unknown()).optional(),
  membersAdded: z.array(account).optional(),
  action: z.string().optional(),
});

export type TeamsActivity = z.infer<typeof teamsActivitySchema>;

const mentionEntity = z.object({
  type: z.literal("mention"),
  text: z.string().optional(),
  mentioned: account,
});

const cardSubmission = z.looseObject({
  ti: z.discriminatedUnion("kind", [
    z.object({
      kind: z.literal("form"),
      verb: z.string(),
      context: z.record(z.string(), z.string()).default({}),
      multiSelect: z.array(z.string()).default([]),
    }),
    z.object({ kind: z.literal("button"), verb: z.string(), text: z.string().default("") }),
  ]),
});

/**
 * Where the activity's sender is. The Agents Playground and the Bot Framework Emulator send no tenant,
 * so those conversations share the workspace `local`. Only a one-to-one chat gives the conversation
 * reference the bot messages them at later: said in a channel, it would post their messages there.
 */
export function addressOf(activity: TeamsActivity): Address {
  return {
    platform: "teams",
    workspaceId: activity.conversation.tenantId ?? activity.channelData?.tenant?.id ?? "local",
    userId: activity.from.id,
    ...(activity.from.name ? { displayName: activity.from.name } : {}),
    ...(isPersonal(activity) ? { conversationRef: conversationRefOf(activity) } : {}),
  };
}

/**
 * The channel or group chat an activity came from, when it isn't a one-to-one chat. A channel message's
 * conversation id names its thread (`…;messageid=…`); posting later goes to the channel itself.
 */
export function sharedConversationOf(activity: TeamsActivity): SharedConversation | undefined {
  if (isPersonal(activity)) return undefined;
  const conversationId = activity.conversation.id.replace(/;messageid=\d+$/, "");
  const ref = conversationReferenceOf(activity);
  // Teams leaves out the General channel's name.
  const team = activity.channelData?.team?.name;
  const name = team ? `${team} › ${activity.channelData?.channel?.name ?? "General"}` : undefined;
  return { conversationId, conversationRef: toJson({ ...ref, conversation: { ...ref.conversation, id: conversationId } }), ...(name ? { name } : {}) };
}

/** The Emulator and Agents Playground name no conversation type: their chats are one-to-one. */
function isPersonal(activity: TeamsActivity): boolean {
  return (activity.conversation.conversationType ?? "personal") === "personal";
}

function conversationRefOf(activity: TeamsActivity): Json {
  return toJson(conversationReferenceOf(activity));
}

/**
 * What botbuilder's `TurnContext.getConversationReference` returns, written out here so that parsing an
 * activity does not load botbuilder (~1 s at start); test/teams-lazy-parse.test.ts holds them equal.
 */
function conversationReferenceOf(activity: TeamsActivity) {
  // botbuilder leaves the id out for a conversationUpdate from Direct Line or Web Chat.
  const firstOfDirectLine = activity.type === "conversationUpdate" && (activity.channelId === "directline" || activity.channelId === "webchat");
  return {
    activityId: firstOfDirectLine ? undefined : activity.id,
    user: { ...activity.from },
    bot: { ...activity.recipient },
    conversation: { ...activity.conversation },
    channelId: activity.channelId,
    locale: activity.locale,
    serviceUrl: activity.serviceUrl,
  };
}

/**
 * What a message activity asks for: a pressed button or submitted form (its `value.ti`), or a typed
 * command. Undefined when it carries neither (an empty message, a card this bot did not send).
 *
 * @example
 * interactionOf({ ...activity, text: "<at>TI</at> update Ran a workshop" })
 * // { from, verb: "update", text: "Ran a workshop", requestId: activity.id }
 */
export function interactionOf(activity: TeamsActivity): Interaction | undefined {
  const from = addressOf(activity);
  const shared = sharedConversationOf(activity);
  const base = { from, ...(activity.id ? { requestId: activity.id } : {}), ...(shared ? { shared } : {}) };
  const submission = cardSubmission.safeParse(activity.value);
  if (submission.success) {
    const { ti, ...rest } = submission.data;
    if (ti.kind === "button") return { ...base, verb: ti.verb, text: ti.text };
    return { ...base, verb: ti.verb, text: "", form: { values: formValues(rest, ti.multiSelect), context: ti.context } };
  }
  if (!activity.text) return undefined;
  const { text, mentions } = withoutMentions(activity, from.workspaceId);
  const command = parseCommand(text);
  if (!command.verb) return undefined;
  return { ...base, ...command, ...(mentions.length > 0 ? { mentions } : {}) };
}

/** Whether a conversationUpdate says this bot was added to a one-to-one chat (the Emulator names no type). */
export function botAddedToPersonalChat(activity: TeamsActivity): boolean {
  return isPersonal(activity) && botAdded(activity);
}

/** Whether a conversationUpdate says this bot was added to a team (it arrives in the team's General channel) or a group chat. */
export function botAddedToSharedConversation(activity: TeamsActivity): boolean {
  return !isPersonal(activity) && botAdded(activity);
}

function botAdded(activity: TeamsActivity): boolean {
  return (activity.membersAdded ?? []).some((member) => member.id === activity.recipient.id);
}

/**
 * Who an `installationUpdate` with a `remove…` action says is gone: the person, when the app was removed
 * from their personal chat. Removed from a team or group chat, the bot can still reach its members in
 * their own chats, so nobody is. `remove-upgrade` counts too: an `add-upgrade` after it records the
 * address again.
 */
export function removalOf(activity: TeamsActivity): Removal | undefined {
  if (!activity.action?.startsWith("remove")) return undefined;
  if (!isPersonal(activity)) return undefined;
  const { platform, workspaceId, userId } = addressOf(activity);
  return { platform, workspaceId, userIds: [userId] };
}

/**
 * Removes the bot's own `<at>…</at>` mention and turns other people's into `@Name`, returning those
 * people as addresses.
 */
function withoutMentions(activity: TeamsActivity, workspaceId: string): { text: string; mentions: Address[] } {
  let text = activity.text ?? "";
  const mentions: Address[] = [];
  for (const entity of activity.entities ?? []) {
    const mention = mentionEntity.safeParse(entity);
    if (!mention.success) continue;
    const { mentioned, text: tag } = mention.data;
    const isBot = mentioned.id === activity.recipient.id;
    const name = mentioned.name ?? tag?.replace(/<\/?at>/g, "") ?? "";
    if (tag) text = text.split(tag).join(isBot ? " " : `@${name}`);
    if (!isBot && !mentions.some((known) => known.userId === mentioned.id)) {
      mentions.push({ platform: "teams", workspaceId, userId: mentioned.id, ...(mentioned.name ? { displayName: mentioned.name } : {}) });
    }
  }
  // Teams channel messages can carry an HTML non-breaking space after a mention.
  return { text: text.replace(/&nbsp;/g, " "), mentions };
}

function formValues(submitted: Record<string, unknown>, multiSelect: string[]): FormValues {
  const values: FormValues = {};
  for (const [id, value] of Object.entries(submitted)) {
    if (id === "msteams") continue;
    if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") continue;
    const answer = String(value);
    values[id] = multiSelect.includes(id)
      ? answer.split(",").map((item) => item.trim()).filter(Boolean)
      : answer;
  }
  for (const id of multiSelect) values[id] ??= [];
  return values;
}

function toJson(value: unknown): Json {
  return JSON.parse(JSON.stringify(value)) as Json;
}
