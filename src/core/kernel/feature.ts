import type { Config } from "../../config.js";
import type { PrismaClient } from "../../db/generated/client.js";
import type { Who } from "./authorise.js";
import type { CoreContext, Request } from "./context.js";
import type { Job } from "./job.js";
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
