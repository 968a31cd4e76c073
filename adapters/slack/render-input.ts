import type { types as slack } from "@slack/bolt";
import { dateTimeIds, shownParts, type Choice, type DateTimeInput, type Input } from "../../src/core/kernel/view.js";
import { assertNever, plain, slackLimits } from "./block-kit.js";
import { cut } from "./mrkdwn.js";

/**
 * An input as Block Kit input blocks, `block_id` and `action_id` equal to the input id. A datetime is a
 * datepicker and a timepicker showing the network's zone (see {@link renderDateTime}). Slack's pickers
 * take no min or max: the server checks them.
 */
export function renderInput(input: Input): slack.KnownBlock[] {
  return input.type === "datetime" ? renderDateTime(input) : [renderSingle(input)];
}

function renderSingle(input: Exclude<Input, DateTimeInput>): slack.KnownBlock {
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
    case "date":
      return { ...base, element: datepicker(input.id, input.value) };
    case "time":
      return { ...base, element: timepicker(input.id, input.value, input.timeZone) };
    default:
      return assertNever(input);
  }
}

/**
 * A day and a time as two blocks, read together in the network's zone on the server. Not Slack's
 * datetimepicker: it works in each person's own zone (a coordinator abroad would move the event), can't
 * show which zone is meant, and would differ from Teams, which has no such picker. The time's block
 * carries the input id, so an error about the moment shows under the pair.
 */
function renderDateTime(input: DateTimeInput): slack.KnownBlock[] {
  const ids = dateTimeIds(input.id);
  const shown = shownParts(input);
  const optional = input.optional ? { optional: true } : {};
  return [
    { type: "input", block_id: ids.date, label: plain(cut(input.label, slackLimits.labelText)), ...optional, element: datepicker(ids.date, shown.date) },
    {
      type: "input",
      block_id: input.id,
      label: plain(cut(`${input.label}: time`, slackLimits.labelText)),
      ...optional,
      ...(input.hint ? { hint: plain(cut(input.hint, slackLimits.labelText)) } : {}),
      element: timepicker(ids.time, shown.time, input.timeZone),
    },
  ];
}

function datepicker(actionId: string, day: string | undefined): slack.Datepicker {
  return {
    type: "datepicker",
    action_id: actionId,
    placeholder: plain("Choose a date"),
    ...(day && isDay(day) ? { initial_date: day } : {}),
  };
}

// Slack refuses a whole modal over one impossible initial date, and a refused form keeps what was sent.
function isDay(day: string): boolean {
  return /^\d{4}-\d\d-\d\d$/.test(day) && new Date(`${day}T00:00:00Z`).toISOString().startsWith(day);
}

function timepicker(actionId: string, time: string | undefined, timeZone: string | undefined): slack.Timepicker {
  return {
    type: "timepicker",
    action_id: actionId,
    placeholder: plain("Choose a time"),
    ...(time && /^\d\d:\d\d$/.test(time) ? { initial_time: time } : {}),
    ...(timeZone ? { timezone: timeZone } : {}),
  };
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
