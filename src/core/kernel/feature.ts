import type { Config } from "../../config.js";
import type { PrismaClient } from "../../db/generated/client.js";
import type { Who } from "./authorise.js";
import type { CoreContext, Request } from "./context.js";
import type { Job } from "./job.js";
import type { MemberDataPart } from "./member-data.js";
import type { VerbInfo } from "./verbs.js";
import type { Block, Button, Chart, View } from "./view.js";

/** Answers one verb or one submitted form. */
export type Handler = (request: Request) => Promise<View>;

/**
 * A form the feature reads back, and who may send it. On Teams a card's data comes from the client,
 * so a form is authorised when it comes back, never only when it was opened.
 *
 * @example
 * const forms = { event: { who: "coordinators", submit: submitEventForm } } satisfies Record<string, FormEntry>;
 */
export interface FormEntry {
  who: Who;
  submit: Handler;
}

/**
 * One area of the bot, and everything it adds: its verbs as `help` lists them (each saying who may use
 * it), the handlers that answer them, the forms it reads back, what it holds about members, the files it
 * serves, its scheduled jobs and its settings. `src/core/features.ts` lists the features; the kernel
 * reads them from there and names none.
 *
 * @example
 * export const checkIns: Feature = {
 *   name: "check-ins",
 *   help: { area: "checkins", title: "Check-ins" },
 *   verbs: checkInVerbs,
 *   commands: { checkin: startCheckIn },
 *   forms: { checkin: { who: "anyone", submit: submitCheckIn } },
 *   memberData: checkInMemberData,
 *   jobs: (ctx) => [{ id: "checkin-invitations", cron: "0,30 * * * *", slot: halfHourSlot, run: … }],
 *   settings: (config) => ({ checkIns: { … } }),
 * };
 */
export interface Feature {
  name: string;
  /**
   * Its own section of `help` (`help events`). Without one, its verbs join the network's sections:
   * "You and the network" for everyone's, "Running the network" for coordinators'.
   */
  help?: { area: string; title: string };
  verbs: readonly VerbInfo[];
  commands: Readonly<Record<string, Handler>>;
  forms: Readonly<Record<string, FormEntry>>;
  /** Every model of the feature linked to a member, for `mydata` and `leave` (see `member-data.ts`). */
  memberData: readonly MemberDataPart[];
  /** Words people type that mean one of the feature's verbs. */
  synonyms?: Readonly<Record<string, string>>;
  /** Files served at signed links under `/downloads/` (exports, calendar files). */
  downloads?: readonly Download[];
  /** Scheduled jobs; each calls the feature's use cases with the core's context. */
  jobs?: (ctx: CoreContext) => readonly Job[];
  /** Starting data for the network, run on every start (so it must be safe to run again, and from replicas at once). */
  seed?: (prisma: PrismaClient, networkId: string) => Promise<unknown>;
  /** The feature's settings, read from the configuration into the core's context (`ctx.pulses`). */
  settings?: (config: Config) => Partial<CoreContext>;
  /** What it puts on someone's home (`home`, Slack's App Home, the Teams welcome back). */
  home?: (request: Request) => Promise<HomeContribution>;
}

/**
 * A feature's part of someone's home. Every part is optional; the kernel lays them out in a fixed order:
 * their quick buttons, what waits for them, what's new, and for coordinators the network at a glance.
 *
 * @example
 * home: async ({ requester }) => ({ actions: requester.member ? [{ label: "Share an update", verb: "update" }] : [] })
 */
export interface HomeContribution {
  /** Buttons for what a person often does (Share an update, Check in). */
  actions?: readonly Button[];
  /** Something for this person to do now (an open pulse, an invitation to answer), with its buttons. */
  waiting?: readonly Block[];
  /** What's new in the network. */
  news?: readonly Block[];
  /** Coordinators only: a line of figures each. */
  glance?: readonly string[];
  /** Coordinators only: buttons for their work. */
  coordinatorActions?: readonly Button[];
}

/** A file to download: a CSV read in pages, a small file whole, a chart, a document or a workbook to draw. */
export type DownloadFile =
  | { kind: "csv"; filename: string; columns: readonly string[]; rows: AsyncIterable<readonly unknown[]> }
  | { kind: "file"; filename: string; contentType: string; body: string | Uint8Array }
  /** A chart, drawn as a PNG by the HTTP layer (the core draws nothing). */
  | { kind: "chart"; filename: string; chart: Chart }
  /** A printable document, drawn as a PDF by the HTTP layer. */
  | { kind: "document"; filename: string; document: PrintDocument }
  /** A spreadsheet, one table a sheet, written as XLSX by the HTTP layer while its rows are read. */
  | { kind: "workbook"; filename: string; workbook: Workbook };

/**
 * A document described as data: pages of headings, figures, charts and text. The renderer lays each
 * page out and carries on to a further page (headed "continued") when one is full, so nothing is cut.
 *
 * @example
 * const document: PrintDocument = {
 *   title: "West Yorkshire TI Network", subtitle: "Board pack: 1 Oct 2026 to 31 Dec 2026", madeAt: now, footer: "Made 6 Dec 2026",
 *   pages: [{ heading: "Summary", blocks: [{ type: "figures", figures: [{ label: "Members", value: "1,204" }] }] }],
 * };
 */
export interface PrintDocument {
  /** On the first page and in the file's properties. */
  title: string;
  /** What it is and what it covers, under the title and atop every page. */
  subtitle: string;
  madeAt: Date;
  /** At the foot of every page, beside its number. */
  footer: string;
  pages: readonly PrintPage[];
}

export interface PrintPage {
  heading: string;
  blocks: readonly PrintBlock[];
}

export interface PrintFigure {
  label: string;
  value: string;
}

export type PrintBlock =
  | { type: "text"; text: string }
  /** Smaller and quieter: what is left out and why. */
  | { type: "note"; text: string }
  | { type: "list"; title?: string; items: readonly string[] }
  /** Headline figures in a grid. */
  | { type: "figures"; figures: readonly PrintFigure[] }
  /** Figures side by side in titled columns (one per part of a summary). */
  | { type: "figure-columns"; columns: readonly { title: string; figures: readonly PrintFigure[] }[] }
  /** Charts two to a row; `alt` says in words what each shows. */
  | { type: "charts"; charts: readonly { chart: Chart; alt: string }[] };

/**
 * A workbook described as data: sheets of typed columns whose rows are read as the file is written, so
 * a sheet of half a million rows is never held in memory.
 */
export interface Workbook {
  /** The zone `time` cells are shown in (a spreadsheet's dates have none). */
  timeZone: string;
  sheets: readonly Sheet[];
}

export interface Sheet {
  /** At most 31 characters, none of `[]:*?/\`. */
  name: string;
  columns: readonly SheetColumn[];
  rows: AsyncIterable<readonly SheetCell[]>;
}

export interface SheetColumn {
  header: string;
  /**
   * `text` unless given. `day` is a calendar day (stored as midnight UTC), `time` an instant shown in
   * the workbook's time zone, `decimal` a number to one decimal place. A text cell in any column stays text.
   */
  type?: "text" | "number" | "decimal" | "day" | "time";
  /** In characters. */
  width?: number;
}

export type SheetCell = string | number | Date | null;

/**
 * A file the bot serves at a link it signed (`ctx.links.sign(path, expiresAt)`). The HTTP server checks
 * the signature first, so `open` only runs for a genuine, unexpired link; null answers 404.
 *
 * @example
 * const calendarFile: Download = {
 *   path: /^\/downloads\/events\/(\d{1,9})\.ics$/,
 *   open: (ctx, match) => eventCalendarFile(ctx, Number(match[1])),
 * };
 */
export interface Download {
  path: RegExp;
  open(ctx: CoreContext, match: RegExpExecArray): Promise<DownloadFile | null>;
}
