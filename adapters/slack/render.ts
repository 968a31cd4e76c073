import type { types as slack } from "@slack/bolt";
import { describeWhen, type Block, type Button, type Choice, type Form, type Input, type Message, type WhenBlock } from "../../src/core/kernel/view.js";

/** Block Kit's published limits, as this renderer keeps them. */
export const slackLimits = {
  messageBlocks: 50,
  modalBlocks: 100,
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
} as const;

/** A message as `chat.postMessage`, a slash command ack and a response_url accept it. */
export interface SlackMessage {
  /** The plain fallback Slack shows in notifications and on clients that cannot show blocks. */
  text: string;
  blocks: slack.KnownBlock[];
}

/** What a button carries in its `value`: the command it runs. */
export interface ButtonValue {
  verb: string;
  text: string;
}

/** `ti:<verb>` names a form's modal so its submission maps back to the verb. */
export const formCallbackPrefix = "ti:";
/** Every button this bot renders has an action_id starting with this. */
export const buttonActionPrefix = "ti:";

/**
 * Renders a message as Block Kit within Slack's limits. Long text becomes several sections; nothing
 * typed is cut.
 *
 * @example
 * renderMessage(message("Saved", text("Thanks <Sam>")))
 * // { text: "Saved", blocks: [{ type: "section", text: { type: "mrkdwn", text: "Thanks &lt;Sam&gt;" } }] }
 */
export function renderMessage(view: Message): SlackMessage {
  const blocks = renderBlocks(view.blocks, slackLimits.messageBlocks);
  return { text: fallbackText(view), blocks };
}

/**
 * Renders a form as a modal whose `callback_id` is `ti:<verb>` and whose inputs have `block_id` and
 * `action_id` equal to the input id. Input errors are not drawn: Slack shows them from a
 * `response_action: "errors"` answer.
 */
export function renderModal(form: Form, privateMetadata: string): slack.ModalView {
  const above: Block[] = [...(form.problem ? [{ type: "text", text: form.problem } as const] : []), ...form.intro];
  const inputBlocks = form.inputs.map(renderInput);
  const blocks = renderBlocks(above, slackLimits.modalBlocks - inputBlocks.length);
  return {
    type: "modal",
    callback_id: cut(`${formCallbackPrefix}${form.verb}`, 255),
    title: plain(cut(form.title, slackLimits.modalTitle)),
    submit: plain(cut(form.submitLabel, slackLimits.modalButton)),
    close: plain("Cancel"),
    private_metadata: privateMetadata,
    blocks: [...blocks, ...inputBlocks],
  };
}

/** A modal that only shows a message (the answer to a submission that took a while). */
export function renderMessageModal(title: string, view: Message): slack.ModalView {
  return {
    type: "modal",
    title: plain(cut(title, slackLimits.modalTitle)),
    close: plain("Done"),
    blocks: renderBlocks(view.blocks, slackLimits.modalBlocks),
  };
}

/** Escapes the three characters Slack's mrkdwn treats as markup, so `<!channel>` stays text. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Shortens plain text to `max` characters, ending with an ellipsis when anything was removed. */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${safeSlice(text, max - 1).trimEnd()}…`;
}

/**
 * Splits plain text into escaped mrkdwn pieces of at most `max` characters each, breaking at a line or
 * a space where it can and never inside an entity or a surrogate pair. Joined, the pieces are exactly
 * `escapeMrkdwn(text)`.
 */
export function splitMrkdwn(text: string, max: number = slackLimits.sectionText): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (escapeMrkdwn(rest).length > max) {
    const hard = fittingLength(rest, max);
    const window = rest.slice(0, hard);
    const newline = window.lastIndexOf("\n");
    const space = window.lastIndexOf(" ");
    const breakAt = newline > hard / 2 ? newline + 1 : space > hard / 2 ? space + 1 : hard;
    pieces.push(escapeMrkdwn(rest.slice(0, breakAt)));
    rest = rest.slice(breakAt);
  }
  if (rest.length > 0) pieces.push(escapeMrkdwn(rest));
  return pieces;
}

/**
 * Renders a `formatted` block's light markup as mrkdwn pieces of at most `max` characters, split at
 * paragraphs, then lines, then words. Only the documented subset is translated; everything else is
 * escaped, so `<@U123>` typed by someone cannot ping and a `javascript:` link stays text.
 *
 * @example
 * formattedMrkdwn("**Hi** & see [the guide](https://example.org)\n- one")
 * // ["*Hi* &amp; see <https://example.org|the guide>\n• one"]
 */
export function formattedMrkdwn(text: string, max: number = slackLimits.sectionText): string[] {
  const paragraphs = text.split("\n\n").map((paragraph) => joinedRun(paragraph.split("\n").map(lineRun), "\n"));
  return packRuns(paragraphs, "\n\n", max).filter((piece) => piece.trim());
}

/** The button's value: `{verb,text}` as JSON, the text shortened only if Slack's 2,000 would be passed. */
export function buttonValue(verb: string, text: string): string {
  let kept = text;
  let value = JSON.stringify({ verb, text: kept } satisfies ButtonValue);
  while (value.length > slackLimits.buttonValue && kept.length > 0) {
    kept = safeSlice(kept, Math.max(0, kept.length - (value.length - slackLimits.buttonValue)));
    value = JSON.stringify({ verb, text: kept } satisfies ButtonValue);
  }
  return value;
}

function renderBlocks(blocks: Block[], limit: number): slack.KnownBlock[] {
  const buttonCount = { next: 0 };
  const rendered = blocks.flatMap((block) => renderBlock(block, buttonCount));
  return fitBlocks(rendered, limit);
}

function renderBlock(block: Block, buttonCount: { next: number }): slack.KnownBlock[] {
  switch (block.type) {
    case "heading":
      return block.text.length <= slackLimits.headerText && block.text.trim()
        ? [{ type: "header", text: plain(block.text) }]
        : sections(block.text);
    case "text":
      return sections(block.text);
    case "formatted":
      return formattedMrkdwn(block.text).map((piece) => ({ type: "section", text: mrkdwn(piece) }));
    case "fields":
      return fieldSections(block.fields);
    case "list":
      return sections(block.items.map((item) => `• ${item}`).join("\n"));
    case "context":
      return contexts(block.text);
    case "buttons":
      return actions(block.buttons, buttonCount);
    case "when":
      return [{ type: "section", text: mrkdwn(whenMrkdwn(block)) }];
    case "divider":
      return [{ type: "divider" }];
    default:
      return assertNever(block);
  }
}

/**
 * A span in each reader's own time zone: Slack replaces `<!date^unix^tokens|fallback>` with the time
 * in the reader's zone, and shows the fallback (the network's zone) where it can't.
 */
export function whenMrkdwn(block: WhenBlock): string {
  const described = describeWhen(block);
  const unix = (iso: string) => Math.floor(new Date(iso).getTime() / 1000);
  const start = `<!date^${unix(block.start)}^{date_long_pretty}, {time}|${escapeMrkdwn(described.start)}>`;
  const end = `<!date^${unix(block.end)}^${described.sameDay ? "{time}" : "{date_long_pretty}, {time}"}|${escapeMrkdwn(described.end)}>`;
  return `*${escapeMrkdwn(block.label)}:* ${start} to ${end}`;
}

function renderInput(input: Input): slack.KnownBlock {
  const base = {
    type: "input" as const,
    block_id: input.id,
    label: plain(cut(input.label, slackLimits.labelText)),
    ...(input.optional ? { optional: true } : {}),
    ...(input.hint ? { hint: plain(cut(input.hint, slackLimits.labelText)) } : {}),
  };
  switch (input.type) {
    case "text":
      return {
        ...base,
        element: {
          type: "plain_text_input",
          action_id: input.id,
          multiline: input.multiline ?? false,
          max_length: Math.min(input.maxLength ?? slackLimits.inputMaxLength, slackLimits.inputMaxLength),
          ...(input.value ? { initial_value: input.value } : {}),
          ...(input.placeholder ? { placeholder: plain(cut(input.placeholder, slackLimits.placeholderText)) } : {}),
        },
      };
    case "select": {
      const chosen = input.options.find((choice) => choice.value === input.value);
      return {
        ...base,
        element: {
          type: "static_select",
          action_id: input.id,
          placeholder: plain("Choose one"),
          ...menuOptions(input.options),
          ...(chosen ? { initial_option: option(chosen) } : {}),
        },
      };
    }
    case "multiselect": {
      const chosen = input.options.filter((choice) => input.values?.includes(choice.value));
      return {
        ...base,
        element: {
          type: "multi_static_select",
          action_id: input.id,
          placeholder: plain("Choose any"),
          ...menuOptions(input.options),
          ...(chosen.length > 0 ? { initial_options: chosen.map(option) } : {}),
        },
      };
    }
    default:
      return assertNever(input);
  }
}

type OptionGroup = { label: slack.PlainTextElement; options: slack.PlainTextOption[] };

function menuOptions(choices: Choice[]): { options: slack.PlainTextOption[] } | { option_groups: OptionGroup[] } {
  if (choices.length <= slackLimits.optionsPerMenu) return { options: choices.map(option) };
  const groups: OptionGroup[] = [];
  for (let start = 0; start < choices.length; start += slackLimits.optionsPerMenu) {
    const group = choices.slice(start, start + slackLimits.optionsPerMenu);
    const label = `${cut(group[0]!.label, 35)} to ${cut(group.at(-1)!.label, 35)}`;
    groups.push({ label: plain(cut(label, slackLimits.optionText)), options: group.map(option) });
  }
  return { option_groups: groups };
}

function option(choice: Choice): slack.PlainTextOption {
  return { text: plain(cut(choice.label, slackLimits.optionText)), value: choice.value };
}

function sections(text: string): slack.KnownBlock[] {
  if (!text.trim()) return [];
  return splitMrkdwn(text).map((piece) => ({ type: "section", text: mrkdwn(piece) }));
}

/** Rendered mrkdwn that cannot be cut just anywhere, and how to cut it when it alone is over `max`. */
interface Run {
  mrkdwn: string;
  split(max: number): string[];
}

const inlineMarkup = /\[([^\]\n]+)\]\(([^)\s]+)\)|\*\*(?=\S)(.+?)(?<=\S)\*\*/g;

function lineRun(line: string): Run {
  const bullet = line.startsWith("- ");
  const runs = bullet ? [{ mrkdwn: "• ", split: () => ["• "] }, ...inlineRuns(line.slice(2))] : inlineRuns(line);
  return joinedRun(runs, "");
}

function inlineRuns(text: string): Run[] {
  const runs: Run[] = [];
  let done = 0;
  for (const match of text.matchAll(inlineMarkup)) {
    const [typed, label, target, bold] = match;
    runs.push(...wordRuns(text.slice(done, match.index)));
    runs.push(bold !== undefined ? boldRun(bold) : linkRun(label!, target!, typed));
    done = match.index + typed.length;
  }
  runs.push(...wordRuns(text.slice(done)));
  return runs;
}

function wordRuns(text: string): Run[] {
  return (text.match(/\S+\s*|\s+/g) ?? []).map((word) => ({ mrkdwn: escapeMrkdwn(word), split: (max) => splitMrkdwn(word, max) }));
}

// Slack only bolds when `*` hugs the text, so each piece of a split bold span is trimmed.
function boldRun(inner: string): Run {
  const runs = inlineRuns(inner);
  return {
    mrkdwn: `*${joinedRun(runs, "").mrkdwn}*`,
    split: (max) =>
      packRuns(runs, "", max - 2)
        .map((piece) => piece.trim())
        .filter(Boolean)
        .map((piece) => `*${piece}*`),
  };
}

function linkRun(label: string, target: string, typed: string): Run {
  if (!isWebLink(target)) return joinedRun(wordRuns(typed), "");
  return { mrkdwn: `<${escapeMrkdwn(target)}|${escapeMrkdwn(label)}>`, split: (max) => splitMrkdwn(typed, max) };
}

// `|` and `>` would end Slack's `<url|label>` early.
function isWebLink(target: string): boolean {
  return /^https?:\/\/[^\s<>|]+$/i.test(target) && URL.canParse(target);
}

function joinedRun(runs: Run[], separator: string): Run {
  return { mrkdwn: runs.map((run) => run.mrkdwn).join(separator), split: (max) => packRuns(runs, separator, max) };
}

// Greedy: as many whole runs in a piece as fit; a run over `max` on its own is split by its own rule.
function packRuns(runs: Run[], separator: string, max: number): string[] {
  const pieces: string[] = [];
  let current: string | undefined;
  for (const run of runs) {
    if (current !== undefined && current.length + separator.length + run.mrkdwn.length <= max) {
      current += separator + run.mrkdwn;
      continue;
    }
    if (current !== undefined) pieces.push(current);
    const parts = run.mrkdwn.length <= max ? [run.mrkdwn] : run.split(max);
    pieces.push(...parts.slice(0, -1));
    current = parts.at(-1);
  }
  if (current !== undefined) pieces.push(current);
  return pieces;
}

function contexts(text: string): slack.KnownBlock[] {
  if (!text.trim()) return [];
  const pieces = splitMrkdwn(text).map(mrkdwn);
  return chunk(pieces, slackLimits.contextElements).map((elements) => ({ type: "context", elements }));
}

// A field too long for Slack's 2,000 becomes a section of its own, so nothing is cut.
function fieldSections(fields: { label: string; value: string }[]): slack.KnownBlock[] {
  const blocks: slack.KnownBlock[] = [];
  let pending: slack.MrkdwnElement[] = [];
  const flush = () => {
    for (const group of chunk(pending, slackLimits.fieldsPerSection)) blocks.push({ type: "section", fields: group });
    pending = [];
  };
  for (const field of fields) {
    const label = `*${escapeMrkdwn(field.label)}*\n`;
    const value = escapeMrkdwn(field.value || " ");
    if (label.length + value.length <= slackLimits.fieldText) {
      pending.push(mrkdwn(label + value));
      continue;
    }
    flush();
    blocks.push(...sections(`${field.label}\n${field.value}`));
  }
  flush();
  return blocks;
}

function actions(buttons: Button[], buttonCount: { next: number }): slack.KnownBlock[] {
  const elements = buttons.map((button): slack.Button => {
    const n = buttonCount.next++;
    return {
      type: "button",
      action_id: `${buttonActionPrefix}${cut(button.verb, 200)}:${n}`,
      text: plain(cut(button.label, slackLimits.buttonText)),
      value: buttonValue(button.verb, button.text ?? ""),
      ...(button.style ? { style: button.style } : {}),
    };
  });
  return chunk(elements, slackLimits.buttonsPerActions).map((group) => ({ type: "actions", elements: group }));
}

// Over the block limit: pack text into fewer sections first; only then leave the rest out, and say so.
function fitBlocks(blocks: slack.KnownBlock[], limit: number): slack.KnownBlock[] {
  if (blocks.length <= limit) return blocks;
  const packed = packText(blocks);
  if (packed.length <= limit) return packed;
  const kept = packed.slice(0, Math.max(0, limit - 1));
  const left = packed.length - kept.length;
  return [...kept, { type: "context", elements: [mrkdwn(`This was too long for Slack, so the last ${left} parts are not shown.`)] }];
}

function packText(blocks: slack.KnownBlock[]): slack.KnownBlock[] {
  const packed: slack.KnownBlock[] = [];
  for (const block of blocks) {
    const text = plainSectionText(block);
    const previous = packed.at(-1);
    const previousText = previous && plainSectionText(previous);
    if (text !== undefined && previousText !== undefined && previousText.length + 1 + text.length <= slackLimits.sectionText) {
      packed[packed.length - 1] = { type: "section", text: mrkdwn(`${previousText}\n${text}`) };
    } else {
      packed.push(text !== undefined ? { type: "section", text: mrkdwn(text) } : block);
    }
  }
  return packed;
}

function plainSectionText(block: slack.KnownBlock): string | undefined {
  if (block.type === "section" && block.text?.type === "mrkdwn" && !block.fields && !block.accessory) return block.text.text;
  if (block.type === "header") return `*${escapeMrkdwn(block.text.text)}*`;
  if (block.type === "context" && block.elements.length === 1 && block.elements[0]!.type === "mrkdwn") return block.elements[0]!.text;
  return undefined;
}

function fallbackText(view: Message): string {
  const firstText = view.blocks.find((block) => block.type === "text" || block.type === "heading");
  const source = view.summary.trim() || (firstText && "text" in firstText ? firstText.text : "");
  const pieces = splitMrkdwn(source, slackLimits.fallbackText - 1);
  return pieces.length > 1 ? `${pieces[0]}…` : (pieces[0] ?? " ");
}

// The longest prefix of `text` whose escaped form fits in `max`, not ending inside a surrogate pair.
function fittingLength(text: string, max: number): number {
  let escaped = 0;
  let index = 0;
  while (index < text.length) {
    const char = text[index]!;
    const width = char === "&" ? 5 : char === "<" || char === ">" ? 4 : 1;
    if (escaped + width > max) break;
    escaped += width;
    index++;
  }
  return safeLength(text, Math.max(1, index));
}

function safeSlice(text: string, length: number): string {
  return text.slice(0, safeLength(text, length));
}

function safeLength(text: string, length: number): number {
  const code = text.charCodeAt(length - 1);
  return length > 1 && length < text.length && code >= 0xd800 && code <= 0xdbff ? length - 1 : length;
}

function chunk<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}

function plain(text: string): slack.PlainTextElement {
  return { type: "plain_text", text, emoji: true };
}

function mrkdwn(text: string): slack.MrkdwnElement {
  return { type: "mrkdwn", text };
}

function assertNever(value: never): never {
  throw new Error(`Unrenderable view part: ${JSON.stringify(value)}`);
}
