/**
 * What the core answers with, neutral of any platform. Each adapter has one pure renderer that turns a
 * View into Block Kit or an Adaptive Card. Text is plain: renderers escape it for their platform.
 */

/** A button runs a command as if the person had typed `verb text`. */
export interface Button {
  label: string;
  verb: string;
  text?: string;
  style?: "primary" | "danger";
}

export interface Choice {
  value: string;
  label: string;
}

export type Block =
  | { type: "heading"; text: string }
  | { type: "text"; text: string }
  /**
   * Text someone wrote with light formatting (a broadcast): `**bold**`, `_italic_`, `[label](https://…)`,
   * lines starting `- ` as a bulleted list, blank lines between paragraphs. Renderers translate exactly
   * this subset and escape everything else, so it shows the same on both platforms.
   */
  | { type: "formatted"; text: string }
  | { type: "fields"; fields: { label: string; value: string }[] }
  | { type: "list"; items: string[] }
  | { type: "context"; text: string }
  | { type: "buttons"; buttons: Button[] }
  /**
   * A span of time that each reader sees in their own time zone where the platform knows it (Slack's
   * date tokens, Adaptive Cards' DATE and TIME), and otherwise in `timeZone` (see {@link describeWhen}).
   * `start` and `end` are ISO 8601 in UTC without milliseconds (`2027-01-24T10:00:00Z`).
   */
  | { type: "when"; label: string; start: string; end: string; timeZone: string }
  /**
   * A chart. Teams draws it natively (with the image as its fallback); Slack shows the image. `imageUrl`
   * is a signed link to the same chart as a PNG, absent when the bot has no public address. `alt` says
   * in words what it shows, for screen readers; the figures themselves go in the blocks beside it.
   */
  | { type: "chart"; chart: Chart; alt: string; imageUrl?: string }
  | { type: "divider" };

/**
 * A chart's data, neutral of how it is drawn: categories along x, one or more named series. Renderers
 * pick the colours from a colour-blind-safe palette, in series order.
 *
 * @example
 * const chart: Chart = {
 *   kind: "stacked-bar",
 *   title: "Updates per month by principle",
 *   xTitle: "Month",
 *   yTitle: "Updates",
 *   series: [{ name: "Safety", points: [{ x: "Oct 2026", y: 12 }, { x: "Nov 2026", y: 9 }] }],
 * };
 */
export interface Chart {
  /** `bar` and `horizontal-bar` draw one series; `stacked-bar`, `grouped-bar` and `line` several; `donut` one series of parts. */
  kind: "bar" | "horizontal-bar" | "stacked-bar" | "grouped-bar" | "line" | "donut";
  title: string;
  xTitle?: string;
  yTitle?: string;
  series: ChartSeries[];
}

export interface ChartSeries {
  name: string;
  points: { x: string; y: number }[];
  /**
   * A meaning the colour should carry (RAG): renderers then use their warning colours instead of the
   * palette's next. The name still says it in words, so the colour is never the only sign.
   */
  tone?: "red" | "amber" | "green" | "none";
}

interface InputBase {
  /** Stable id: the key of the value when the form comes back. */
  id: string;
  label: string;
  hint?: string;
  optional?: boolean;
  /** Shown beside the input when a submission was refused. */
  error?: string;
}

export type Input =
  | (InputBase & { type: "text"; value?: string; placeholder?: string; multiline?: boolean; maxLength?: number })
  | (InputBase & { type: "select"; options: Choice[]; value?: string })
  | (InputBase & { type: "multiselect"; options: Choice[]; values?: string[] })
  /**
   * A calendar day, `YYYY-MM-DD`, picked from a calendar. `min` and `max` (also `YYYY-MM-DD`) limit what
   * Teams' calendar offers; Slack's has no limits, so the server checks them again (see `dateAnswer`).
   */
  | (InputBase & { type: "date"; value?: string; min?: string; max?: string })
  /** A time of day, `HH:mm`, in `timeZone` when given (Slack shows the zone under its picker; Teams in the label). */
  | (InputBase & { type: "time"; value?: string; min?: string; max?: string; timeZone?: string })
  /**
   * A moment, asked for as a day and a time of day in `timeZone` (the network's), so it means the same on
   * both platforms whoever picks it and wherever they are. `value`, `min` and `max` are UTC instants
   * (`2027-01-24T10:00:00Z`). It comes back as two values, the ids in {@link dateTimeIds}, which
   * `dateTimeAnswer` turns into the instant on the server.
   *
   * @example
   * const starts: Input = { type: "datetime", id: "starts", label: "Starts", timeZone: "Europe/London", value: "2027-07-14T09:00:00Z" };
   * // Slack: a datepicker (2027-07-14) and a timepicker (10:00, Europe/London); Teams: Input.Date and Input.Time
   */
  | (InputBase & {
      type: "datetime";
      timeZone: string;
      value?: string;
      min?: string;
      max?: string;
      /** What was picked when the form was refused, shown instead of `value`: it may be a day without a time. */
      picked?: { date?: string; time?: string };
    });

export type DateTimeInput = Extract<Input, { type: "datetime" }>;

/** The ids a datetime input's two parts come back under. */
export function dateTimeIds(id: string): { date: string; time: string } {
  return { date: `${id}.date`, time: `${id}.time` };
}

/**
 * An instant as the day and time of day it is in `timeZone`.
 *
 * @example
 * localParts("2027-07-14T09:00:00Z", "Europe/London") // { date: "2027-07-14", time: "10:00" }
 */
export function localParts(instant: string, timeZone: string): { date: string; time: string } {
  const format = new Intl.DateTimeFormat("en-GB", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  const part = (type: Intl.DateTimeFormatPartTypes) => format.formatToParts(new Date(instant)).find((candidate) => candidate.type === type)?.value ?? "";
  return { date: `${part("year")}-${part("month")}-${part("day")}`, time: `${part("hour")}:${part("minute")}` };
}

/** What a datetime input shows: what was picked on a refused form, else its value, as local day and time. */
export function shownParts(input: DateTimeInput): { date?: string; time?: string } {
  if (input.picked) return input.picked;
  return input.value ? localParts(input.value, input.timeZone) : {};
}

/** A zone as people say it, for a label: `Europe/London` → `United Kingdom Time`. */
export function zoneName(timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-GB", { timeZone, timeZoneName: "longGeneric" }).formatToParts(new Date());
  return parts.find((part) => part.type === "timeZoneName")?.value ?? timeZone;
}

/**
 * A message to one person.
 *
 * @example
 * const view: Message = { type: "message", summary: "Update saved", blocks: [{ type: "text", text: "Thanks, saved." }] };
 */
export interface Message {
  type: "message";
  /** One line for notifications and for clients that cannot show blocks. */
  summary: string;
  blocks: Block[];
  /**
   * When this answers a button press: show it in place of the message the button was on (an invite whose
   * RSVP buttons now show the answer), instead of as a new message. Ignored anywhere else.
   */
  replacesOriginal?: boolean;
}

/**
 * A form. When it is submitted the core receives an Interaction with `verb` set to this form's verb,
 * the values keyed by input id, and `context` returned unchanged.
 */
export interface Form {
  type: "form";
  verb: string;
  title: string;
  submitLabel: string;
  /** Shown above the inputs: what the form is for, what is stored, who sees it. */
  intro: Block[];
  inputs: Input[];
  /** Hidden state carried through the round trip (e.g. an update typed before joining). */
  context: Record<string, string>;
  /** A problem with the submission as a whole, shown above the inputs. */
  problem?: string;
}

export type View = Message | Form;

export const message = (summary: string, ...blocks: Block[]): Message => ({
  type: "message",
  summary,
  blocks: blocks.length > 0 ? blocks : [{ type: "text", text: summary }],
});

export const text = (value: string): Block => ({ type: "text", text: value });
export const formatted = (value: string): Block => ({ type: "formatted", text: value });
export const heading = (value: string): Block => ({ type: "heading", text: value });
export const note = (value: string): Block => ({ type: "context", text: value });
export const divider = (): Block => ({ type: "divider" });
export const buttons = (...items: Button[]): Block => ({ type: "buttons", buttons: items });

export type WhenBlock = Extract<Block, { type: "when" }>;

/**
 * A `when` block in words in its own time zone, for readers whose platform can't localise it.
 *
 * @example
 * describeWhen({ type: "when", label: "When", start: "2027-01-24T10:00:00Z", end: "2027-01-24T13:00:00Z", timeZone: "Europe/London" })
 * // { start: "Sunday, 24 January 2027, 10:00", end: "13:00 GMT", text: "Sunday, 24 January 2027, 10:00 to 13:00 GMT", sameDay: true }
 */
export function describeWhen(block: WhenBlock): { start: string; end: string; text: string; sameDay: boolean } {
  const day = new Intl.DateTimeFormat("en-GB", { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: block.timeZone });
  const clock = (zoneName: boolean) =>
    new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: block.timeZone, ...(zoneName ? { timeZoneName: "short" } : {}) });
  const start = new Date(block.start);
  const end = new Date(block.end);
  const startText = `${day.format(start)}, ${clock(false).format(start)}`;
  const sameDay = day.format(start) === day.format(end);
  const endText = sameDay ? clock(true).format(end) : `${day.format(end)}, ${clock(true).format(end)}`;
  return { start: startText, end: endText, text: `${startText} to ${endText}`, sameDay };
}
