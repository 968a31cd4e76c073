import type { IncomingMessage, ServerResponse } from "node:http";
import { pipeline } from "node:stream/promises";
import { stringify } from "csv-stringify";
import type { CoreContext } from "../core/kernel/context.js";
import type { Download, DownloadFile } from "../core/kernel/feature.js";
import type { LinkCheck } from "./signed-links.js";

export const downloadsPrefix = "/downloads/";

/**
 * Serves `GET /downloads/…` for links the bot signed, from the features' downloads: 403 for a forged or
 * altered link, 410 for an expired one, and nothing about what the link would have shown.
 */
export function createDownloads(ctx: CoreContext, links: { check(url: URL): LinkCheck }, downloads: readonly Download[]) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (req.method !== "GET") return plain(res, 405, "Method not allowed.");
    const checked = links.check(url);
    if (!checked.ok) {
      return plain(res, checked.status, checked.status === 410 ? "This link has expired. Ask the bot for a new one." : "This link isn't valid.");
    }
    for (const download of downloads) {
      const match = download.path.exec(checked.path);
      const file = match ? await download.open(ctx, match) : null;
      if (file) return serve(res, file);
    }
    plain(res, 404, "Nothing here.");
  };
}

async function serve(res: ServerResponse, file: DownloadFile): Promise<void> {
  // A chart is shown in place (Slack and Teams load it as an image; a browser opens it), not saved.
  const disposition = file.kind === "chart" ? "inline" : "attachment";
  const headers = { "content-disposition": `${disposition}; filename="${file.filename.replace(/[^\w.-]/g, "-")}"`, "cache-control": "no-store" };
  switch (file.kind) {
    case "file":
      res.writeHead(200, { ...headers, "content-type": file.contentType }).end(file.body);
      return;
    case "chart": {
      // Vega, Vega-Lite and resvg take some 0.4 s and 40 MB to load, so they load with the first chart asked for.
      const { renderChartPng } = await import("../charts/render-chart.js");
      const png = await renderChartPng(file.chart);
      res.writeHead(200, { ...headers, "content-type": "image/png", "content-length": png.length }).end(png);
      return;
    }
    case "csv":
      res.writeHead(200, { ...headers, "content-type": "text/csv; charset=utf-8" });
      await pipeline(file.rows, stringify({ header: true, columns: [...file.columns] }), res);
      return;
    case "document": {
      // pdfkit, the fonts and the chart renderer load with the first document asked for.
      const { writePdf } = await import("../documents/pdf.js");
      res.writeHead(200, { ...headers, "content-type": "application/pdf" });
      await writePdf(file.document, res);
      return;
    }
    case "workbook": {
      const { writeXlsx, xlsxContentType } = await import("../documents/xlsx.js");
      res.writeHead(200, { ...headers, "content-type": xlsxContentType });
      await writeXlsx(file.workbook, res);
      return;
    }
    default:
      return unservable(file);
  }
}

function unservable(file: never): never {
  throw new Error(`No way to serve this download: ${JSON.stringify(file)}`);
}

function plain(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" }).end(body);
}
