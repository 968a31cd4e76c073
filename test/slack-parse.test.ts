import { describe, expect, it } from "vitest";
import {
  buttonInteraction,
  commandInteraction,
  decodeFormMetadata,
  encodeFormMetadata,
  formValues,
  slashCommandSchema,
  submissionInteraction,
  viewSubmissionSchema,
} from "../adapters/slack/parse.js";
import { buttonValue } from "../adapters/slack/render.js";

const command = (text: string) =>
  slashCommandSchema.parse({
    team_id: "T1",
    user_id: "U1",
    user_name: "sam",
    command: "/ti",
    text,
    trigger_id: "trigger-1",
    response_url: "https://hooks.slack.com/commands/1",
    channel_id: "C1",
  });

describe("Slack parsing", () => {
  it("turns a slash command into an interaction", () => {
    expect(commandInteraction(command("update Ran a workshop #safety"))).toEqual({
      from: { platform: "slack", workspaceId: "T1", userId: "U1", displayName: "sam" },
      verb: "update",
      text: "Ran a workshop #safety",
      requestId: "trigger-1",
    });
  });

  it("reads escaped mentions, channels, links and entities as the person saw them", () => {
    const interaction = commandInteraction(
      command("role <@U2|alex> champion, thanks <@U3> &amp; <@U2|alex> for <#C9|safety> &lt;3 <https://example.org|example.org> <!here>"),
    );
    expect(interaction.verb).toBe("role");
    expect(interaction.text).toBe("@alex champion, thanks @U3 & @alex for #safety <3 example.org @here");
    expect(interaction.mentions).toEqual([
      { platform: "slack", workspaceId: "T1", userId: "U2", displayName: "alex" },
      { platform: "slack", workspaceId: "T1", userId: "U3" },
    ]);
  });

  it("maps every kind of submitted value, keyed by input id", () => {
    expect(
      formValues({
        displayName: { displayName: { type: "plain_text_input", value: "Sam" } },
        locality: { locality: { type: "plain_text_input", value: null } },
        sector: { sector: { type: "static_select", selected_option: { value: "housing" } } },
        trainingLevel: { trainingLevel: { type: "static_select", selected_option: null } },
        principles: { principles: { type: "multi_static_select", selected_options: [{ value: "p1" }, { value: "p2" }] } },
      }),
    ).toEqual({ displayName: "Sam", locality: undefined, sector: "housing", trainingLevel: undefined, principles: ["p1", "p2"] });
  });

  it("reads the pickers' selected_date, selected_time and selected_date_time as Slack sends them", () => {
    const submission = viewSubmissionSchema.parse({
      type: "view_submission",
      team: { id: "T1" },
      user: { id: "U1", username: "sam" },
      view: {
        id: "V1",
        callback_id: "ti:event",
        state: {
          values: {
            "starts.date": { "starts.date": { type: "datepicker", selected_date: "2027-07-14" } },
            starts: { "starts.time": { type: "timepicker", selected_time: "10:00", timezone: "Europe/London" } },
            endsOn: { endsOn: { type: "datepicker", selected_date: null } },
            ends: { ends: { type: "timepicker", selected_time: null } },
            inviteOn: { inviteOn: { type: "datetimepicker", selected_date_time: 1_811_406_600 } },
          },
        },
      },
    });
    expect(formValues(submission.view.state.values)).toEqual({
      "starts.date": "2027-07-14",
      "starts.time": "10:00",
      endsOn: undefined,
      ends: undefined,
      inviteOn: "2027-05-27T08:30:00.000Z",
    });
  });

  it("carries the form's context and response_url through private_metadata", () => {
    const metadata = encodeFormMetadata({ context: { pendingUpdate: "Ran a workshop" }, responseUrl: "https://hooks.slack.com/1" });
    const submission = viewSubmissionSchema.parse({
      type: "view_submission",
      team: { id: "T1" },
      user: { id: "U1", username: "sam" },
      view: { id: "V1", callback_id: "ti:join", private_metadata: metadata, state: { values: {} } },
    });
    const { interaction, metadata: decoded } = submissionInteraction(submission);
    expect(interaction).toMatchObject({ verb: "join", text: "", form: { values: {}, context: { pendingUpdate: "Ran a workshop" } } });
    expect(decoded.responseUrl).toBe("https://hooks.slack.com/1");
  });

  it("keeps the core's context over its own extras when private_metadata would pass 3,000", () => {
    const context = { pendingUpdate: "u".repeat(2900) };
    const encoded = encodeFormMetadata({ context, responseUrl: `https://hooks.slack.com/${"r".repeat(200)}` });
    expect(encoded.length).toBeLessThanOrEqual(3000);
    expect(decodeFormMetadata(encoded)).toEqual({ context });
    expect(() => encodeFormMetadata({ context: { pendingUpdate: "u".repeat(3000) } })).toThrow(/3000/);
    expect(decodeFormMetadata("not json")).toEqual({ context: {} });
  });

  it("reads a pressed button back into the command it runs, ignoring values that are not ours", () => {
    const pressed = (value: string) =>
      buttonInteraction({
        type: "block_actions",
        team: { id: "T1" },
        user: { id: "U1", username: "sam" },
        trigger_id: "trigger-2",
        actions: [{ action_id: "ti:update:0", value }],
      });
    expect(pressed(buttonValue("update", "Ran a workshop"))).toMatchObject({
      verb: "update",
      text: "Ran a workshop",
      requestId: "trigger-2",
    });
    expect(pressed("not json")).toBeUndefined();
    expect(pressed(JSON.stringify({ nope: true }))).toBeUndefined();
  });
});
