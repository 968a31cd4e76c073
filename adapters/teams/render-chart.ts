import type { Block, Chart } from "../../src/core/kernel/view.js";
import { escapeMarkdown } from "./markdown.js";
import type { CardElement } from "./render.js";

type ChartBlock = Extract<Block, { type: "chart" }>;
type Series = Chart["series"][number];

/**
 * Teams' named chart colours, in the order of the image's Okabe-Ito palette where Teams has a near
 * match (blue, orange, bluish green, reddish purple, sky blue). Red and green are left out, so no two
 * series differ by red against green; charts take names only, which follow the reader's theme.
 */
export const teamsChartColours = [
  "categoricalBlue",
  "categoricalMarigold",
  "categoricalTeal",
  "categoricalPurple",
  "categoricalLightBlue",
  "categoricalLavender",
  "categoricalLime",
  "neutral",
] as const;

const colour = (index: number) => teamsChartColours[index % teamsChartColours.length]!;

/** Teams' own status colours for a series whose colour carries a meaning (RAG). */
export const teamsToneColours = { red: "attention", amber: "warning", green: "good", none: "neutral" } as const;
const seriesColour = (series: Series, index: number) => (series.tone ? teamsToneColours[series.tone] : colour(index));

/**
 * A chart as Teams' own chart element (Adaptive Cards 1.5), with the PNG as its `fallback` for clients
 * that draw no charts (and the alt text where there is no image). A chart with nothing to draw is
 * the fallback alone: the image says "No data for this period" under the title.
 *
 * @example
 * renderChart({ type: "chart", alt: "Updates: Oct 12", chart: { kind: "bar", title: "Updates", series: [{ name: "Updates", points: [{ x: "Oct", y: 12 }] }] } })
 * // { type: "Chart.VerticalBar", title: "Updates", color: "categoricalBlue", showBarValues: true, data: [{ x: "Oct", y: 12 }],
 * //   fallback: { type: "TextBlock", text: "Updates: Oct 12", wrap: true } }
 */
export function renderChart(block: ChartBlock): CardElement {
  const { chart } = block;
  const fallback = chartFallback(block);
  const series = drawable(chart);
  if (series.length === 0) return fallback;
  const common = { title: chart.title, ...axisTitles(chart), fallback };
  const several = series.length > 1;
  switch (chart.kind) {
    case "bar":
      return several ? grouped(series, common, false) : { type: "Chart.VerticalBar", ...common, ...bars(series[0]!) };
    // Teams has no grouped horizontal bars; several series are grouped upright rather than stacked.
    case "horizontal-bar":
      return several ? grouped(series, common, false) : { type: "Chart.HorizontalBar", ...common, ...bars(series[0]!) };
    case "stacked-bar":
      return grouped(series, common, true);
    case "grouped-bar":
      return grouped(series, common, false);
    case "line":
      return { type: "Chart.Line", ...common, data: seriesData(series) };
    case "donut":
      return {
        type: "Chart.Donut",
        title: chart.title,
        fallback,
        data: series[0]!.points.map((point, index) => ({ legend: point.x, value: point.y, color: colour(index) })),
      };
    default:
      return unreachable(chart.kind);
  }
}

/** The image where there is one, else the description in words. */
function chartFallback(block: ChartBlock): CardElement {
  const alt = block.alt.trim() || block.chart.title;
  if (block.imageUrl) return { type: "Image", url: block.imageUrl, altText: alt };
  return { type: "TextBlock", text: escapeMarkdown(alt), wrap: true };
}

/** The series with something to draw: finite values, and for a donut the first series' positive parts. */
function drawable(chart: Chart): Series[] {
  const kept = chart.kind === "donut" ? chart.series.slice(0, 1) : chart.series;
  return kept
    .map((one) => ({ ...one, points: one.points.filter((point) => Number.isFinite(point.y) && (chart.kind !== "donut" || point.y > 0)) }))
    .filter((one) => one.points.length > 0);
}

function axisTitles(chart: Chart): Record<string, string> {
  return { ...(chart.xTitle ? { xAxisTitle: chart.xTitle } : {}), ...(chart.yTitle ? { yAxisTitle: chart.yTitle } : {}) };
}

function bars(series: Series) {
  return { color: colour(0), showBarValues: true, data: series.points.map(({ x, y }) => ({ x, y })) };
}

function grouped(series: Series[], common: Record<string, unknown>, stacked: boolean): CardElement {
  return { type: "Chart.VerticalBar.Grouped", ...common, ...(stacked ? { stacked: true } : {}), data: seriesData(series) };
}

function seriesData(series: Series[]) {
  return series.map((one, index) => ({ legend: one.name, color: seriesColour(one, index), values: one.points.map(({ x, y }) => ({ x, y })) }));
}

function unreachable(value: never): never {
  throw new Error(`Unhandled chart kind: ${JSON.stringify(value)}`);
}
