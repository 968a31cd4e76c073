import { describe, expect, it } from "vitest";
import { slackLimits } from "../adapters/slack/block-kit.js";
import { escapeMrkdwn, formattedMrkdwn, splitMrkdwn } from "../adapters/slack/mrkdwn.js";
import { renderMessage, renderModal } from "../adapters/slack/render.js";
import type { Block, Chart, Form, Input } from "../src/core/kernel/view.js";
import { buttons, formatted, heading, message, note, text } from "../src/core/kernel/view.js";

const form = (overrides: Partial<Form> = {}): Form => ({
  type: "form",
  verb: "join",
  title: "Join the network",
  submitLabel: "Join",
  intro: [text("Join. It takes a minute.")],
  inputs: [{ type: "text", id: "displayName", label: "Your name" }],
  context: {},
  ...overrides,
});

const sectionTexts = (blocks: any[]): string[] =>
  blocks.filter((block) => block.type === "section" && block.text).map((block) => block.text.text);

describe("Slack renderer: messages", () => {
  it("splits a 10,000-character text into sections of at most 3,000 and loses nothing", () => {
    const words = Array.from({ length: 600 }, (_, i) => `w${i} & <b>`).join(" ");
    const long = `${words}\n${"x".repeat(10_000 - words.length - 1)}`;
    expect(long.length).toBe(10_000);
    const { blocks } = renderMessage(message("Long", text(long)));
    const texts = sectionTexts(blocks);
    expect(texts.length).toBeGreaterThan(3);
    for (const piece of texts) expect(piece.length).toBeLessThanOrEqual(slackLimits.sectionText);
    expect(texts.join("")).toBe(escapeMrkdwn(long));
  });

  it("never splits inside an escaped entity or a surrogate pair", () => {
    const raw = "&".repeat(700) + "🙂".repeat(1000);
    const pieces = splitMrkdwn(raw, 3000);
    expect(pieces.join("")).toBe(escapeMrkdwn(raw));
    for (const piece of pieces) {
      expect(piece).not.toMatch(/&[a-z]*$/);
      expect(piece.charCodeAt(piece.length - 1)).not.toSatisfy((code: number) => code >= 0xd800 && code <= 0xdbff);
    }
  });

  it("escapes mrkdwn so <!channel> and links stay text", () => {
    const { blocks, text: fallback } = renderMessage(message("Hi <!channel> & all", text("Ping <!channel> <@U123> & <https://x|y>")));
    expect(sectionTexts(blocks)).toEqual(["Ping &lt;!channel&gt; &lt;@U123&gt; &amp; &lt;https://x|y&gt;"]);
    expect(fallback).toBe("Hi &lt;!channel&gt; &amp; all");
  });

  it("keeps a message within 50 blocks, packing text before leaving anything out", () => {
    const many: Block[] = Array.from({ length: 120 }, (_, i) => text(`Line ${i}`));
    const { blocks } = renderMessage(message("Many", ...many));
    expect(blocks.length).toBeLessThanOrEqual(slackLimits.messageBlocks);
    const all = sectionTexts(blocks).join("\n");
    for (let i = 0; i < 120; i++) expect(all).toContain(`Line ${i}`);
  });

  it("says so when even packed text cannot fit 50 blocks", () => {
    const many: Block[] = Array.from({ length: 60 }, (_, i) => buttons({ label: `B${i}`, verb: "help" }));
    const { blocks } = renderMessage(message("Buttons", ...many));
    expect(blocks).toHaveLength(slackLimits.messageBlocks);
    expect(JSON.stringify(blocks.at(-1))).toContain("too long for Slack");
  });

  it("renders buttons with unique ti: action ids, a {verb,text} value and Slack's limits", () => {
    const label = "A very long button label that goes on and on well past what Slack allows on a button";
    const { blocks } = renderMessage(
      message(
        "Buttons",
        buttons({ label, verb: "update", text: "x".repeat(3000), style: "primary" }, { label: "Help", verb: "help" }),
        buttons({ label: "Stop", verb: "stop", style: "danger" }),
      ),
    );
    const elements = blocks.flatMap((block: any) => block.elements ?? []);
    expect(elements.map((element: any) => element.action_id)).toEqual(["ti:update:0", "ti:help:1", "ti:stop:2"]);
    expect(elements[0].text.text.length).toBeLessThanOrEqual(slackLimits.buttonText);
    expect(elements[0].text.text.endsWith("…")).toBe(true);
    expect(elements[0].value.length).toBeLessThanOrEqual(slackLimits.buttonValue);
    expect(JSON.parse(elements[0].value).verb).toBe("update");
    expect(elements[0].style).toBe("primary");
    expect(JSON.parse(elements[1].value)).toEqual({ verb: "help", text: "" });
    expect(elements[2].style).toBe("danger");
  });

  it("puts at most 10 fields in a section, and gives an over-long field a section of its own", () => {
    const fields = Array.from({ length: 12 }, (_, i) => ({ label: `L${i}`, value: `v${i}` }));
    const long = { label: "Summary", value: "s".repeat(2500) };
    const { blocks } = renderMessage(message("Fields", { type: "fields", fields: [...fields, long] }));
    const fieldBlocks = blocks.filter((block: any) => block.fields);
    expect(fieldBlocks.map((block: any) => block.fields.length)).toEqual([10, 2]);
    for (const block of fieldBlocks as any[])
      for (const field of block.fields) expect(field.text.length).toBeLessThanOrEqual(slackLimits.fieldText);
    expect(sectionTexts(blocks).join("")).toContain("s".repeat(2500));
  });

  it("renders every block type", () => {
    const { blocks } = renderMessage(
      message("All", heading("Heading"), text("Text"), { type: "list", items: ["one", "two"] }, note("Note"), { type: "divider" }),
    );
    expect(blocks.map((block) => block.type)).toEqual(["header", "section", "section", "context", "divider"]);
    expect(sectionTexts(blocks)[1]).toBe("• one\n• two");
  });
});

describe("Slack renderer: formatted text", () => {
  const rendered = (typed: string) => sectionTexts(renderMessage(message("Broadcast", formatted(typed))).blocks);

  it("turns **bold** into Slack's *bold* and leaves _italic_ as it is", () => {
    expect(rendered("A **big** day and a _quiet_ one")).toEqual(["A *big* day and a _quiet_ one"]);
  });

  it("turns a web link into <url|label>, escaping both", () => {
    expect(rendered("Read [the guide & notes](https://example.org/guide?a=1&b=2) first")).toEqual([
      "Read <https://example.org/guide?a=1&amp;b=2|the guide &amp; notes> first",
    ]);
    expect(rendered("**[Sign up](http://example.org)**")).toEqual(["*<http://example.org|Sign up>*"]);
  });

  it.each(["javascript:alert(1)", "mailto:someone@example.org", "https://example.org|<!channel>", "/relative"])(
    "shows a link to %s as typed",
    (target) => {
      const typed = `Click [here](${target}) now`;
      expect(rendered(typed)).toEqual([escapeMrkdwn(typed)]);
    },
  );

  it("escapes what someone typed, so <@U123> and <!channel> cannot ping", () => {
    expect(rendered("Hi <@U123> and <!channel> & <https://evil.example|safe>")).toEqual([
      "Hi &lt;@U123&gt; and &lt;!channel&gt; &amp; &lt;https://evil.example|safe&gt;",
    ]);
  });

  it("turns lines starting - into bullets and keeps blank lines", () => {
    expect(rendered("Next steps:\n- book a room\n- invite **everyone**\n\nThanks - all")).toEqual([
      "Next steps:\n• book a room\n• invite *everyone*\n\nThanks - all",
    ]);
  });

  it("keeps a 2,500-character message within 3,000 a section, splitting only between paragraphs", () => {
    const paragraph = (i: number) => `**Part ${i}** <team> & [notes](https://example.org/${i}) ${"<b> & ".repeat(12)}\n- one & two`;
    const paragraphs: string[] = [];
    while (paragraphs.join("\n\n").length < 2500) paragraphs.push(paragraph(paragraphs.length));
    const typed = paragraphs.join("\n\n").slice(0, 2500);
    expect(typed.length).toBe(2500);
    const whole = formattedMrkdwn(typed, Infinity)[0]!;
    expect(whole.length).toBeGreaterThan(slackLimits.sectionText);
    const texts = rendered(typed);
    expect(texts.length).toBeGreaterThan(1);
    for (const piece of texts) expect(piece.length).toBeLessThanOrEqual(slackLimits.sectionText);
    expect(texts.join("\n\n")).toBe(whole);
  });

  it("splits a single over-long bold line into pieces that are each bold and within the limit", () => {
    const typed = `**${"long ".repeat(1000).trim()}**`;
    const texts = rendered(typed);
    expect(texts.length).toBeGreaterThan(1);
    for (const piece of texts) {
      expect(piece.length).toBeLessThanOrEqual(slackLimits.sectionText);
      expect(piece).toMatch(/^\*long( long)*\*$/);
    }
    expect(texts.join(" ").match(/long/g)).toHaveLength(1000);
  });
});

describe("Slack renderer: modals", () => {
  it("cuts the title and button labels to 24 with an ellipsis and names the callback ti:<verb>", () => {
    const modal = renderModal(
      form({ title: "Tell us about your organisation please", submitLabel: "Save my answers to the network now" }),
      "{}",
    );
    expect(modal.title.text).toHaveLength(24);
    expect(modal.title.text.endsWith("…")).toBe(true);
    expect(modal.submit!.text.length).toBeLessThanOrEqual(24);
    expect(modal.callback_id).toBe("ti:join");
    expect(modal.private_metadata).toBe("{}");
  });

  it("turns 150 options into option groups of at most 100, keeping the chosen one", () => {
    const options = Array.from({ length: 150 }, (_, i) => ({ value: `org${i}`, label: `Organisation ${String(i).padStart(3, "0")}` }));
    const modal = renderModal(
      form({ inputs: [{ type: "select", id: "organisation", label: "Organisation", options, value: "org120" }] }),
      "{}",
    );
    const element = (modal.blocks[1] as any).element;
    expect(element.options).toBeUndefined();
    expect(element.option_groups.map((group: any) => group.options.length)).toEqual([100, 50]);
    for (const group of element.option_groups) expect(group.label.text.length).toBeLessThanOrEqual(slackLimits.optionText);
    expect(element.initial_option).toEqual({ text: { type: "plain_text", text: "Organisation 120", emoji: true }, value: "org120" });
  });

  it("maps inputs with block_id and action_id equal to the input id, and leaves errors to Slack", () => {
    const inputs: Input[] = [
      { type: "text", id: "text", label: "What happened?", multiline: true, maxLength: 5000, value: "Ran a workshop", error: "Too long" },
      {
        type: "select",
        id: "kind",
        label: "Kind",
        options: [{ value: "training", label: "x".repeat(100) }],
        value: "nope",
        optional: true,
      },
      {
        type: "multiselect",
        id: "principles",
        label: "Principles",
        options: [
          { value: "p1", label: "Safety" },
          { value: "p2", label: "Trust" },
        ],
        values: ["p2"],
        hint: "Choose any",
      },
    ];
    const modal = renderModal(form({ inputs }), "{}");
    const [textInput, kind, principles] = modal.blocks.filter((block) => block.type === "input") as any[];
    expect(textInput.block_id).toBe("text");
    expect(textInput.element).toMatchObject({
      type: "plain_text_input",
      action_id: "text",
      multiline: true,
      max_length: 3000,
      initial_value: "Ran a workshop",
    });
    expect(JSON.stringify(modal)).not.toContain("Too long");
    expect(kind).toMatchObject({ block_id: "kind", optional: true, element: { type: "static_select", action_id: "kind" } });
    expect(kind.element.initial_option).toBeUndefined();
    expect(kind.element.options[0].text.text.length).toBeLessThanOrEqual(slackLimits.optionText);
    expect(principles.hint.text).toBe("Choose any");
    expect(principles.element).toMatchObject({ type: "multi_static_select", action_id: "principles", initial_options: [{ value: "p2" }] });
  });

  it("shows the problem and intro above the inputs, within 100 blocks", () => {
    const intro = Array.from({ length: 200 }, (_, i) => note(`Intro ${i}`));
    const modal = renderModal(form({ problem: "Please check the form.", intro }), "{}");
    expect(modal.blocks.length).toBeLessThanOrEqual(slackLimits.modalBlocks);
    expect(JSON.stringify(modal.blocks[0])).toContain("Please check the form.");
    expect(modal.blocks.at(-1)!.type).toBe("input");
  });
});

describe("Slack renderer: charts", () => {
  const chart: Chart = { kind: "bar", title: "Updates per month", series: [{ name: "Updates", points: [{ x: "Oct", y: 12 }] }] };
  const chartBlock = (overrides: Partial<Extract<Block, { type: "chart" }>> = {}): Block => ({
    type: "chart",
    chart,
    alt: "Updates per month: Oct 12",
    imageUrl: "https://ti.example.org/downloads/charts/1.png?expires=1&signature=s",
    ...overrides,
  });

  it("keeps an image block's alt text and title within 2,000 and never leaves the alt text empty", () => {
    const long = renderMessage(message("Chart", chartBlock({ alt: "a".repeat(5000), chart: { ...chart, series: [], title: "t".repeat(3000) } }))).blocks[0] as any;
    expect(long.type).toBe("image");
    expect(long.alt_text.length).toBeLessThanOrEqual(slackLimits.imageAltText);
    expect(long.title.text.length).toBeLessThanOrEqual(slackLimits.imageTitle);
    const bare = renderMessage(message("Chart", chartBlock({ alt: " ", chart: { ...chart, series: [], title: "" } }))).blocks[0] as any;
    expect(bare).toEqual({ type: "image", image_url: expect.any(String), alt_text: "Chart" });
  });

  it("shows an image link over Slack's 3,000 as words, losing none of the description", () => {
    const alt = Array.from({ length: 900 }, (_, i) => `Oct ${i} <${i}>`).join(", ");
    const { blocks } = renderMessage(message("Chart", chartBlock({ alt, imageUrl: `https://ti.example.org/${"x".repeat(3000)}` })));
    expect(blocks.some((block) => block.type === "image")).toBe(false);
    const described = blocks.filter((block) => block.type === "context").flatMap((block: any) => block.elements.map((element: any) => element.text));
    for (const piece of described) expect(piece.length).toBeLessThanOrEqual(slackLimits.sectionText);
    expect(described.join("")).toBe(escapeMrkdwn(alt));
  });

  it("keeps a message of 60 charts within 50 blocks", () => {
    const { blocks } = renderMessage(message("Charts", ...Array.from({ length: 60 }, () => chartBlock())));
    expect(blocks.length).toBeLessThanOrEqual(slackLimits.messageBlocks);
    expect(blocks.at(-1)!.type).toBe("context");
  });
});

describe("Slack renderer: date and time pickers", () => {
  const pickers: Input[] = [
    { type: "date", id: "dueOn", label: "Reports due on", value: "2027-03-31", min: "2026-12-01", hint: "A day still to come." },
    { type: "date", id: "signedOn", label: "Signed", optional: true, value: "2027-02-30" },
    { type: "time", id: "ends", label: "Ends", value: "13:00", timeZone: "Europe/London" },
    { type: "datetime", id: "winter", label: "Starts", timeZone: "Europe/London", value: "2027-01-24T10:00:00Z", hint: "In Europe/London time." },
    { type: "datetime", id: "summer", label: "Starts", timeZone: "Europe/London", value: "2027-07-14T09:00:00Z" },
    { type: "datetime", id: "refused", label: "Invite on", optional: true, timeZone: "Europe/London", value: "2027-07-14T09:00:00Z", picked: { date: "2027-08-01" } },
  ];
  const modal = renderModal(form({ inputs: pickers }), "{}");
  const block = (id: string) => modal.blocks.find((candidate: any) => candidate.block_id === id) as any;

  it("draws a date as a datepicker with its day, and never sends Slack an impossible initial date", () => {
    expect(block("dueOn")).toMatchObject({ type: "input", hint: { text: "A day still to come." }, element: { type: "datepicker", action_id: "dueOn", initial_date: "2027-03-31" } });
    // Slack's datepicker takes no min or max; the server checks them.
    expect(JSON.stringify(block("dueOn"))).not.toContain("2026-12-01");
    expect(block("signedOn")).toMatchObject({ optional: true, element: { type: "datepicker" } });
    expect(block("signedOn").element.initial_date).toBeUndefined();
  });

  it("draws a time as a timepicker showing the network's zone", () => {
    expect(block("ends").element).toEqual({ type: "timepicker", action_id: "ends", placeholder: { type: "plain_text", text: "Choose a time", emoji: true }, initial_time: "13:00", timezone: "Europe/London" });
  });

  it("draws a datetime as a datepicker and a timepicker in the network's zone, either side of the clock change", () => {
    expect(block("winter.date").element).toMatchObject({ type: "datepicker", action_id: "winter.date", initial_date: "2027-01-24" });
    expect(block("winter")).toMatchObject({ label: { text: "Starts: time" }, hint: { text: "In Europe/London time." }, element: { type: "timepicker", action_id: "winter.time", initial_time: "10:00", timezone: "Europe/London" } });
    expect(block("summer").element).toMatchObject({ action_id: "summer.time", initial_time: "10:00" });
    expect(block("summer.date").element.initial_date).toBe("2027-07-14");
  });

  it("shows what was picked on a refused form, even a day without a time", () => {
    expect(block("refused.date")).toMatchObject({ optional: true, element: { initial_date: "2027-08-01" } });
    expect(block("refused").element.initial_time).toBeUndefined();
  });

  it("keeps every picker within Block Kit's limits", () => {
    const long = renderModal(form({ inputs: [{ type: "datetime", id: "x".repeat(200), label: "L".repeat(2_500), hint: "H".repeat(2_500), timeZone: "Europe/London" }] }), "{}");
    for (const input of long.blocks.filter((candidate) => candidate.type === "input") as any[]) {
      expect(input.label.text.length).toBeLessThanOrEqual(slackLimits.labelText);
      expect((input.hint?.text ?? "").length).toBeLessThanOrEqual(slackLimits.labelText);
      expect(input.element.action_id.length).toBeLessThanOrEqual(255);
      expect(input.block_id.length).toBeLessThanOrEqual(255);
      expect(input.element.placeholder.text.length).toBeLessThanOrEqual(slackLimits.placeholderText);
    }
    const many = renderModal(form({ intro: Array.from({ length: 120 }, (_, i) => note(`Intro ${i}`)), inputs: pickers }), "{}");
    expect(many.blocks.length).toBeLessThanOrEqual(slackLimits.modalBlocks);
    expect(many.blocks.filter((candidate) => candidate.type === "input")).toHaveLength(9);
  });
});
