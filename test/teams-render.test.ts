import { describe, expect, it } from "vitest";
import { interactionOf, teamsActivitySchema } from "../adapters/teams/parse.js";
import { teamsChartColours, teamsToneColours } from "../adapters/teams/render-chart.js";
import { escapeMarkdown, renderCard, teamsLimits, type AdaptiveCard, type CardElement } from "../adapters/teams/render.js";
import { dateTimeAnswer } from "../src/core/kernel/form-values.js";
import { buttons, formatted, heading, message, note, text, type Chart, type Form } from "../src/core/kernel/view.js";
import { teamsCardSubmit, teamsUser } from "./support/fake-connector.js";
import { cardInputs } from "./support/teams-card.js";

const principles = [
  { value: "safety", label: "Safety" },
  { value: "trust", label: "Trust" },
  { value: "choice", label: "Choice" },
];

const joinForm: Form = {
  type: "form",
  verb: "join",
  title: "Join the network",
  submitLabel: "Join",
  intro: [text("Join the West Yorkshire network."), note("Coordinators can see your name.")],
  inputs: [
    { type: "text", id: "displayName", label: "Your name", maxLength: 80 },
    { type: "select", id: "sector", label: "Sector", options: principles, optional: true, hint: "Needed for a new organisation." },
    { type: "multiselect", id: "principles", label: "Principles", options: principles, optional: true },
    { type: "text", id: "story", label: "What happened", multiline: true, placeholder: "e.g. a workshop" },
  ],
  context: { pendingUpdate: "Ran a workshop #choice" },
};

/** Every element and action of a card, depth first. */
function walk(elements: CardElement[]): CardElement[] {
  return elements.flatMap((element) => [element, ...walk((element.actions as CardElement[] | undefined) ?? [])]);
}

/** The structural rules of Adaptive Cards 1.5 this renderer relies on. */
function expectValidCard(card: AdaptiveCard): void {
  expect(card).toMatchObject({ type: "AdaptiveCard", version: "1.5", $schema: "http://adaptivecards.io/schemas/adaptive-card.json" });
  expect(card.body.length).toBeGreaterThan(0);
  const ids = new Set<string>();
  for (const element of walk([...card.body, ...(card.actions ?? [])])) {
    switch (element.type) {
      case "TextBlock":
        expect(typeof element.text).toBe("string");
        expect(element.wrap).toBe(true);
        break;
      case "FactSet":
        for (const fact of element.facts as { title: unknown; value: unknown }[]) {
          expect(typeof fact.title).toBe("string");
          expect(typeof fact.value).toBe("string");
        }
        break;
      case "ActionSet":
        expect((element.actions as unknown[]).length).toBeGreaterThan(0);
        break;
      case "Action.Submit":
        expect(typeof element.title).toBe("string");
        expect(element.data).toHaveProperty("ti.kind");
        if (element.style !== undefined) expect(["positive", "destructive", "default"]).toContain(element.style);
        break;
      case "Input.Text":
      case "Input.ChoiceSet":
        expect(typeof element.id).toBe("string");
        expect(ids.has(element.id as string)).toBe(false);
        ids.add(element.id as string);
        expect(typeof element.label).toBe("string");
        if (element.type === "Input.ChoiceSet") {
          for (const choice of element.choices as { title: unknown; value: unknown }[]) {
            expect(typeof choice.title).toBe("string");
            expect(typeof choice.value).toBe("string");
          }
        }
        break;
      case "Input.Date":
      case "Input.Time": {
        expect(typeof element.id).toBe("string");
        expect(ids.has(element.id as string)).toBe(false);
        ids.add(element.id as string);
        expect(typeof element.label).toBe("string");
        // Adaptive Cards' formats: YYYY-MM-DD for a date, HH:mm for a time (value, min and max alike).
        const format = element.type === "Input.Date" ? /^\d{4}-\d\d-\d\d$/ : /^\d\d:\d\d$/;
        for (const key of ["value", "min", "max"]) if (element[key] !== undefined) expect(element[key]).toMatch(format);
        break;
      }
      case "Image":
        expect(typeof element.url).toBe("string");
        expect(typeof element.altText).toBe("string");
        break;
      case "Chart.VerticalBar":
      case "Chart.HorizontalBar":
      case "Chart.VerticalBar.Grouped":
      case "Chart.Line":
      case "Chart.Donut":
        expectValidChart(element);
        break;
      default:
        throw new Error(`Unexpected element type ${element.type}`);
    }
  }
  expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(teamsLimits.cardBytes);
}

/** Teams' chart data shapes: bars `{x, y}`; grouped and line `{legend, values: [{x, y}]}`; donut `{legend, value}`; named colours only. */
function expectValidChart(element: CardElement): void {
  expect(typeof element.title).toBe("string");
  const data = element.data as Record<string, unknown>[];
  expect(data.length).toBeGreaterThan(0);
  const colours = [element.color, ...data.map((item) => item.color)].filter((colour) => colour !== undefined);
  for (const colour of colours) expect([...teamsChartColours, ...Object.values(teamsToneColours)]).toContain(colour);
  const point = (value: unknown) => expect(value).toEqual({ x: expect.any(String), y: expect.any(Number) });
  for (const item of data) {
    if (element.type === "Chart.Donut") expect(item).toEqual({ legend: expect.any(String), value: expect.any(Number), color: expect.any(String) });
    else if (element.type === "Chart.VerticalBar" || element.type === "Chart.HorizontalBar") point(item);
    else {
      expect(typeof item.legend).toBe("string");
      (item.values as unknown[]).forEach(point);
    }
  }
  const fallback = element.fallback as CardElement;
  expect(["Image", "TextBlock"]).toContain(fallback.type);
  expectValidCard({ type: "AdaptiveCard", $schema: "http://adaptivecards.io/schemas/adaptive-card.json", version: "1.5", body: [fallback] });
}


describe("renderCard: messages", () => {
  it("renders every block kind, with the summary as fallback", () => {
    const { card, fallback } = renderCard(
      message(
        "Update saved",
        heading("Thanks, Sam"),
        text("Your update is saved."),
        { type: "fields", fields: [{ label: "Organisation", value: "Riverside Housing" }] },
        { type: "divider" },
        { type: "list", items: ["Safety", "Trust"] },
        note("Only coordinators see this."),
        buttons({ label: "Share another", verb: "update", style: "primary" }, { label: "Stop these", verb: "mute", text: "reports", style: "danger" }),
      ),
    );
    expectValidCard(card);
    expect(fallback).toBe("Update saved");
    expect(card.body.map((element) => element.type)).toEqual(["TextBlock", "TextBlock", "FactSet", "TextBlock", "TextBlock", "TextBlock", "ActionSet"]);
    expect(card.body[0]).toMatchObject({ text: "Thanks, Sam", weight: "Bolder", size: "Medium" });
    expect(card.body[2]).toMatchObject({ facts: [{ title: "Organisation", value: "Riverside Housing" }] });
    expect(card.body[3]).toMatchObject({ text: "• Safety", separator: true });
    expect(card.body[4]).toMatchObject({ text: "• Trust", spacing: "None" });
    expect(card.body[5]).toMatchObject({ size: "Small", isSubtle: true });
    expect(card.body[6]!.actions).toEqual([
      { type: "Action.Submit", title: "Share another", style: "positive", associatedInputs: "none", data: { ti: { kind: "button", verb: "update", text: "" } } },
      { type: "Action.Submit", title: "Stop these", style: "destructive", associatedInputs: "none", data: { ti: { kind: "button", verb: "mute", text: "reports" } } },
    ]);
  });

  it("shows markdown that people type literally", () => {
    const typed = "*Ran* a _reflective_ session [see](http://x.example) ~~x~~ `code` R&amp;D\n# not a heading\n- not a list\n12. not numbered\n> not a quote #safety";
    const { card } = renderCard(message("Saved", text(typed), { type: "fields", fields: [{ label: "Said", value: "**loud**" }] }));
    expect(card.body[0]!.text).toBe(
      [
        "\\*Ran\\* a \\_reflective\\_ session \\[see\\](http://x.example) \\~\\~x\\~\\~ \\`code\\` R\\&amp;D",
        "\\# not a heading",
        "\\- not a list",
        "12\\. not numbered",
        "\\> not a quote #safety",
      ].join("\n\n"),
    );
    expect(card.body[1]).toMatchObject({ facts: [{ title: "Said", value: "\\*\\*loud\\*\\*" }] });
  });

  it("leaves plain text, hashtags and ampersands as they are", () => {
    expect(escapeMarkdown("Ran a workshop for housing & health staff #safety #choice")).toBe(
      "Ran a workshop for housing & health staff #safety #choice",
    );
  });
});

describe("renderCard: formatted text", () => {
  function textsOf(typed: string): CardElement[] {
    const { card } = renderCard(message("Broadcast", formatted(typed)));
    expectValidCard(card);
    return card.body;
  }

  it("keeps bold, italic, links, bullets and paragraphs, one TextBlock per paragraph or list", () => {
    const body = textsOf(
      "**Pulse round** is _open_ until Friday.\nSee [the guide](https://example.org/guide_(v2)?a=1&b=2).\n\nThis month:\n- **Safety** walk-rounds\n- _Choice_ in letters\n\n\nThanks!",
    );
    expect(body).toEqual([
      { type: "TextBlock", text: "**Pulse round** is _open_ until Friday.\n\nSee [the guide](https://example.org/guide_(v2)?a=1&b=2).", wrap: true },
      { type: "TextBlock", text: "This month:", wrap: true, spacing: "Medium" },
      { type: "TextBlock", text: "- **Safety** walk-rounds\n- _Choice_ in letters", wrap: true, spacing: "Small" },
      { type: "TextBlock", text: "Thanks!", wrap: true, spacing: "Medium" },
    ]);
  });

  it("starts a new TextBlock after a list, so the next line is not swallowed into the last item", () => {
    expect(textsOf("- one\n- two\nAfter the list").map((element) => element.text)).toEqual(["- one\n- two", "After the list"]);
  });

  it("escapes everything outside the subset", () => {
    const body = textsOf(
      [
        "# Not a heading",
        "*single stars* and ~~strike~~ and `code` R&amp;D",
        "[no script](javascript:alert(1)) [no mail](mailto:a@example.org)",
        "snake_case_name stays, **bold with _under_ and [brackets]** too",
        "1. not numbered",
        "> not a quote",
        "-not a bullet",
        "- # bullet with a hash",
      ].join("\n"),
    );
    expect(body.map((element) => element.text)).toEqual([
      [
        "\\# Not a heading",
        "\\*single stars\\* and \\~\\~strike\\~\\~ and \\`code\\` R\\&amp;D",
        "\\[no script\\](javascript:alert(1)) \\[no mail\\](mailto:a@example.org)",
        "snake\\_case\\_name stays, **bold with \\_under\\_ and \\[brackets\\]** too",
        "1\\. not numbered",
        "\\> not a quote",
        "\\-not a bullet",
      ].join("\n\n"),
      "- \\# bullet with a hash",
    ]);
  });

  it("leaves unmatched markers literal and renders nothing for blank text", () => {
    expect(textsOf("**half bold and _half italic")[0]!.text).toBe("\\*\\*half bold and \\_half italic");
    expect(renderCard(message("Empty", formatted("  \n\n "))).card.body).toEqual([]);
  });
});

describe("renderCard: forms", () => {
  it("renders title, intro, inputs and a submit carrying verb and context", () => {
    const { card, fallback } = renderCard(joinForm);
    expectValidCard(card);
    expect(fallback).toBe("Join the network");
    expect(card.body[0]).toMatchObject({ type: "TextBlock", text: "Join the network", weight: "Bolder" });
    expect(cardInputs(card)).toEqual([
      { type: "Input.Text", id: "displayName", label: "Your name", isRequired: true, errorMessage: "Please fill this in.", maxLength: 80 },
      {
        type: "Input.ChoiceSet",
        id: "sector",
        label: "Sector (optional)",
        isRequired: false,
        style: "compact",
        choices: [
          { title: "Safety", value: "safety" },
          { title: "Trust", value: "trust" },
          { title: "Choice", value: "choice" },
        ],
      },
      expect.objectContaining({ type: "Input.ChoiceSet", id: "principles", label: "Principles (optional)", isMultiSelect: true, style: "expanded" }),
      expect.objectContaining({ type: "Input.Text", id: "story", isMultiline: true, placeholder: "e.g. a workshop", isRequired: true }),
    ]);
    expect(card.actions).toEqual([
      {
        type: "Action.Submit",
        title: "Join",
        style: "positive",
        data: { ti: { kind: "form", verb: "join", context: { pendingUpdate: "Ran a workshop #choice" }, multiSelect: ["principles"] } },
      },
    ]);
  });

  it("shows the problem and each error right under its input, keeping what was typed", () => {
    const refused: Form = {
      ...joinForm,
      problem: "Some answers need another look.",
      inputs: joinForm.inputs.map((input) => {
        switch (input.type) {
          case "text":
            return input.id === "displayName" ? { ...input, value: "Sam *Jones*", error: "Please keep it under 80 characters." } : input;
          case "select":
            return { ...input, value: "trust" };
          case "multiselect":
            return { ...input, values: ["safety", "choice"], error: "Choose up to one." };
          default:
            return input;
        }
      }),
    };
    const { card } = renderCard(refused);
    expectValidCard(card);
    const types = card.body.map((element) => (element.type === "TextBlock" ? `Text:${String(element.text)}` : `${element.type}:${String(element.id)}`));
    expect(types.slice(3)).toEqual([
      "Text:Some answers need another look.",
      "Input.Text:displayName",
      "Text:Please keep it under 80 characters.",
      "Input.ChoiceSet:sector",
      "Text:Needed for a new organisation.",
      "Input.ChoiceSet:principles",
      "Text:Choose up to one.",
      "Input.Text:story",
    ]);
    expect(card.body[3]).toMatchObject({ color: "Attention" });
    expect(card.body[5]).toMatchObject({ color: "Attention" });
    expect(cardInputs(card).map((input) => input.value)).toEqual(["Sam *Jones*", "trust", "safety,choice", undefined]);
  });

  it("gives a long list of choices a search box", () => {
    const options = Array.from({ length: 30 }, (_, index) => ({ value: `org-${index}`, label: `Organisation ${index}` }));
    const { card } = renderCard({ ...joinForm, inputs: [{ type: "select", id: "organisation", label: "Your organisation", options }] });
    expectValidCard(card);
    expect(cardInputs(card)[0]).toMatchObject({ style: "filtered" });
  });

  it("round-trips a multi-select: comma-joined in the card, a list again when submitted", () => {
    const { card } = renderCard({
      ...joinForm,
      inputs: joinForm.inputs.map((input) => (input.type === "multiselect" ? { ...input, values: ["safety", "choice"] } : input)),
    });
    const principlesInput = cardInputs(card).find((input) => input.id === "principles")!;
    const submitData = (card.actions![0]!.data as { ti: unknown }).ti;
    const activity = teamsCardSubmit("http://127.0.0.1:1/", teamsUser("Sam Jones"), {
      ti: submitData,
      displayName: "Jones, Sam",
      principles: principlesInput.value,
      sector: "trust",
      story: "",
    });
    const interaction = interactionOf(teamsActivitySchema.parse(activity));
    expect(interaction).toMatchObject({
      verb: "join",
      text: "",
      form: {
        values: { displayName: "Jones, Sam", principles: ["safety", "choice"], sector: "trust", story: "" },
        context: { pendingUpdate: "Ran a workshop #choice" },
      },
    });
  });

  it("sends an untouched multi-select back as an empty list", () => {
    const { card } = renderCard(joinForm);
    const activity = teamsCardSubmit("http://127.0.0.1:1/", teamsUser("Sam Jones"), { ti: (card.actions![0]!.data as { ti: unknown }).ti, displayName: "Sam" });
    expect(interactionOf(teamsActivitySchema.parse(activity))?.form?.values).toEqual({ displayName: "Sam", principles: [] });
  });
});

describe("renderCard: date and time pickers", () => {
  const pickerForm: Form = {
    type: "form",
    verb: "event",
    title: "New event",
    submitLabel: "Save",
    intro: [],
    inputs: [
      { type: "datetime", id: "winter", label: "Starts", timeZone: "Europe/London", value: "2027-01-24T10:00:00Z", min: "2026-11-23T10:00:00Z" },
      { type: "datetime", id: "summer", label: "Starts", timeZone: "Europe/London", value: "2027-07-14T09:00:00Z", hint: "In Europe/London time.", error: "That time has already passed." },
      { type: "time", id: "ends", label: "Ends", timeZone: "Europe/London", value: "13:00" },
      { type: "date", id: "signedOn", label: "Signed", optional: true, max: "2026-11-23", value: "2026-05-14" },
      { type: "datetime", id: "inviteOn", label: "Invite on", optional: true, timeZone: "Europe/London", picked: { date: "2027-06-01" } },
    ],
    context: {},
  };
  const { card } = renderCard(pickerForm);
  const input = (id: string) => cardInputs(card).find((element) => element.id === id);

  it("renders each picker as a valid Input.Date or Input.Time, within Teams' limits", () => {
    expectValidCard(card);
    expect(input("signedOn")).toEqual({ type: "Input.Date", id: "signedOn", label: "Signed (optional)", isRequired: false, max: "2026-11-23", value: "2026-05-14" });
    expect(input("ends")).toMatchObject({ type: "Input.Time", label: "Ends, United Kingdom Time", isRequired: true, errorMessage: "Please choose a time.", value: "13:00" });
  });

  it("splits a datetime into a date and a time in the network's zone, either side of the clock change", () => {
    expect(input("winter.date")).toMatchObject({ type: "Input.Date", label: "Starts", min: "2026-11-23", value: "2027-01-24", errorMessage: "Please choose a date." });
    expect(input("winter.time")).toMatchObject({ type: "Input.Time", label: "Starts: time, United Kingdom Time", value: "10:00" });
    expect(input("summer.date")?.value).toBe("2027-07-14");
    expect(input("summer.time")?.value).toBe("10:00");
    expect(input("inviteOn.date")).toMatchObject({ value: "2027-06-01", isRequired: false, label: "Invite on (optional)" });
    expect(input("inviteOn.time")).not.toHaveProperty("value");
  });

  it("puts a datetime's error and hint under the pair", () => {
    const ids = card.body.map((element) => String(element.id ?? element.text));
    const time = ids.indexOf("summer.time");
    expect(ids[time - 1]).toBe("summer.date");
    expect(ids.slice(time + 1, time + 3)).toEqual(["That time has already passed.", "In Europe/London time."]);
  });

  it("reads the pickers' plain strings back through the Teams parser into the instant, in the network's zone", () => {
    const data = (card.actions![0]!.data as { ti: unknown }).ti;
    const activity = teamsCardSubmit("http://127.0.0.1:1/", teamsUser("Sam Jones"), { ti: data, "summer.date": "2027-07-14", "summer.time": "10:00", "winter.date": "2027-01-24", "winter.time": "10:00", ends: "13:00", signedOn: "" });
    const values = interactionOf(teamsActivitySchema.parse(activity))!.form!.values;
    expect(values).toMatchObject({ "summer.date": "2027-07-14", "summer.time": "10:00", ends: "13:00", signedOn: "" });
    const errors: Record<string, string> = {};
    expect(dateTimeAnswer(values, "winter", "Europe/London", errors)?.toISOString()).toBe("2027-01-24T10:00:00.000Z");
    expect(dateTimeAnswer(values, "summer", "Europe/London", errors)?.toISOString()).toBe("2027-07-14T09:00:00.000Z");
    expect(errors).toEqual({});
  });
});

describe("renderCard: charts", () => {
  const days = Array.from({ length: 31 }, (_, index) => `${index + 1} Oct 2026`);
  const month = (name: string, offset: number) => ({ name, points: days.map((x, index) => ({ x, y: (index * 7 + offset) % 23 })) });
  const kinds: Chart["kind"][] = ["bar", "horizontal-bar", "stacked-bar", "grouped-bar", "line", "donut"];

  it("draws every kind as a valid chart element, and a month of daily figures in eight series fits Teams' 28 KB", () => {
    for (const kind of kinds) {
      const series = kind === "bar" || kind === "horizontal-bar" || kind === "donut" ? [month("Updates", 1)] : Array.from({ length: 8 }, (_, index) => month(`Principle ${index + 1}`, index));
      const chart: Chart = { kind, title: "Updates per day, October 2026", xTitle: "Day", yTitle: "Updates", series };
      const imageUrl = `https://ti.example.org/downloads/charts/${kind}.png?expires=1795000000&signature=${"s".repeat(43)}`;
      const { card } = renderCard(message("Chart", heading("October"), { type: "chart", chart, alt: "Updates per day in October 2026", imageUrl }));
      expectValidCard(card);
      expect(card.body[1]!.type).toMatch(/^Chart\./);
    }
  });

  it("draws RAG series in Teams' status colours, keeping the words in the legend", () => {
    const chart: Chart = {
      kind: "stacked-bar",
      title: "RAG by cycle",
      series: [
        { name: "Red", tone: "red", points: [{ x: "#1", y: 2 }] },
        { name: "Amber", tone: "amber", points: [{ x: "#1", y: 3 }] },
        { name: "Green", tone: "green", points: [{ x: "#1", y: 4 }] },
        { name: "No report yet", tone: "none", points: [{ x: "#1", y: 1 }] },
      ],
    };
    const { card } = renderCard(message("Chart", { type: "chart", chart, alt: "RAG" }));
    expectValidCard(card);
    expect((card.body[0]!.data as { legend: string; color: string }[]).map(({ legend, color }) => [legend, color])).toEqual([
      ["Red", "attention"],
      ["Amber", "warning"],
      ["Green", "good"],
      ["No report yet", "neutral"],
    ]);
  });

  it("separates a chart after a divider like any other block", () => {
    const chart: Chart = { kind: "line", title: "Pulse", series: [month("Health", 0)] };
    const { card } = renderCard(message("Chart", text("Above"), { type: "divider" }, { type: "chart", chart, alt: "Pulse" }));
    expectValidCard(card);
    expect(card.body[1]).toMatchObject({ type: "Chart.Line", separator: true, spacing: "Medium" });
  });
});
