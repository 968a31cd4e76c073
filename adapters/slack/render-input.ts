import type { types as slack } from "@slack/bolt";
import type { Choice, Input } from "../../src/core/kernel/view.js";
import { assertNever, plain, slackLimits } from "./block-kit.js";
import { cut } from "./mrkdwn.js";

export function renderInput(input: Input): slack.KnownBlock {
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
