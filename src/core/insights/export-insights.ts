import { DateTime } from "luxon";
import { recordAudit } from "../kernel/audit.js";
import { command, type CoreContext, type Request } from "../kernel/context.js";
import type { Download } from "../kernel/feature.js";
import { parsePeriod, type Period } from "../kernel/period.js";
import { formatted, heading, message, note, text, type Message } from "../kernel/view.js";
import { boardPack } from "./board-pack.js";
import { periodOfSegment, periodSegment } from "./figures.js";
import { insightsWorkbook } from "./workbook.js";

/** How long the board pack's links work: the working day it was asked for, not for keeps. */
export const exportLinkMs = 8 * 3_600_000;

/** Where a period's export is served: `/downloads/insights/2026-10-01/2027-01-01/board-pack.pdf`. */
export function exportPath(ctx: Pick<CoreContext, "timeZone">, period: Period, file: "board-pack.pdf" | "figures.xlsx"): string {
  return `/downloads/insights/${periodSegment(ctx, period)}/${file}`;
}

/**
 * `insights export [period]`: signed links, for 8 hours, to the board pack (PDF) and the figures as a
 * workbook (XLSX) for a period (this quarter unless another is typed). Both are drawn from the database
 * when the link is opened.
 */
export async function exportInsights(request: Request): Promise<Message> {
  const { ctx, requester, interaction } = request;
  const typed = interaction.text.trim();
  const parsed = parsePeriod(typed, ctx.timeZone, ctx.now());
  if ("problem" in parsed) {
    return message(parsed.problem, text(parsed.problem), note(`You typed: ${command(requester.address.platform, `insights export ${typed}`)}`));
  }
  if (!ctx.links) return message("Exports need the bot's web address (TI_PUBLIC_URL), which isn't set.");
  const { period } = parsed;
  await recordAudit(request, { action: "insights.export", subject: `figures for ${period.label}`, detail: "board pack (PDF) and workbook (XLSX)" });
  const expires = new Date(ctx.now().getTime() + exportLinkMs);
  const pdf = ctx.links.sign(exportPath(ctx, period, "board-pack.pdf"), expires);
  const xlsx = ctx.links.sign(exportPath(ctx, period, "figures.xlsx"), expires);
  return message(
    `Board pack: ${period.label}`,
    heading(`Board pack: ${period.label}`),
    formatted(`- [Board pack (PDF)](${pdf}): a summary page, then a page each for membership, the work, organisations, events, pulses and training.\n- [The figures as a workbook (XLSX)](${xlsx}): members by organisation, updates, reports, key actions, events, pulse results, training by organisation, training completed and learning needs, a sheet each.`),
    note("These links work for 8 hours. Anyone with a link can open the file, and the workbook holds names, so please don't forward them: share the files themselves with the people who need them."),
    note("Left out: updates kept on their author's profile, pulse results and learning needs from groups too small to keep answers anonymous, and check-ins except as counts."),
  );
}

const days = String.raw`(\d{4}-\d{2}-\d{2})\/(\d{4}-\d{2}-\d{2})`;
/** `2026-10-01-to-2026-12-31`: the period's first and last days, for a file's name. */
const fileDays = (ctx: CoreContext, period: Period) =>
  [period.from, new Date(period.to.getTime() - 1)].map((date) => DateTime.fromJSDate(date, { zone: ctx.timeZone }).toISODate()).join("-to-");

/** The board pack as a PDF, drawn from the database when its signed link is opened. */
export const boardPackFile: Download = {
  path: new RegExp(String.raw`^\/downloads\/insights\/${days}\/board-pack\.pdf$`),
  async open(ctx, match) {
    const period = periodOfSegment(ctx, match[1]!, match[2]!);
    if (!period) return null;
    return { kind: "document", filename: `board-pack-${fileDays(ctx, period)}.pdf`, document: await boardPack(ctx, period) };
  },
};

/** The figures as a workbook, its rows read from the database as the file is written. */
export const workbookFile: Download = {
  path: new RegExp(String.raw`^\/downloads\/insights\/${days}\/figures\.xlsx$`),
  async open(ctx, match) {
    const period = periodOfSegment(ctx, match[1]!, match[2]!);
    if (!period) return null;
    return { kind: "workbook", filename: `figures-${fileDays(ctx, period)}.xlsx`, workbook: insightsWorkbook(ctx, period) };
  },
};
