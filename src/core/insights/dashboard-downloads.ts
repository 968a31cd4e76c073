import { DateTime } from "luxon";
import { z } from "zod";
import type { CoreContext } from "../kernel/context.js";
import type { Download, DownloadFile } from "../kernel/feature.js";
import { sectors } from "../kernel/labels.js";
import type { Period } from "../kernel/period.js";
import { organisationRows } from "./dashboard-organisations.js";
import { periodOfSegment, periodSegment, recentSection } from "./figures.js";
import { chartTable, sectionKeys, type FigureScope, type SectionKey } from "./section.js";
import { trainingCounts } from "./training-counts.js";
import { trainingColumns, trainingTableRows } from "./training-table.js";

/** The scope in a link's path: `all`, or its filters as base64url JSON (a locality may hold any character). */
export function scopeSegment(scope: FigureScope): string {
  const short = { o: scope.organisationId, s: scope.sector, l: scope.locality, p: scope.principleId };
  const given = Object.fromEntries(Object.entries(short).filter(([, value]) => value !== undefined));
  return Object.keys(given).length === 0 ? "all" : Buffer.from(JSON.stringify(given)).toString("base64url");
}

const scopeSchema = z.strictObject({ o: z.string().max(64).optional(), s: z.enum(sectors).optional(), l: z.string().max(120).optional(), p: z.string().max(64).optional() });

/** The scope a link's path stands for, or null when it isn't one {@link scopeSegment} writes. */
export function scopeOfSegment(segment: string): FigureScope | null {
  if (segment === "all") return {};
  try {
    const parsed = scopeSchema.safeParse(JSON.parse(Buffer.from(segment, "base64url").toString("utf8")));
    if (!parsed.success) return null;
    const { o, s, l, p } = parsed.data;
    return { ...(o ? { organisationId: o } : {}), ...(s ? { sector: s } : {}), ...(l ? { locality: l } : {}), ...(p ? { principleId: p } : {}) };
  } catch {
    return null;
  }
}

/** The path of a chart's figures as CSV, for the period and scope the dashboard shows. */
export function figuresCsvPath(ctx: Pick<CoreContext, "timeZone">, period: Period, scope: FigureScope, section: SectionKey, chart: string): string {
  return `/downloads/insights/${periodSegment(ctx, period)}/${scopeSegment(scope)}/${section}/${chart}.csv`;
}

/** The path of the dashboard's table of organisations as CSV. */
export function organisationsCsvPath(ctx: Pick<CoreContext, "timeZone">, period: Period, scope: FigureScope): string {
  return `/downloads/insights/${periodSegment(ctx, period)}/${scopeSegment(scope)}/organisations.csv`;
}

/** The path of the dashboard's table of training by organisation as CSV. */
export function trainingCsvPath(ctx: Pick<CoreContext, "timeZone">, period: Period, scope: FigureScope): string {
  return `/downloads/insights/${periodSegment(ctx, period)}/${scopeSegment(scope)}/training.csv`;
}

const day = String.raw`(\d{4}-\d{2}-\d{2})`;
const scoped = String.raw`([\w-]{1,400})`;

/** The figures behind one of the dashboard's charts, as CSV, worked out again when the signed link is opened. */
export const figuresCsv: Download = {
  path: new RegExp(String.raw`^/downloads/insights/${day}/${day}/${scoped}/([a-z]+)/([a-z-]+)\.csv$`),
  async open(ctx, match) {
    const [period, scope, key] = [periodOfSegment(ctx, match[1]!, match[2]!), scopeOfSegment(match[3]!), match[4] as SectionKey];
    if (!period || !scope || !sectionKeys.includes(key)) return null;
    const found = (await recentSection(ctx, key, period, scope)).charts.find((chart) => chart.name === match[5]);
    if (!found) return null;
    const table = chartTable(found.chart);
    return csv(`${key}-${found.name}-${spanOf(ctx, period)}.csv`, table.columns, table.rows);
  },
};

/** The columns of the organisations CSV, in the order the dashboard's table shows them. */
export const organisationColumns = [
  "Organisation",
  "Sector",
  "Locality",
  "Pledge signed",
  "Champions",
  "Key actions done",
  "Key actions in progress",
  "Key actions not started",
  "Last report RAG",
  "Updates in the period",
] as const;

/** The dashboard's table of organisations as CSV, for the period and scope it shows. */
export const organisationsCsv: Download = {
  path: new RegExp(String.raw`^/downloads/insights/${day}/${day}/${scoped}/organisations\.csv$`),
  async open(ctx, match) {
    const [period, scope] = [periodOfSegment(ctx, match[1]!, match[2]!), scopeOfSegment(match[3]!)];
    if (!period || !scope) return null;
    const rows = (await organisationRows(ctx, period, scope)).map((row) => [
      row.name,
      row.sector,
      row.locality,
      row.pledgeSignedOn ? row.pledgeSignedOn.toISOString().slice(0, 10) : "not yet",
      row.champions,
      row.keyActions.done,
      row.keyActions.inProgress,
      row.keyActions.notStarted,
      row.lastRag,
      row.updates,
    ]);
    return csv(`organisations-${spanOf(ctx, period)}.csv`, organisationColumns, rows);
  },
};

/** The dashboard's table of training by organisation as CSV, for the period and scope it shows: counts only. */
export const trainingCsv: Download = {
  path: new RegExp(String.raw`^/downloads/insights/${day}/${day}/${scoped}/training\.csv$`),
  async open(ctx, match) {
    const [period, scope] = [periodOfSegment(ctx, match[1]!, match[2]!), scopeOfSegment(match[3]!)];
    if (!period || !scope) return null;
    return csv(`training-${spanOf(ctx, period)}.csv`, trainingColumns, trainingTableRows(await trainingCounts(ctx, period, scope)));
  },
};

function csv(filename: string, columns: readonly string[], rows: readonly (readonly unknown[])[]): DownloadFile {
  return {
    kind: "csv",
    filename,
    columns,
    rows: (async function* () {
      yield* rows;
    })(),
  };
}

/** `2026-10-01-to-2026-12-31`: the period's first and last days. */
function spanOf(ctx: Pick<CoreContext, "timeZone">, period: Period): string {
  const day = (date: Date) => DateTime.fromJSDate(date, { zone: ctx.timeZone }).toISODate();
  return `${day(period.from)}-to-${day(new Date(period.to.getTime() - 1))}`;
}
