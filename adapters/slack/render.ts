import type { types as slack } from "@slack/bolt";
import { describeWhen, type Block, type Button, type Form, type Message, type WhenBlock } from "../../src/core/kernel/view.js";
import { assertNever, chunk, mrkdwn, plain, slackLimits, type SlackMessage } from "./block-kit.js";
import { cut, escapeMrkdwn, formattedMrkdwn, safeSlice, splitMrkdwn } from "./mrkdwn.js";
import { renderChart } from "./render-chart.js";
import { renderInput } from "./render-input.js";

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
  const inputBlocks = form.inputs.flatMap(renderInput);
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

/** Blocks for a message, a modal or a Home tab, within that surface's `limit`. */
export function renderBlocks(blocks: Block[], limit: number): slack.KnownBlock[] {
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
    case "chart":
      return renderChart(block);
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

function sections(text: string): slack.KnownBlock[] {
  if (!text.trim()) return [];
  return splitMrkdwn(text).map((piece) => ({ type: "section", text: mrkdwn(piece) }));
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
