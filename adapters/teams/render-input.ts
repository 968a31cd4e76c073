import { dateTimeIds, localParts, shownParts, zoneName, type DateTimeInput, type Input } from "../../src/core/kernel/view.js";
import { escapeMarkdown } from "./markdown.js";
import type { CardElement } from "./render.js";

/** Above this many choices a select gets a search box. */
const filteredChoicesFrom = 16;
/** Up to this many choices a multi-select shows checkboxes; more go in a drop-down. */
const checkboxChoicesUpTo = 8;

const requiredMessages: Record<Input["type"], string> = {
  text: "Please fill this in.",
  select: "Please choose one.",
  multiselect: "Please choose one.",
  date: "Please choose a date.",
  time: "Please choose a time.",
  datetime: "Please choose a date and a time.",
};

/** One form input as Adaptive Card inputs, with its error and hint beneath. */
export function renderInput(input: Input): CardElement[] {
  const common = {
    id: input.id,
    label: labelFor(input.label, input.optional),
    isRequired: !input.optional,
    ...(input.optional ? {} : { errorMessage: requiredMessages[input.type] }),
  };
  const elements = input.type === "datetime" ? dateTimeElements(input, common) : [inputElement(input, common)];
  return [
    ...elements,
    ...(input.error ? [textBlock(input.error, { color: "Attention", spacing: "Small" })] : []),
    ...(input.hint ? [textBlock(input.hint, { size: "Small", isSubtle: true, spacing: "Small" })] : []),
  ];
}

function labelFor(text: string, optional: boolean | undefined): string {
  return optional ? `${text} (optional)` : text;
}

/**
 * A datetime as an Input.Date and an Input.Time, read together in the network's zone on the server
 * (Teams has no date-and-time input). The time's label names the zone.
 */
function dateTimeElements(input: DateTimeInput, common: Record<string, unknown>): CardElement[] {
  const ids = dateTimeIds(input.id);
  const shown = shownParts(input);
  const earliest = input.min ? localParts(input.min, input.timeZone).date : undefined;
  const latest = input.max ? localParts(input.max, input.timeZone).date : undefined;
  return [
    {
      type: "Input.Date",
      ...common,
      id: ids.date,
      ...(earliest ? { min: earliest } : {}),
      ...(latest ? { max: latest } : {}),
      ...(input.optional ? {} : { errorMessage: "Please choose a date." }),
      ...(shown.date ? { value: shown.date } : {}),
    },
    {
      type: "Input.Time",
      ...common,
      id: ids.time,
      label: labelFor(`${input.label}: time, ${zoneName(input.timeZone)}`, input.optional),
      ...(input.optional ? {} : { errorMessage: "Please choose a time." }),
      ...(shown.time ? { value: shown.time } : {}),
    },
  ];
}

function inputElement(input: Exclude<Input, DateTimeInput>, common: Record<string, unknown>): CardElement {
  switch (input.type) {
    case "text":
      return {
        type: "Input.Text",
        ...common,
        ...(input.multiline ? { isMultiline: true } : {}),
        ...(input.maxLength ? { maxLength: input.maxLength } : {}),
        ...(input.placeholder ? { placeholder: input.placeholder } : {}),
        ...(input.value ? { value: input.value } : {}),
      };
    case "select":
      return {
        type: "Input.ChoiceSet",
        ...common,
        style: input.options.length >= filteredChoicesFrom ? "filtered" : "compact",
        choices: input.options.map((option) => ({ title: option.label, value: option.value })),
        ...(input.value ? { value: input.value } : {}),
      };
    case "multiselect":
      return {
        type: "Input.ChoiceSet",
        ...common,
        isMultiSelect: true,
        style: input.options.length <= checkboxChoicesUpTo ? "expanded" : "compact",
        choices: input.options.map((option) => ({ title: option.label, value: option.value })),
        ...(input.values && input.values.length > 0 ? { value: input.values.join(",") } : {}),
      };
    case "date":
      return {
        type: "Input.Date",
        ...common,
        ...(input.min ? { min: input.min } : {}),
        ...(input.max ? { max: input.max } : {}),
        ...(input.value ? { value: input.value } : {}),
      };
    case "time":
      return {
        type: "Input.Time",
        ...common,
        ...(input.timeZone ? { label: labelFor(`${input.label}, ${zoneName(input.timeZone)}`, input.optional) } : {}),
        ...(input.min ? { min: input.min } : {}),
        ...(input.max ? { max: input.max } : {}),
        ...(input.value ? { value: input.value } : {}),
      };
    default:
      return unreachable(input);
  }
}

function textBlock(text: string, style: Record<string, unknown> = {}): CardElement {
  return { type: "TextBlock", text: escapeMarkdown(text), wrap: true, ...style };
}

function unreachable(value: never): never {
  throw new Error(`Unhandled input: ${JSON.stringify(value)}`);
}
