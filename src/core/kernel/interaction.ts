/**
 * What arrives from a platform, after its adapter has verified and parsed the request.
 * The only inbound type that crosses from an adapter into the core.
 */
export type Platform = "slack" | "teams";

export const platforms: readonly Platform[] = ["slack", "teams"];

/** JSON as stored for a conversation reference. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/**
 * Where a person is, on one platform.
 *
 * @example
 * const address: Address = { platform: "slack", workspaceId: "T0001", userId: "U0001", displayName: "Sam" };
 */
export interface Address {
  platform: Platform;
  /** Slack team id, or Teams tenant id. */
  workspaceId: string;
  /** Slack user id (`U…`), or Teams user id (`29:…`). */
  userId: string;
  /** The name the platform shows for them, used to prefill forms. */
  displayName?: string;
  /** What the platform needs to message them first later (a Teams conversation reference). */
  conversationRef?: Json;
}

/** Values a form came back with: one string per single input, a list per multi-select. */
export type FormValues = Record<string, string | string[] | undefined>;

/**
 * One thing a person did: typed a command, pressed a button, or submitted a form.
 *
 * @example
 * // `/ti update Ran a workshop #safety` on Slack
 * const interaction: Interaction = { from, verb: "update", text: "Ran a workshop #safety" };
 * // the join form submitted
 * const submitted: Interaction = { from, verb: "join", text: "", form: { values: { displayName: "Sam" }, context: {} } };
 */
export interface Interaction {
  from: Address;
  /** Lower-case verb, possibly two words (`broadcast status`); empty for a bare `/ti`. */
  verb: string;
  /** Everything after the verb, as typed. */
  text: string;
  /** People mentioned in the text, as the platform resolved them. */
  mentions?: Address[];
  /** Present when a form was submitted: its values and the hidden context the form carried. */
  form?: { values: FormValues; context: Record<string, string> };
  /**
   * The platform's id for this request (a Teams activity id, a Slack trigger id), so a redelivered
   * request changes nothing twice.
   */
  requestId?: string;
  /** Present when it was said where everyone there sees the answer: a Teams channel or group chat. */
  shared?: SharedConversation;
}

/**
 * A conversation several people see (a Teams channel or group chat). Slack's answers to a slash command
 * are seen by the person alone, so Slack interactions never carry one.
 */
export interface SharedConversation {
  /** The platform's id for the conversation itself (a channel, not one thread in it). */
  conversationId: string;
  /** What the platform needs to post in it later. */
  conversationRef: Json;
  /** How people know it: a team and channel's names, when the platform gives them. */
  name?: string;
}

/** Splits what was typed into a verb and its text: `update Ran a workshop` → `update` + `Ran a workshop`. */
export interface ParsedCommand {
  verb: string;
  text: string;
}
