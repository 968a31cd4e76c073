// Property-based fuzzing of both endpoints with fast-check: correctly signed slash commands with any
// text, button presses and modal submissions with any values and metadata, Slack events, and Teams
// activities of every type with any fields. None may get a 5xx or leave a promise failing unobserved
// (Vitest fails the run on one); afterwards /healthz answers and a normal update is saved. Seeded and
// bounded, so a failure replays.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { features } from "../src/core/features.js";
import { catalogue } from "../src/core/kernel/catalogue.js";

const { verbs: verbCatalogue, forms: formCatalogue } = catalogue(features);
import { slackSigningSecret, startTestApp, type TestApp } from "./support/app.js";
import { signSlackRequest } from "./support/fake-slack.js";
import { startFakeConnector, teamsMessage, teamsUser, type FakeConnector } from "./support/fake-connector.js";
import { seedMembers } from "./support/seed.js";
import { slashCommandFields, slackUser, testTeam } from "./support/slack-user.js";

const seed = 20261206;
const runs = 150;

let t: TestApp;
let connector: FakeConnector;

beforeAll(async () => {
  [t, connector] = await Promise.all([startTestApp({ env: { TI_SENDING_HOURS: "always" } }), startFakeConnector()]);
  await seedMembers(t.db.prisma, { slack: { count: 1, workspaceId: testTeam.id }, role: "champion", organisation: { name: "Riverside Housing", sector: "housing" } });
});

afterAll(async () => {
  await Promise.all([t?.close(), connector?.close()]);
});

const verbs = verbCatalogue.map((entry) => entry.verb);
const formVerbs = Object.keys(formCatalogue);
const people = fc.constantFrom("U0FUZZA", "U0FUZZB", "W0FUZZC");
const anyText = fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: "grapheme", maxLength: 200 }), fc.constantFrom("", " ", "<@U0FUZZA|x>", "&lt;&gt;", "#safety #unknown", "x".repeat(5_000)));
const verbAndText = fc.tuple(fc.oneof(fc.constantFrom(...verbs), anyText), anyText).map(([verb, text]) => `${verb} ${text}`);
const anyJson = fc.jsonValue({ maxDepth: 4 });

const slashCommand = fc.record({ user: people, text: fc.oneof(verbAndText, anyText) }).map(({ user, text }) => ({
  kind: "slack" as const,
  form: slashCommandFields({ id: user, name: "fuzz" }, text, t.slack.responseUrl()),
}));

const buttonValue = fc.oneof(
  fc.record({ verb: fc.oneof(fc.constantFrom(...verbs), anyText), text: anyText }).map((value) => JSON.stringify(value)),
  anyJson.map((value) => JSON.stringify(value)),
  anyText,
);

const envelope = (type: string, user: string) => ({ type, team: { id: testTeam.id }, user: { id: user, username: "fuzz", team_id: testTeam.id }, api_app_id: "A0TI", trigger_id: `trigger-${user}` });

const blockActions = fc.record({ user: people, actionId: fc.oneof(fc.constant("ti:x"), anyText), value: fc.option(buttonValue), extra: fc.dictionary(fc.string({ maxLength: 10 }), anyJson, { maxKeys: 3 }) }).map(
  ({ user, actionId, value, extra }) => ({
    kind: "slack" as const,
    form: {
      payload: JSON.stringify({
        ...extra,
        ...envelope("block_actions", user),
        response_url: t.slack.responseUrl(),
        actions: [{ type: "button", action_id: actionId, block_id: "b", ...(value === null ? {} : { value }), action_ts: "1" }],
      }),
    },
  }),
);

const stateEntry = fc.oneof(
  fc.record({ type: fc.constant("plain_text_input"), value: fc.option(anyText) }),
  fc.record({ type: fc.constant("static_select"), selected_option: fc.option(fc.record({ value: anyText })) }),
  fc.record({ type: fc.constant("multi_static_select"), selected_options: fc.array(fc.record({ value: anyText }), { maxLength: 5 }) }),
  fc.record({ type: anyText, value: anyJson }),
);

const viewSubmission = fc
  .record({
    user: people,
    verb: fc.oneof(fc.constantFrom(...formVerbs), anyText),
    metadata: fc.oneof(anyText, fc.record({ context: fc.dictionary(fc.string({ maxLength: 12 }), anyText, { maxKeys: 4 }) }).map((value) => JSON.stringify(value)), anyJson.map((value) => JSON.stringify(value))),
    values: fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), stateEntry, { maxKeys: 3 }), { maxKeys: 6 }),
  })
  .map(({ user, verb, metadata, values }) => ({
    kind: "slack" as const,
    form: {
      payload: JSON.stringify({
        ...envelope("view_submission", user),
        view: { id: "V0FUZZ", callback_id: `ti:${verb}`, private_metadata: metadata, title: { type: "plain_text", text: "Fuzz" }, state: { values } },
      }),
    },
  }));

// A signed interaction whose payload is any JSON at all: `null` here once took the process down.
const anyPayload = fc.oneof(anyJson, fc.constant(null)).map((payload) => ({ kind: "slack" as const, form: { payload: JSON.stringify(payload) } }));

const slackEvent = fc.record({ type: fc.constantFrom("app_uninstalled", "tokens_revoked", "app_home_opened", "message"), tokens: anyJson, extra: anyJson }).map(({ type, tokens, extra }) => ({
  kind: "slack-json" as const,
  body: JSON.stringify({ type: "event_callback", team_id: "T0ELSEWHERE", event: { type, tokens, extra } }),
}));

const teamsValue = fc.oneof(
  anyJson,
  fc.record({ ti: fc.record({ kind: fc.constant("button"), verb: fc.oneof(fc.constantFrom(...verbs), anyText), text: anyText }) }),
  fc.record({ ti: fc.record({ kind: fc.constant("form"), verb: fc.oneof(fc.constantFrom(...formVerbs), anyText), context: fc.dictionary(fc.string({ maxLength: 12 }), anyText, { maxKeys: 4 }), multiSelect: fc.array(fc.string({ maxLength: 12 }), { maxLength: 3 }) }), answer: anyText }),
);

const teamsActivity = fc
  .record({
    type: fc.oneof(fc.constantFrom("message", "conversationUpdate", "installationUpdate", "invoke", "messageReaction", "typing", "event", "endOfConversation", "messageUpdate"), anyText),
    text: fc.option(fc.oneof(verbAndText, anyText)),
    value: fc.option(teamsValue),
    action: fc.option(fc.oneof(fc.constantFrom("add", "remove", "remove-upgrade"), anyText)),
    membersAdded: fc.option(fc.array(fc.record({ id: fc.oneof(fc.constant("28:c9e8c047-2a74-40a2-b28a-b162d5f5327c"), anyText) }), { maxLength: 2 })),
    extra: fc.dictionary(fc.constantFrom("name", "channelData", "entities", "replyToId", "locale", "attachments"), anyJson, { maxKeys: 3 }),
  })
  .map(({ type, text, value, action, membersAdded, extra }) => {
    const base = teamsMessage(connector.url, teamsUser("Fuzz"), "");
    const activity: Record<string, unknown> = { ...base, ...extra, type };
    delete activity.text;
    if (text !== null) activity.text = text;
    if (value !== null) activity.value = value;
    if (action !== null) activity.action = action;
    if (membersAdded !== null) activity.membersAdded = membersAdded;
    return { kind: "teams" as const, body: JSON.stringify(activity) };
  });

type FuzzRequest = { kind: "slack"; form: Record<string, string> } | { kind: "slack-json"; body: string } | { kind: "teams"; body: string };

async function send(request: FuzzRequest): Promise<number> {
  if (request.kind === "teams") {
    return (await fetch(`${t.url}/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: request.body })).status;
  }
  const [body, contentType] = request.kind === "slack" ? [new URLSearchParams(request.form).toString(), "application/x-www-form-urlencoded"] : [request.body, "application/json"];
  const response = await fetch(`${t.url}/slack/events`, { method: "POST", headers: { "content-type": contentType, ...signSlackRequest(body, slackSigningSecret) }, body });
  await response.arrayBuffer();
  return response.status;
}

describe("fuzzing both endpoints", () => {
  it.each([
    ["signed slash commands", slashCommand],
    ["signed button presses", blockActions],
    ["signed modal submissions", viewSubmission],
    ["signed interactions with any JSON payload", anyPayload],
    ["signed Slack events", slackEvent],
    ["Teams activities of every type", teamsActivity],
  ] as [string, fc.Arbitrary<FuzzRequest>][])("answers %s without a 5xx", async (_name, requests) => {
    await fc.assert(
      fc.asyncProperty(requests, async (request) => {
        expect(await send(request)).toBeLessThan(500);
      }),
      { seed, numRuns: runs, endOnFailure: true },
    );
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
  }, 120_000);

  it("still saves a normal update afterwards", async () => {
    const [champion] = await t.db.prisma.address.findMany({ where: { member: { role: "champion" } }, take: 1 });
    const sam = slackUser(t, { id: champion!.userId, name: "sam" });
    const { status, answer } = await sam.command("update Ran a reflective session after the fuzzing #safety");
    expect(status).toBe(200);
    expect(JSON.stringify(answer)).toContain("Your update is saved");
  });
});
