// The Slack adapter through the real HTTP endpoint, real core and real database; only Slack is faked.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { slackSigningSecret, startTestApp, type TestApp } from "./support/app.js";
import { postToSlackEndpoint, signSlackRequest, type SlackPost } from "./support/fake-slack.js";
import { modalState, slashCommandFields } from "./support/slack-user.js";

const team = { id: "T0TEST", domain: "test" };

interface Person {
  id: string;
  name: string;
}

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});

afterAll(async () => {
  // The last test has already destroyed the database.
  await t?.close().catch(() => undefined);
});

function slashCommand(person: Person, text: string) {
  return slashCommandFields(person, text, t.slack.responseUrl());
}

async function readAnswer(response: Response): Promise<any> {
  const raw = await response.text();
  return raw && response.headers.get("content-type")?.includes("json") ? JSON.parse(raw) : raw;
}

async function runCommand(person: Person, text: string, post: Partial<SlackPost> = {}) {
  const fields = slashCommand(person, text);
  const since = t.slack.calls.length;
  const response = await postToSlackEndpoint(t.url, fields, { signingSecret: slackSigningSecret, ...post });
  return { response, answer: await readAnswer(response), fields, since };
}

/** The fields every interactive payload shares, as Slack sends them. */
function envelope(person: Person, type: string) {
  return {
    type,
    team,
    user: { id: person.id, username: person.name, name: person.name, team_id: team.id },
    api_app_id: "A0TI",
    token: "legacy",
    trigger_id: `trigger-${randomUUID()}`,
  };
}

async function postPayload(payload: object) {
  const since = t.slack.calls.length;
  const response = await postToSlackEndpoint(t.url, { payload: JSON.stringify(payload) }, { signingSecret: slackSigningSecret });
  return { response, since };
}

async function submitModal(person: Person, view: any, answers: Record<string, string | string[] | undefined>) {
  const { response, since } = await postPayload({
    ...envelope(person, "view_submission"),
    view: { ...view, id: view.id ?? "V0MODAL", team_id: team.id, state: { values: modalState(view, answers) } },
    response_urls: [],
  });
  return { response, answer: await readAnswer(response), since };
}

function pressButton(person: Person, button: any) {
  return postPayload({
    ...envelope(person, "block_actions"),
    container: { type: "message", is_ephemeral: true },
    response_url: t.slack.responseUrl(),
    actions: [{ type: "button", action_id: button.action_id, block_id: "b", value: button.value, text: button.text, action_ts: "1" }],
  });
}

function inputIds(view: any): string[] {
  return view.blocks.filter((block: any) => block.type === "input").map((block: any) => block.block_id);
}

function optionValues(view: any, id: string): string[] {
  const element = view.blocks.find((block: any) => block.block_id === id).element;
  return (element.options ?? element.option_groups.flatMap((group: any) => group.options)).map((option: any) => option.value);
}

const allText = (value: unknown) => JSON.stringify(value);

/** Makes the core genuinely slow: a transaction holds the update table for a while. Resolves once it holds it. */
async function holdUpdates(ms: number): Promise<{ released: Promise<void> }> {
  let held!: () => void;
  const holding = new Promise<void>((resolve) => (held = resolve));
  const released = t.db.prisma.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe('LOCK TABLE "Update" IN ACCESS EXCLUSIVE MODE');
      held();
      await new Promise((resolve) => setTimeout(resolve, ms));
    },
    { timeout: ms + 5000 },
  );
  await Promise.race([holding, released]);
  return { released };
}

async function countStored() {
  return { updates: await t.db.prisma.update.count(), members: await t.db.prisma.member.count() };
}

describe("Slack endpoint", () => {
  it("answers Slack's url_verification challenge", async () => {
    const body = JSON.stringify({ type: "url_verification", token: "legacy", challenge: "c-123" });
    const response = await fetch(`${t.url}/slack/events`, {
      method: "POST",
      headers: { "content-type": "application/json", ...signSlackRequest(body, slackSigningSecret) },
      body,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ challenge: "c-123" });
  });

  describe("refuses requests Slack did not sign", () => {
    const person = { id: "U0INTRUDER", name: "intruder" };

    it.each([
      ["a bad signature", { headers: { "x-slack-signature": "v0=0000000000000000000000000000000000000000000000000000000000000000" } }],
      ["a signature made with another secret", { signingSecret: "not-the-secret" }],
      ["a stale timestamp (over 5 minutes)", { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 }],
      ["no signature header", { headers: { "x-slack-signature": undefined } }],
      ["no timestamp header", { headers: { "x-slack-request-timestamp": undefined } }],
    ])("with %s: 401 and nothing stored", async (_case, post) => {
      const before = await countStored();
      const { response } = await runCommand(person, "update Sneaky #safety", post as Partial<SlackPost>);
      expect(response.status).toBe(401);
      expect(await countStored()).toEqual(before);
      expect(await t.db.prisma.address.count({ where: { userId: person.id } })).toBe(0);
    });
  });

  describe("someone new shares an update", () => {
    const sam = { id: "U0SAM", name: "sam" };
    let joinView: any;
    let updateView: any;

    it("opens the join form with what they typed kept", async () => {
      const { response, answer, fields, since } = await runCommand(sam, "update Ran a workshop #safety");
      expect(response.status).toBe(200);
      expect(answer).toBe("");
      const opened = await t.slack.waitFor("views.open", { since });
      expect(opened.token).toBe("xoxb-test");
      expect(opened.body.trigger_id).toBe(fields.trigger_id);
      joinView = opened.body.view;
      expect(joinView.callback_id).toBe("ti:join");
      expect(inputIds(joinView)).toEqual(expect.arrayContaining(["displayName", "newOrganisation", "sector", "role", "trainingLevel"]));
      expect(allText(joinView.blocks)).toContain("Ran a workshop #safety");
      expect(JSON.parse(joinView.private_metadata)).toMatchObject({
        context: { pendingUpdate: "Ran a workshop #safety" },
        responseUrl: fields.response_url,
      });
      expect((await countStored()).updates).toBe(0);
    });

    it("refuses a missing answer with an error beside the field, storing nothing", async () => {
      const before = await countStored();
      const { response, answer } = await submitModal(sam, joinView, { displayName: "  ", newOrganisation: "Riverside Housing Trust" });
      expect(response.status).toBe(200);
      expect(answer.response_action).toBe("errors");
      expect(answer.errors.displayName).toMatch(/name/i);
      for (const id of Object.keys(answer.errors)) expect(inputIds(joinView)).toContain(id);
      expect(await countStored()).toEqual(before);
    });

    it("refuses invalid answers with errors beside the fields, storing nothing", async () => {
      const before = await countStored();
      const { answer } = await submitModal(sam, joinView, {
        displayName: "Sam Patel",
        newOrganisation: "Riverside Housing Trust",
        trainingLevel: "grandmaster",
      });
      expect(answer.response_action).toBe("errors");
      expect(Object.keys(answer.errors).sort()).toEqual(["sector", "trainingLevel"]);
      expect(answer.errors.sector).toBe("Which sector is the new organisation in?");
      expect(await countStored()).toEqual(before);
    });

    it("joins with valid answers, shares the kept update and confirms at the response_url", async () => {
      const sector = optionValues(joinView, "sector")[0];
      const { response, answer, since } = await submitModal(sam, joinView, {
        displayName: "Sam Patel",
        newOrganisation: "Riverside Housing Trust",
        sector,
        locality: "North Somerset",
        role: "champion",
      });
      expect(response.status).toBe(200);
      expect(answer).toBe("");
      const confirmation = await t.slack.waitFor("response_url", { since });
      expect(confirmation.body.response_type).toBe("ephemeral");
      expect(confirmation.body.text).toContain("Sam Patel");
      expect(allText(confirmation.body.blocks)).toContain("Ran a workshop #safety");
      const member = await t.db.prisma.member.findFirstOrThrow({ where: { displayName: "Sam Patel" }, include: { organisation: true } });
      expect(member.role).toBe("champion");
      expect(member.organisation?.name).toBe("Riverside Housing Trust");
      const update = await t.db.prisma.update.findFirstOrThrow({ where: { authorId: member.id } });
      expect(update.text).toBe("Ran a workshop #safety");
    });

    it("once joined, /ti update stores the update and the ack says so", async () => {
      const { response, answer, fields } = await runCommand(sam, "update Ran a second workshop for 20 housing staff #safety");
      expect(response.status).toBe(200);
      expect(answer.response_type).toBe("ephemeral");
      expect(answer.text).toMatch(/saved/i);
      expect(allText(answer.blocks)).toContain("Ran a second workshop for 20 housing staff #safety");
      const update = await t.db.prisma.update.findFirstOrThrow({ where: { text: { contains: "second workshop" } } });
      expect(update.sourceRef).toBe(`slack:${fields.trigger_id}`);
    });

    it("a button pressed opens its form", async () => {
      const button = {
        action_id: "ti:update:0",
        value: JSON.stringify({ verb: "update", text: "" }),
        text: { type: "plain_text", text: "Share an update" },
      };
      const { response, since } = await pressButton(sam, button);
      expect(response.status).toBe(200);
      const opened = await t.slack.waitFor("views.open", { since });
      updateView = opened.body.view;
      expect(updateView.callback_id).toBe("ti:update");
      expect(inputIds(updateView)).toContain("text");
    });

    it("a form answered after its response_url is gone reaches them as a DM", async () => {
      const withoutResponseUrl = { ...updateView, private_metadata: JSON.stringify({ context: {} }) };
      const principle = optionValues(updateView, "principles")[0]!;
      const { answer, since } = await submitModal(sam, withoutResponseUrl, { text: "Reflective practice circle", principles: [principle] });
      expect(answer).toBe("");
      const dm = await t.slack.waitFor("chat.postMessage", { since });
      expect(dm.body.channel).toBe(sam.id);
      expect(allText(dm.body.blocks)).toContain("Reflective practice circle");
      const update = await t.db.prisma.update.findFirstOrThrow({
        where: { text: "Reflective practice circle" },
        include: { principles: true },
      });
      expect(update.principles.map((link) => link.principleId)).toEqual([principle]);
    });

    it("acks within 3 s when the core is slow, then answers at the response_url", async () => {
      const { released } = await holdUpdates(3200);
      const started = Date.now();
      const { answer, since } = await runCommand(sam, "update Slow but sure #safety");
      expect(Date.now() - started).toBeLessThan(3000);
      expect(answer.text).toBe("Working on it…");
      const saved = await t.slack.waitFor("response_url", { since, timeoutMs: 10_000 });
      expect(allText(saved.body.blocks)).toContain("Slow but sure #safety");
      await released;
      expect(await t.db.prisma.update.count({ where: { text: "Slow but sure #safety" } })).toBe(1);
    });

    it("a slow form submission shows that it is working, then the answer in the modal", async () => {
      const { released } = await holdUpdates(3200);
      const started = Date.now();
      const { answer, since } = await submitModal(sam, updateView, { text: "A slow reflective circle" });
      expect(Date.now() - started).toBeLessThan(3000);
      expect(answer.response_action).toBe("update");
      expect(allText(answer.view.blocks)).toContain("Working on it…");
      const updated = await t.slack.waitFor("views.update", { since, timeoutMs: 10_000 });
      expect(allText(updated.body.view.blocks)).toContain("A slow reflective circle");
      await released;
    });

    it("when Slack will not open a form in time, offers a button instead, keeping what they typed", async () => {
      t.slack.failNext("views.open", "expired_trigger_id");
      const { answer, since } = await runCommand({ id: "U0LATE", name: "late" }, "update Drop-in session #trust");
      expect(answer).toBe("");
      const offer = await t.slack.waitFor("response_url", { since });
      expect(offer.body.text).toBe("Your form is ready");
      const button = offer.body.blocks.flatMap((block: any) => block.elements ?? []).find((element: any) => element.type === "button");
      expect(JSON.parse(button.value)).toEqual({ verb: "update", text: "Drop-in session #trust" });
    });
  });

  it("answers an unknown verb kindly, with help", async () => {
    const { response, answer } = await runCommand({ id: "U0CURIOUS", name: "curious" }, "frobnicate the widgets");
    expect(response.status).toBe(200);
    expect(answer.response_type).toBe("ephemeral");
    expect(answer.text).toContain("frobnicate");
    expect(allText(answer.blocks)).toContain("/ti join");
  });

  // Last: it closes the database under the running bot.
  it("when the database is down, says sorry kindly and repeats what they typed", async () => {
    await t.db.destroy();
    // As Slack sends it: & < > escaped.
    const { response, answer } = await runCommand({ id: "U0SAM", name: "sam" }, "update Ran a workshop &amp; a &lt;b&gt;circle&lt;/b&gt;");
    expect(response.status).toBe(200);
    expect(answer.response_type).toBe("ephemeral");
    expect(answer.text).toMatch(/^Sorry, something went wrong on our side/);
    expect(allText(answer.blocks)).toContain("nothing you typed was lost");
    expect(allText(answer.blocks)).toContain("/ti update Ran a workshop &amp; a &lt;b&gt;circle&lt;/b&gt;");
  });
});
