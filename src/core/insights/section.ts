import type { CoreContext } from "../kernel/context.js";
import type { sectors } from "../kernel/labels.js";
import type { Period } from "../kernel/period.js";
import type { Chart } from "../kernel/view.js";

/** The parts of `insights`, in the order they are shown; `insights <part>` shows one. */
export const sectionKeys = ["membership", "work", "organisations", "events", "pulses", "training", "announcements"] as const;
export type SectionKey = (typeof sectionKeys)[number];

/** One chart of a section, named so its image can be fetched again by name (`/downloads/insights/…/work-by-month.png`). */
export interface InsightChart {
  name: string;
  chart: Chart;
}

/**
 * One part of the network's figures for a period: a few headline numbers, the charts, and every figure
 * behind the charts as lines of text (for screen readers, and for anyone who reads numbers first).
 */
export interface InsightSection {
  key: SectionKey;
  title: string;
  headline: { label: string; value: string }[];
  charts: InsightChart[];
  lines: string[];
  /** What is left out and why (small groups, private check-ins). */
  note?: string;
}

/**
 * Which part of the network the figures cover (the dashboard's filters); empty is the whole network.
 * Organisation, sector and locality pick organisations, and the figures then count only their members,
 * updates, reports and invitations; the principle narrows the work to updates tagged with it.
 *
 * @example
 * await workFigures(ctx, period, { sector: "health", principleId: safety.id });
 */
export interface FigureScope {
  organisationId?: string;
  sector?: (typeof sectors)[number];
  locality?: string;
  principleId?: string;
}

/** Works out one section's figures for a period, from the database, in bounded queries; for the whole network unless a scope is given. */
export type SectionFigures = (ctx: CoreContext, period: Period, scope?: FigureScope) => Promise<InsightSection>;

/** The ids of the organisations a scope picks, or undefined when it picks no organisation (everyone counts, with or without one). */
export async function organisationsInScope(ctx: CoreContext, scope: FigureScope = {}): Promise<string[] | undefined> {
  if (scope.organisationId === undefined && scope.sector === undefined && scope.locality === undefined) return undefined;
  const picked = await ctx.prisma.organisation.findMany({
    where: { networkId: ctx.networkId, id: scope.organisationId, sector: scope.sector, locality: scope.locality },
    select: { id: true },
  });
  return picked.map((organisation) => organisation.id);
}

/** `1,204` */
export const count = (value: number) => value.toLocaleString("en-GB");

/** `42%`, or `no one invited` style words for an empty base. */
export const percent = (part: number, whole: number) => (whole === 0 ? "–" : `${Math.round((part / whole) * 100)}%`);

/**
 * The chart's figures in words, for the image's alt text: its title, then each category's values.
 *
 * @example
 * altText(chart) // "Updates per month by principle. Oct 2026: Safety 12, Trust 3. Nov 2026: Safety 9, Trust 4."
 */
export function altText(chart: Chart, max = 1_500): string {
  const categories = [...new Set(chart.series.flatMap((series) => series.points.map((point) => point.x)))];
  if (categories.length === 0) return `${chart.title}: no figures for this period.`;
  const parts = categories.map((x) => {
    const values = chart.series.flatMap((series) => series.points.filter((point) => point.x === x).map((point) => (chart.series.length > 1 ? `${series.name} ${count(point.y)}` : count(point.y))));
    return `${x}: ${values.join(", ")}`;
  });
  const whole = `${chart.title}. ${parts.join(". ")}.`;
  return whole.length <= max ? whole : `${whole.slice(0, max - 1).trimEnd()}…`;
}

/**
 * The chart's figures as a table, for the dashboard and its CSV: the category, then a column per series.
 *
 * @example
 * chartTable(chart) // { columns: ["Month", "Safety", "Trust"], rows: [["Oct 2026", 12, 3], ["Nov 2026", 9, 4]] }
 */
export function chartTable(chart: Chart): { columns: string[]; rows: [string, ...number[]][] } {
  const categories = [...new Set(chart.series.flatMap((series) => series.points.map((point) => point.x)))];
  return {
    columns: [chart.xTitle ?? "Part", ...chart.series.map((series) => series.name)],
    rows: categories.map((x) => [x, ...chart.series.map((series) => series.points.find((point) => point.x === x)?.y ?? 0)]),
  };
}

/** Series from rows of (category, series, value), keeping the order categories and series are given in; missing values are 0. */
export function seriesOf(categories: readonly string[], names: readonly string[], value: (category: string, name: string) => number): Chart["series"] {
  return names.map((name) => ({ name, points: categories.map((x) => ({ x, y: value(x, name) })) }));
}
