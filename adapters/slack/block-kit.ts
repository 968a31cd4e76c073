import type { types as slack } from "@slack/bolt";

/** Block Kit's published limits, as this renderer keeps them. */
export const slackLimits = {
  messageBlocks: 50,
  modalBlocks: 100,
  homeBlocks: 100,
  sectionText: 3000,
  fieldText: 2000,
  fieldsPerSection: 10,
  contextElements: 10,
  headerText: 150,
  modalTitle: 24,
  modalButton: 24,
  buttonText: 75,
  buttonValue: 2000,
  buttonsPerActions: 25,
  optionText: 75,
  optionsPerMenu: 100,
  inputMaxLength: 3000,
  labelText: 2000,
  placeholderText: 150,
  fallbackText: 3000,
  imageUrl: 3000,
  imageAltText: 2000,
  imageTitle: 2000,
} as const;

/** A message as `chat.postMessage`, a slash command ack and a response_url accept it. */
export interface SlackMessage {
  /** The plain fallback Slack shows in notifications and on clients that cannot show blocks. */
  text: string;
  blocks: slack.KnownBlock[];
}

export function plain(text: string): slack.PlainTextElement {
  return { type: "plain_text", text, emoji: true };
}

export function mrkdwn(text: string): slack.MrkdwnElement {
  return { type: "mrkdwn", text };
}

export function chunk<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}

export function assertNever(value: never): never {
  throw new Error(`Unrenderable view part: ${JSON.stringify(value)}`);
}
