import {
  describeWhen,
  type Block,
  type Button,
  type Form,
  type Message,
  type View,
  type WhenBlock,
} from "../../src/core/kernel/view.js";
import { escapeInline, escapeLine, escapeMarkdown } from "./markdown.js";
import { renderChart } from "./render-chart.js";
import { renderInput } from "./render-input.js";

export { escapeMarkdown };

/** An Adaptive Card element or action, as plain JSON. */
export type CardElement = { type: string; [property: string]: unknown };

/** An Adaptive Card as Teams accepts it in an attachment. */
export interface AdaptiveCard {
  type: "AdaptiveCard";
  $schema: "http://adaptivecards.io/schemas/adaptive-card.json";
  version: "1.5";
  body: CardElement[];
  actions?: CardElement[];
}

/** A rendered view: the card, and one plain line for notifications and clients that cannot show cards. */
export interface TeamsCard {
  card: AdaptiveCard;
  fallback: string;
}

/** What a pressed button sends back under `value.ti`. */
export interface ButtonData {
  kind: "button";
  verb: string;
  text: string;
}

/** What a submitted form sends back under `value.ti`, beside the input values keyed by input id. */
export interface FormData {
  kind: "form";
  verb: string;
  context: Record<string, string>;
  /** Ids of the multi-selects, whose values Teams joins with commas. */
  multiSelect: string[];
}

export const adaptiveCardContentType = "application/vnd.microsoft.card.adaptive";

/**
 * The message activity that carries a rendered view, for a reply or a proactive send.
 *
 * @example
 * await context.sendActivity(cardActivity(message("Saved", text("Thanks"))));
 */
export interface CardActivity {
  type: "message";
  summary: string;
  attachments: [{ contentType: typeof adaptiveCardContentType; content: AdaptiveCard }];
}

/** Teams refuses a message over about 28 KB; a card must fit with room for the activity around it. */
export const teamsLimits = { cardBytes: 28 * 1024 } as const;


/**
 * Renders a view as an Adaptive Card 1.5. Text is escaped so what people typed shows literally.
 *
 * @example
 * renderCard(message("Saved", text("Thanks *Sam*")))
 * // { fallback: "Saved", card: { type: "AdaptiveCard", version: "1.5",
 * //   body: [{ type: "TextBlock", text: "Thanks \\*Sam\\*", wrap: true }], ... } }
 */
export function renderCard(view: View): TeamsCard {
  switch (view.type) {
    case "message":
      return { card: renderMessage(view), fallback: view.summary };
    case "form":
      return { card: renderForm(view), fallback: view.title };
    default:
      return unreachable(view);
  }
}

/** Wraps a rendered view in the message activity that carries it; the fallback becomes the notification text. */
export function cardActivity(view: View): CardActivity {
  const { card, fallback } = renderCard(view);
  // `summary`, not `text`: Teams splits an activity with text and a card into two messages.
  return { type: "message", summary: fallback, attachments: [{ contentType: adaptiveCardContentType, content: card }] };
}

function card(body: CardElement[], actions: CardElement[] = []): AdaptiveCard {
  return {
    type: "AdaptiveCard",
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    version: "1.5",
    body,
    ...(actions.length > 0 ? { actions } : {}),
  };
}

function renderMessage(view: Message): AdaptiveCard {
  return card(renderBlocks(view.blocks));
}

function renderForm(form: Form): AdaptiveCard {
  const data: FormData = {
    kind: "form",
    verb: form.verb,
    context: form.context,
    multiSelect: form.inputs.filter((input) => input.type === "multiselect").map((input) => input.id),
  };
  const body = [
    textBlock(form.title, { weight: "Bolder", size: "Medium" }),
    ...renderBlocks(form.intro),
    ...(form.problem ? [textBlock(form.problem, { color: "Attention", weight: "Bolder" })] : []),
    ...form.inputs.flatMap(renderInput),
  ];
  return card(body, [{ type: "Action.Submit", title: form.submitLabel, style: "positive", data: { ti: data } }]);
}

function renderBlocks(blocks: Block[]): CardElement[] {
  const elements: CardElement[] = [];
  let separateNext = false;
  for (const block of blocks) {
    if (block.type === "divider") {
      separateNext = true;
      continue;
    }
    const rendered = renderBlock(block);
    if (separateNext && rendered[0]) rendered[0] = { ...rendered[0], separator: true, spacing: "Medium" };
    separateNext = false;
    elements.push(...rendered);
  }
  return elements;
}

function renderBlock(block: Block): CardElement[] {
  switch (block.type) {
    case "heading":
      return [textBlock(block.text, { weight: "Bolder", size: "Medium" })];
    case "text":
      return [textBlock(block.text)];
    case "formatted":
      return renderFormatted(block.text);
    case "fields":
      return block.fields.length === 0
        ? []
        : [{ type: "FactSet", facts: block.fields.map((field) => ({ title: escapeMarkdown(field.label), value: escapeMarkdown(field.value) })) }];
    case "list":
      return block.items.map((item, index) => textBlock(`• ${item.replace(/\s*\n\s*/g, " ")}`, index > 0 ? { spacing: "None" } : {}));
    case "context":
      return [textBlock(block.text, { size: "Small", isSubtle: true })];
    case "buttons":
      return block.buttons.length === 0 ? [] : [{ type: "ActionSet", actions: block.buttons.map(renderButton) }];
    case "when":
      return [{ type: "TextBlock", text: whenText(block), wrap: true }];
    case "chart":
      return [renderChart(block)];
    case "divider":
      return [];
    default:
      return unreachable(block);
  }
}

/**
 * A span in each reader's own time zone: Teams formats `{{DATE(…)}}` and `{{TIME(…)}}` on the reader's
 * device. The functions take strict RFC 3339 and no spaces inside the braces.
 */
export function whenText(block: WhenBlock): string {
  const { sameDay } = describeWhen(block);
  const end = sameDay ? `{{TIME(${block.end})}}` : `{{DATE(${block.end}, LONG)}}, {{TIME(${block.end})}}`;
  return `**${escapeMarkdown(block.label)}:** {{DATE(${block.start}, LONG)}}, {{TIME(${block.start})}} to ${end}`;
}

function renderButton(button: Button): CardElement {
  const data: ButtonData = { kind: "button", verb: button.verb, text: button.text ?? "" };
  return {
    type: "Action.Submit",
    title: button.label,
    ...(button.style ? { style: button.style === "primary" ? "positive" : "destructive" } : {}),
    // A button inside a form must neither validate nor send the form's inputs.
    associatedInputs: "none",
    data: { ti: data },
  };
}

function textBlock(text: string, style: Record<string, unknown> = {}): CardElement {
  return { type: "TextBlock", text: escapeMarkdown(text), wrap: true, ...style };
}

/** The inline part of the formatted subset; the contents of each are plain text, escaped. */
const inlineFormatting = new RegExp(
  [
    /\*\*([^\s*](?:[^*\n]*[^\s*])?)\*\*/, // **bold**
    /(?<!\w)_([^\s_[](?:[^_[\n]*[^\s_[])?)_(?!\w)/, // _italic_, but not the middle of snake_case
    /\[([^[\]\n]+)\]\((https?:\/\/[^\s()]+(?:\([^\s()]*\)[^\s()]*)*)\)/, // [label](http… or https…), one level of parentheses
  ]
    .map((pattern) => pattern.source)
    .join("|"),
  "g",
);

/**
 * Renders the formatted subset (see `Block`): one TextBlock for each run of plain lines or of bullets,
 * so a list never swallows the line after it. Anything outside the subset is escaped.
 */
function renderFormatted(text: string): CardElement[] {
  const paragraphs = text.replace(/\r\n?/g, "\n").split(/\n[ \t]*\n/).map((paragraph) => paragraph.split("\n").filter((line) => line.trim() !== ""));
  return paragraphs
    .filter((lines) => lines.length > 0)
    .flatMap((lines, index) =>
      runsOf(lines).map((run, position) => ({
        type: "TextBlock",
        text: run.bullets ? run.lines.map((line) => `- ${formatLine(line.slice(2))}`).join("\n") : run.lines.map(formatLine).join("\n\n"),
        wrap: true,
        ...(position > 0 ? { spacing: "Small" } : index > 0 ? { spacing: "Medium" } : {}),
      })),
    );
}

function runsOf(lines: string[]): { bullets: boolean; lines: string[] }[] {
  const runs: { bullets: boolean; lines: string[] }[] = [];
  for (const line of lines) {
    const bullets = line.startsWith("- ");
    const last = runs.at(-1);
    if (last && last.bullets === bullets) last.lines.push(line);
    else runs.push({ bullets, lines: [line] });
  }
  return runs;
}

function formatLine(line: string): string {
  let formatted = "";
  let plainFrom = 0;
  for (const match of line.matchAll(inlineFormatting)) {
    formatted += plain(line.slice(plainFrom, match.index), plainFrom === 0);
    const [, bold, italic, label, url] = match;
    if (bold !== undefined) formatted += `**${escapeInline(bold)}**`;
    else if (italic !== undefined) formatted += `_${escapeInline(italic)}_`;
    else formatted += `[${escapeInline(label!)}](${url!})`;
    plainFrom = match.index + match[0].length;
  }
  return formatted + plain(line.slice(plainFrom), plainFrom === 0);
}

function plain(text: string, startsLine: boolean): string {
  return startsLine ? escapeLine(text) : escapeInline(text);
}

function unreachable(value: never): never {
  throw new Error(`Unhandled view part: ${JSON.stringify(value)}`);
}
