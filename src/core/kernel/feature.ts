import type { Who } from "./authorise.js";
import type { CoreContext, Request } from "./context.js";
import type { MemberDataPart } from "./member-data.js";
import type { VerbInfo } from "./verbs.js";
import type { View } from "./view.js";

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
 * One area of the bot (events, reports, pulses, check-ins): its verbs as `help` lists them, the handlers
 * that answer them, the forms it reads back, and what it holds about members. `create-bot.ts` joins the
 * features; a feature never reaches into another's files.
 *
 * @example
 * export const checkIns: Feature = {
 *   verbs: checkInVerbs,
 *   commands: { checkin: startCheckIn },
 *   forms: { checkin: { who: "anyone", submit: submitCheckIn } },
 *   memberData: [checkInData],
 * };
 */
export interface Feature {
  verbs: readonly VerbInfo[];
  commands: Readonly<Record<string, Handler>>;
  forms: Readonly<Record<string, FormEntry>>;
  /** Every model of the feature linked to a member, for `mydata` and `leave` (see `member-data.ts`). */
  memberData: readonly MemberDataPart[];
  /** Words people type that mean one of the feature's verbs. */
  synonyms?: Readonly<Record<string, string>>;
  /** Files served at signed links under `/downloads/` (exports, calendar files). */
  downloads?: readonly Download[];
}

/** A file to download: a CSV read in pages, or a small file whole. */
export type DownloadFile =
  | { kind: "csv"; filename: string; columns: readonly string[]; rows: AsyncIterable<readonly unknown[]> }
  | { kind: "file"; filename: string; contentType: string; body: string };

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
