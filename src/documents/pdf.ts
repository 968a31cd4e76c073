import type { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import PDFDocument from "pdfkit";
import { chartFontFiles } from "../charts/fonts.js";
import { renderChartPng } from "../charts/render-chart.js";
import type { PrintDocument } from "../core/kernel/feature.js";
import type { Chart } from "../core/kernel/view.js";
import { PageLayout, pdfFonts, pdfTheme } from "./pdf-layout.js";

/**
 * Charts are drawn as for chat (640 logical pixels, 960 wide) and placed half a page wide: about 275
 * pixels an inch, sharp on paper and when zoomed. Narrower drawings would print larger text, but
 * `src/charts` cuts off a title that wraps below 640 pixels.
 */
const chartDrawing = { width: 640, scale: 1.5 } as const;

/**
 * Writes a document as an A4 PDF: its text set in DejaVu Sans, embedded (only the characters used), so
 * any name prints; charts as PNG images with their figures in words as alternative text; tagged, so a
 * screen reader reads headings, lists and figures in order. Resolves once the last byte is written.
 *
 * @example
 * res.writeHead(200, { "content-type": "application/pdf" });
 * await writePdf(document, res);
 */
export async function writePdf(document: PrintDocument, out: Writable): Promise<void> {
  const doc = new PDFDocument({
    size: "A4",
    margins: pdfTheme.margins,
    autoFirstPage: false,
    bufferPages: true,
    tagged: true,
    lang: "en-GB",
    displayTitle: true,
    pdfVersion: "1.7",
    info: { Title: `${document.title}: ${document.subtitle}`, Author: document.title, Subject: document.subtitle, Creator: "ti-champions", CreationDate: document.madeAt },
  });
  const written = pipeline(doc, out);
  try {
    doc.registerFont(pdfFonts.regular, chartFontFiles.regular);
    doc.registerFont(pdfFonts.bold, chartFontFiles.bold);
    const images = await chartImages(document);
    const layout = new PageLayout(doc, document, images);
    document.pages.forEach((page, index) => layout.page(page, index === 0));
    layout.finish();
  } catch (error) {
    doc.end();
    await written.catch(() => undefined);
    throw error;
  }
  doc.end();
  await written;
}

/** Every chart in the document drawn once (the summary repeats some of the sections'), a few at a time. */
async function chartImages(document: PrintDocument): Promise<Map<Chart, Buffer>> {
  const charts = [...new Set(document.pages.flatMap((page) => page.blocks.flatMap((block) => (block.type === "charts" ? block.charts.map(({ chart }) => chart) : []))))];
  const images = new Map<Chart, Buffer>();
  for (let start = 0; start < charts.length; start += 4) {
    const batch = charts.slice(start, start + 4);
    const drawn = await Promise.all(batch.map((chart) => renderChartPng(chart, chartDrawing)));
    batch.forEach((chart, index) => images.set(chart, drawn[index]!));
  }
  return images;
}
