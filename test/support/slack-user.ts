// A person using the bot on Slack, through the real /slack/events endpoint with correctly signed
// requests shaped after Slack's own payloads: slash commands, modal submissions and button presses.
import { randomUUID } from "node:crypto";
import { slackSigningSecret, type TestApp } from "./app.js";
import { postToSlackEndpoint } from "./fake-slack.js";

export const testTeam = { id: "T0TEST", domain: "test" };

export interface SlackPerson {
  id: string;
  name: string;
}

export interface SlackUser {
  person: SlackPerson;
  /** `/ti <text>`; the answer is the ack's body (JSON when it answered in the ack). */
  command(text: string): Promise<{ status: number; answer: any; since: number }>;
  submit(view: any, answers: Record<string, string | string[] | undefined>): Promise<{ status: number; answer: any; since: number }>;
  /** A button pressed in a message (answered through `responseUrl`, one of the fake's), or on a surface with no message: a modal or the Home tab (`view`). */
  press(button: { action_id: string; value: string; text?: unknown }, where?: { responseUrl?: string; view?: { id: string; type: string } }): Promise<{ status: number; since: number }>;
}

export function slackUser(t: TestApp, person: SlackPerson): SlackUser {
  const post = async (form: Record<string, string>) => {
    const since = t.slack.calls.length;
    const response = await postToSlackEndpoint(t.url, form, { signingSecret: slackSigningSecret });
    const raw = await response.text();
    const answer = raw && response.headers.get("content-type")?.includes("json") ? JSON.parse(raw) : raw;
    return { status: response.status, answer, since };
  };
  const envelope = (type: string) => ({
    type,
    team: testTeam,
    user: { id: person.id, username: person.name, name: person.name, team_id: testTeam.id },
    api_app_id: "A0TI",
    token: "legacy",
    trigger_id: `trigger-${randomUUID()}`,
  });
  return {
    person,
    command: (text) => post(slashCommandFields(person, text, t.slack.responseUrl())),
    submit: (view, answers) =>
      post({
        payload: JSON.stringify({
          ...envelope("view_submission"),
          view: { ...view, id: view.id ?? "V0MODAL", team_id: testTeam.id, state: { values: modalState(view, answers) } },
          response_urls: [],
        }),
      }),
    press: (button, where = {}) =>
      post({
        payload: JSON.stringify({
          ...envelope("block_actions"),
          ...(where.view
            ? { container: { type: "view", view_id: where.view.id }, view: where.view }
            : { container: { type: "message", is_ephemeral: true }, response_url: where.responseUrl ?? t.slack.responseUrl() }),
          actions: [{ type: "button", action_id: button.action_id, block_id: "b", value: button.value, text: button.text, action_ts: "1" }],
        }),
      }),
  };
}

/** The form fields Slack posts for `/ti <text>` typed in #general. */
export function slashCommandFields(person: SlackPerson, text: string, responseUrl: string): Record<string, string> {
  return {
    token: "legacy",
    team_id: testTeam.id,
    team_domain: testTeam.domain,
    channel_id: "C0GENERAL",
    channel_name: "general",
    user_id: person.id,
    user_name: person.name,
    command: "/ti",
    text,
    api_app_id: "A0TI",
    response_url: responseUrl,
    trigger_id: `trigger-${randomUUID()}`,
  };
}

/**
 * What Slack puts in `view.state.values` for a modal the bot opened, given answers by action id. A picker
 * left alone keeps its initial value, as in Slack (a datetime's pickers are `<id>.date` and `<id>.time`).
 */
export function modalState(view: any, answers: Record<string, string | string[] | undefined>) {
  const values: Record<string, Record<string, unknown>> = {};
  for (const block of view.blocks.filter((candidate: any) => candidate.type === "input")) {
    const element = block.element;
    const answer = answers[element.action_id];
    const choice = (value: string) => {
      const options = element.options ?? element.option_groups.flatMap((group: any) => group.options);
      return options.find((option: any) => option.value === value) ?? { text: { type: "plain_text", text: value }, value };
    };
    const picked = typeof answer === "string" ? answer : null;
    const entry =
      element.type === "plain_text_input"
        ? { type: element.type, value: answer ?? null }
        : element.type === "static_select"
          ? { type: element.type, selected_option: typeof answer === "string" ? choice(answer) : null }
          : element.type === "datepicker"
            ? { type: element.type, selected_date: picked ?? element.initial_date ?? null }
            : element.type === "timepicker"
              ? { type: element.type, selected_time: picked ?? element.initial_time ?? null, ...(element.timezone ? { timezone: element.timezone } : {}) }
              : element.type === "datetimepicker"
                ? { type: element.type, selected_date_time: picked ? Number(picked) : (element.initial_date_time ?? null) }
                : { type: element.type, selected_options: [answer ?? []].flat().map(choice) };
    values[block.block_id] = { [element.action_id]: entry };
  }
  return values;
}

/** Every button in a Block Kit message or modal. */
export function slackButtons(blocks: any[]): { action_id: string; value: string; text: { text: string } }[] {
  return blocks.flatMap((block: any) => (block.type === "actions" ? block.elements.filter((element: any) => element.type === "button") : []));
}
