import { DateTime } from "luxon";
import type { CoreContext } from "../kernel/context.js";
import type { Download } from "../kernel/feature.js";
import { periodOfDays, type Period } from "../kernel/period.js";
import { announcementFigures } from "./announcement-figures.js";
import { eventFigures } from "./event-figures.js";
import { membershipFigures } from "./membership-figures.js";
import { organisationFigures } from "./organisation-figures.js";
import { pulseFigures } from "./pulse-figures.js";
import type { FigureScope, InsightSection, SectionFigures, SectionKey } from "./section.js";
import { trainingFigures } from "./training-figures.js";
import { workFigures } from "./work-figures.js";

/** Each section's figures, in the order `insights` shows them. */
export const sections: Readonly<Record<SectionKey, SectionFigures>> = {
  membership: membershipFigures,
  work: workFigures,
  organisations: organisationFigures,
  events: eventFigures,
  pulses: pulseFigures,
  training: trainingFigures,
  announcements: announcementFigures,
};

/**
 * The figures of the chosen sections for a period, for the whole network or the part a scope picks:
 * counted afresh, and kept for a minute for the chart images and CSVs the answer links to.
 */
export async function networkFigures(ctx: CoreContext, period: Period, keys: readonly SectionKey[], scope?: FigureScope): Promise<InsightSection[]> {
  return Promise.all(keys.map((key) => keepRecent(ctx, key, period, scope, sections[key](ctx, period, scope))));
}

/** How long a section's figures serve the images and CSVs fetched after a message or page: each chart's link asks again. */
const recentMs = 60_000;
const recent = new Map<string, { until: number; figures: Promise<InsightSection> }>();

/**
 * A section's figures, shared for a minute by the requests for its charts: Slack fetches each image of an
 * answer at once, and each would otherwise count the whole section again. A cache only: every replica
 * may compute its own, and nothing is kept that the database doesn't say.
 */
export function recentSection(ctx: CoreContext, key: SectionKey, period: Period, scope?: FigureScope): Promise<InsightSection> {
  const hit = recent.get(recentKey(ctx, key, period, scope));
  return hit && hit.until > Date.now() ? hit.figures : keepRecent(ctx, key, period, scope, sections[key](ctx, period, scope));
}

const recentKey = (ctx: CoreContext, key: SectionKey, period: Period, scope?: FigureScope) => JSON.stringify([ctx.networkId, key, period.from, period.to, scope ?? {}]);

function keepRecent(ctx: CoreContext, key: SectionKey, period: Period, scope: FigureScope | undefined, figures: Promise<InsightSection>): Promise<InsightSection> {
  const now = Date.now();
  for (const [cached, entry] of recent) if (entry.until <= now) recent.delete(cached);
  const cacheKey = recentKey(ctx, key, period, scope);
  recent.set(cacheKey, { until: now + recentMs, figures });
  figures.catch(() => recent.get(cacheKey)?.figures === figures && recent.delete(cacheKey));
  return figures;
}

/** How long a chart's image link works: long enough for a message read weeks later, since Teams fetches the image each time it is shown. */
export const chartLinkMs = 30 * 86_400_000;

/** A period in a link's path: its first and last-plus-one days in the network's time zone (`2026-10-01/2027-01-01`). */
export function periodSegment(ctx: Pick<CoreContext, "timeZone">, period: Period): string {
  const day = (date: Date) => DateTime.fromJSDate(date, { zone: ctx.timeZone }).toISODate();
  return `${day(period.from)}/${day(period.to)}`;
}

/** The period a link's two days stand for, or null when they aren't days in order. */
export function periodOfSegment(ctx: Pick<CoreContext, "timeZone">, fromDay: string, toDay: string): Period | null {
  return periodOfDays(fromDay, toDay, ctx.timeZone);
}

/** The path a chart's image is served at. */
export function chartPath(ctx: Pick<CoreContext, "timeZone">, period: Period, section: SectionKey, chart: string): string {
  return `/downloads/insights/${periodSegment(ctx, period)}/${section}/${chart}.png`;
}

/** A chart of `insights` as a PNG, drawn again from the database when its signed link is opened. */
export const chartImage: Download = {
  path: /^\/downloads\/insights\/(\d{4}-\d{2}-\d{2})\/(\d{4}-\d{2}-\d{2})\/([a-z]+)\/([a-z-]+)\.png$/,
  async open(ctx, match) {
    const period = periodOfSegment(ctx, match[1]!, match[2]!);
    if (!Object.hasOwn(sections, match[3]!) || !period) return null;
    const section = await recentSection(ctx, match[3] as SectionKey, period);
    const found = section.charts.find((chart) => chart.name === match[4]);
    return found ? { kind: "chart", filename: `${found.name}.png`, chart: found.chart } : null;
  },
};
