import { renderAsync } from "@resvg/resvg-js";
import { Error as errorsOnly, logger, parse, View } from "vega";
import { compile } from "vega-lite";
import type { Chart } from "../core/kernel/view.js";
import { chartSpec } from "./chart-spec.js";
import { chartFont, chartFontFiles, measureVegaTextWithChartFont } from "./fonts.js";

/**
 * How big a chart image is: 640x360 logical pixels drawn at 1.5x, so 960x540 PNG. Teams takes a
 * fallback image of at most 1024x1024 and 1 MB; Slack and Teams show it about 400 to 600 pixels wide, so
 * 13-pixel labels stay readable there and sharp on high-density screens.
 */
export const chartImage = { width: 640, aspectRatio: 9 / 16, scale: 1.5, minWidth: 320, maxPixels: 1024 } as const;

export interface ChartImageOptions {
  /** Logical width, from 320 to 1024; the height follows at 16:9. */
  width?: number;
  /** Pixels per logical pixel, lowered if the image would pass 1024 pixels a side. */
  scale?: number;
}

measureVegaTextWithChartFont();

const quiet = () => logger(errorsOnly);

/**
 * The chart as SVG, at its logical size, its text set in DejaVu Sans.
 *
 * @example
 * const svg = await renderChartSvg({ kind: "bar", title: "Updates", series: [{ name: "Updates", points: [{ x: "Oct", y: 3 }] }] });
 */
export async function renderChartSvg(chart: Chart, options: Pick<ChartImageOptions, "width"> = {}): Promise<string> {
  const size = logicalSize(options.width);
  const { spec } = compile(chartSpec(chart, size), { logger: quiet() });
  const view = new View(parse(spec), { renderer: "none", logger: quiet() });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * The chart as a PNG for chat: 960x540 by default, never over 1024 pixels a side. Rasterised off the
 * event loop with the bundled fonts only, so it draws the same on a machine with no fonts installed.
 *
 * @example
 * res.writeHead(200, { "content-type": "image/png" }).end(await renderChartPng(chart));
 */
export async function renderChartPng(chart: Chart, options: ChartImageOptions = {}): Promise<Buffer> {
  const size = logicalSize(options.width);
  const scale = Math.min(options.scale ?? chartImage.scale, chartImage.maxPixels / size.width, chartImage.maxPixels / size.height);
  const svg = await renderChartSvg(chart, { width: size.width });
  const image = await renderAsync(svg, {
    fitTo: { mode: "width", value: Math.max(1, Math.floor(size.width * scale)) },
    background: "white",
    font: {
      fontFiles: [chartFontFiles.regular, chartFontFiles.bold],
      loadSystemFonts: false,
      defaultFontFamily: chartFont,
      sansSerifFamily: chartFont,
    },
    logLevel: "off",
  });
  return image.asPng();
}

function logicalSize(width: number = chartImage.width): { width: number; height: number } {
  const clamped = Math.round(Math.min(chartImage.maxPixels, Math.max(chartImage.minWidth, Number.isFinite(width) ? width : chartImage.width)));
  return { width: clamped, height: Math.round(clamped * chartImage.aspectRatio) };
}
