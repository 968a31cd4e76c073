import type { TopLevelSpec } from "vega-lite";
import type { Chart } from "../core/kernel/view.js";
import { chartFont, textWidth } from "./fonts.js";
import { coloursOf, ink, seriesColours } from "./palette.js";

/** What an image with nothing to draw says under its title. */
export const noDataMessage = "No data for this period";

/** Type sizes in logical pixels, chosen to stay legible once a chat client shrinks the image. */
const type = { title: 18, axisTitle: 14, label: 13, value: 12, legend: 13, empty: 20 } as const;
const padding = 16;

interface Row {
  series: string;
  order: number;
  x: string;
  y: number;
}

interface Size {
  width: number;
  height: number;
}

/**
 * A Vega-Lite spec for the chart at `size` logical pixels (title, legend and padding included), or a
 * "No data for this period" panel under the title when there is nothing to draw.
 */
export function chartSpec(chart: Chart, size: Size): TopLevelSpec {
  const rows = chartRows(chart);
  // Plain JSON: Vega-Lite's types don't follow spreads of its many unions. The tests draw every kind.
  return { ...frame(chart.title, size), ...(rows.length === 0 ? emptyPanel() : plot(chart, rows, size)) } as TopLevelSpec;
}

/** The rows a chart would draw: finite values only, and for a donut the first series' positive parts. */
function chartRows(chart: Chart): Row[] {
  const series = chart.kind === "donut" ? chart.series.slice(0, 1) : chart.series;
  return series.flatMap((one, order) =>
    one.points
      .filter((point) => Number.isFinite(point.y) && (chart.kind !== "donut" || point.y > 0))
      .map((point) => ({ series: one.name, order, x: point.x, y: point.y })),
  );
}

function plot(chart: Chart, rows: Row[], size: Size) {
  switch (chart.kind) {
    case "bar":
      return bars(chart, rows, size, "vertical", "auto");
    case "grouped-bar":
      return bars(chart, rows, size, "vertical", "grouped");
    case "horizontal-bar":
      return bars(chart, rows, size, "horizontal", "auto");
    case "stacked-bar":
      return bars(chart, rows, size, "vertical", "stacked");
    case "line":
      return lines(chart, rows, size);
    case "donut":
      return donut(chart, rows, size);
    default:
      return chart.kind satisfies never;
  }
}

function frame(title: string, size: Size) {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    width: size.width,
    height: size.height,
    autosize: { type: "fit", contains: "padding" },
    padding,
    background: "white",
    title: { text: wrap(title, size.width - 2 * padding, type.title, 2), anchor: "start", offset: 14, limit: size.width - 2 * padding },
    config: {
      font: chartFont,
      view: { stroke: null },
      title: { fontSize: type.title, color: ink.text, fontWeight: "bold" },
      axis: {
        labelFontSize: type.label,
        titleFontSize: type.axisTitle,
        labelColor: ink.text,
        titleColor: ink.text,
        gridColor: ink.grid,
        domainColor: ink.axis,
        tickColor: ink.axis,
        titlePadding: 10,
      },
      legend: { labelFontSize: type.legend, labelColor: ink.text, titleColor: ink.text, symbolSize: 160, labelLimit: 260, columnPadding: 18, rowPadding: 6 },
    },
  };
}

function emptyPanel() {
  return {
    data: { values: [{}] },
    mark: { type: "text", fontSize: type.empty, color: ink.muted, align: "center", baseline: "middle" },
    encoding: {
      x: { value: { expr: "width / 2" } },
      y: { value: { expr: "height / 2" } },
      text: { value: noDataMessage },
    },
  };
}

type Arrangement = "auto" | "grouped" | "stacked";
type Direction = "vertical" | "horizontal";

/** Bars in one colour with their values on them, or one colour a series, grouped or stacked, with a legend. */
function bars(chart: Chart, rows: Row[], size: Size, direction: Direction, arrangement: Arrangement) {
  const names = seriesNames(chart, rows);
  const single = names.length === 1 && arrangement !== "stacked";
  const grouped = arrangement === "grouped" || (arrangement === "auto" && names.length > 1);
  const across = categoryChannel(rows, size, direction, chart.xTitle);
  const values = rows.map((row) => row.y);
  const value = {
    field: "y",
    type: "quantitative",
    title: chart.yTitle ?? null,
    stack: arrangement === "stacked" ? "zero" : null,
    axis: valueAxis(rows),
    // Room past the longest bars, either side of zero, for their values.
    ...(single ? { scale: { domain: [Math.min(0, ...values) * 1.1, Math.max(0, ...values) * 1.1 || 1], nice: true } } : {}),
  };
  const offset = { field: "series", type: "nominal", sort: names, scale: { paddingInner: 0.08 } };
  const [acrossChannel, alongChannel, offsetChannel] = direction === "vertical" ? (["x", "y", "xOffset"] as const) : (["y", "x", "yOffset"] as const);
  const encoding = {
    [acrossChannel]: across.encoding,
    [alongChannel]: value,
    ...(grouped ? { [offsetChannel]: offset } : {}),
    ...(single ? {} : { color: seriesLegend(names, size, coloursOf(chart.series, names)), order: { field: "order" } }),
  };
  const bar = { type: "bar", ...(single ? { color: seriesColours(1)[0] } : {}) };
  if (!single) return { data: { values: across.rows }, mark: bar, encoding };
  const text = { text: { field: "y", type: "quantitative", format: valueFormat(rows) } };
  const label = (above: boolean) => ({
    transform: [{ filter: above ? "datum.y >= 0" : "datum.y < 0" }],
    mark: {
      type: "text",
      fontSize: type.value,
      color: ink.text,
      ...(direction === "vertical" ? { baseline: above ? "bottom" : "top", dy: above ? -4 : 4 } : { align: above ? "left" : "right", dx: above ? 4 : -4 }),
    },
    encoding: text,
  });
  return { data: { values: across.rows }, encoding, layer: [{ mark: bar }, label(true), label(false)] };
}

/** A line a series, each with its own marker shape as well as colour. */
function lines(chart: Chart, rows: Row[], size: Size) {
  const names = seriesNames(chart, rows);
  const several = names.length > 1;
  const across = categoryChannel(rows, size, "vertical", chart.xTitle);
  return {
    data: { values: across.rows },
    mark: { type: "line", strokeWidth: 3, point: { filled: true, size: 80 }, ...(several ? {} : { color: seriesColours(1)[0] }) },
    encoding: {
      x: across.encoding,
      y: { field: "y", type: "quantitative", title: chart.yTitle ?? null, axis: valueAxis(rows) },
      // Seven shapes against eight colours: no two of the first 56 series look the same.
      ...(several
        ? {
            color: seriesLegend(names, size, coloursOf(chart.series, names)),
            shape: { field: "series", type: "nominal", sort: names, scale: { domain: names, range: markerShapes }, legend: null },
          }
        : {}),
    },
  };
}

const markerShapes = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down", "triangle-right"];

/** A donut keeps this many parts; the rest are summed as "Other", in grey, so no colour repeats. */
const donutParts = 8;
const otherGrey = "#9a9a9a";

/** Parts of a whole, the legend naming each with its value and share. */
function donut(chart: Chart, rows: Row[], size: Size) {
  const total = rows.reduce((sum, row) => sum + row.y, 0);
  const format = formatter(rows);
  const kept = rows.length <= donutParts ? rows : [...rows].sort((a, b) => b.y - a.y).slice(0, donutParts - 1);
  const others = rows.filter((row) => !kept.includes(row));
  const shown = [
    ...rows.filter((row) => kept.includes(row)),
    ...(others.length > 0 ? [{ ...others[0]!, x: `Other (${others.length})`, y: others.reduce((sum, row) => sum + row.y, 0) }] : []),
  ];
  const labelled = shown.map((row, order) => ({ ...row, order, part: `${row.x}: ${format(row.y)} (${Math.round((row.y / total) * 100)}%)` }));
  const parts = labelled.map((row) => row.part);
  const radius = Math.round(Math.min(size.height * 0.36, size.width * 0.24));
  return {
    data: { values: labelled },
    mark: { type: "arc", innerRadius: Math.round(radius * 0.55), outerRadius: radius, stroke: "white", strokeWidth: 2 },
    encoding: {
      theta: { field: "y", type: "quantitative", stack: true },
      order: { field: "order" },
      color: {
        field: "part",
        type: "nominal",
        sort: parts,
        scale: { domain: parts, range: [...seriesColours(kept.length), ...(others.length > 0 ? [otherGrey] : [])] },
        legend: { orient: "right", title: chart.xTitle ?? null, titleFontSize: type.legend, labelLimit: Math.round(size.width * 0.45) },
      },
    },
  };
}

function seriesNames(chart: Chart, rows: Row[]): string[] {
  const drawn = new Set(rows.map((row) => row.series));
  return [...new Set(chart.series.map((one) => one.name))].filter((name) => drawn.has(name));
}

function categories(rows: Row[]): string[] {
  return [...new Set(rows.map((row) => row.x))];
}

/** The legend under the plot, in as many columns as fit, names shortened so it takes at most three rows where it can. */
function seriesLegend(names: string[], size: Size, colours: string[]) {
  const room = size.width - 2 * padding;
  const entry = 48;
  const widest = Math.max(...names.map((name) => textWidth(name, type.legend, false)));
  const wantedColumns = Math.ceil(names.length / 3);
  const labelLimit = Math.round(Math.max(120, Math.min(widest + 4, 260, room / wantedColumns - entry)));
  const columns = Math.max(1, Math.min(names.length, Math.floor(room / (Math.min(widest, labelLimit) + entry))));
  return {
    field: "series",
    type: "nominal",
    sort: names,
    scale: { domain: names, range: colours },
    legend: names.length > 1 ? { orient: "bottom", direction: "horizontal", columns, labelLimit, title: null } : null,
  };
}

/**
 * The category axis. Across the bottom, labels lie flat when they fit side by side, else break onto two
 * lines at spaces when that fits, else slant; down the side they lie flat.
 */
function categoryChannel(rows: Row[], size: Size, direction: Direction, title: string | undefined) {
  const names = categories(rows);
  const base = { type: "nominal", title: title ?? null };
  if (direction === "horizontal") {
    return { rows, encoding: { ...base, field: "x", sort: names, axis: { labelLimit: Math.round(size.width * 0.3), ticks: false } } };
  }
  const room = (size.width - 2 * padding - 60) / names.length - 8;
  const fits = (line: string) => textWidth(line, type.label, false) <= room;
  if (names.every(fits)) return { rows, encoding: { ...base, field: "x", sort: names, axis: { labelAngle: 0 } } };
  const broken = new Map(names.map((name) => [name, breakLines(name, room)]));
  const labels = new Set([...broken.values()].map((lines) => lines.join("\n")));
  if ([...broken.values()].every((lines) => lines.length <= 3 && lines.every(fits)) && labels.size === names.length) {
    return {
      rows: rows.map((row) => ({ ...row, label: broken.get(row.x)!.join("\n") })),
      encoding: { ...base, field: "label", sort: names.map((name) => broken.get(name)!.join("\n")), axis: { labelAngle: 0, labelExpr: "split(datum.label, '\\n')" } },
    };
  }
  // Vega tests slanted labels for overlap by their upright boxes, which hides labels that would not touch.
  const crowded = (room + 8) * Math.sin((40 * Math.PI) / 180) < type.label * 1.2;
  return { rows, encoding: { ...base, field: "x", sort: names, axis: { labelAngle: -40, labelLimit: 140, labelOverlap: crowded ? "parity" : false } } };
}

function breakLines(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const word of text.trim().split(/\s+/)) {
    const last = lines.at(-1);
    if (last !== undefined && textWidth(`${last} ${word}`, type.label, false) <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}

function valueAxis(rows: Row[]) {
  const integers = rows.every((row) => Number.isInteger(row.y));
  return { tickCount: 6, labelOverlap: "greedy", labelSeparation: 6, ...(integers ? { tickMinStep: 1, format: ",d" } : { format: ",~r" }) };
}

function valueFormat(rows: Row[]): string {
  return rows.every((row) => Number.isInteger(row.y)) ? ",d" : ",.2~f";
}

function formatter(rows: Row[]): (value: number) => string {
  const integers = rows.every((row) => Number.isInteger(row.y));
  const format = new Intl.NumberFormat("en-GB", { maximumFractionDigits: integers ? 0 : 2 });
  return (value) => format.format(value);
}

/** Greedy word wrap by measured width, at most `maxLines`; Vega ends the last with an ellipsis if it is still too long. */
function wrap(text: string, width: number, fontSize: number, maxLines: number): string[] {
  const lines: string[] = [];
  for (const word of text.trim().split(/\s+/)) {
    const last = lines.at(-1);
    if (last !== undefined && (lines.length === maxLines || textWidth(`${last} ${word}`, fontSize, true) <= width)) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines.length > 0 ? lines : [""];
}
