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
  const headers = { "content-disposition": `attachment; filename="${file.filename.replace(/[^\w.-]/g, "-")}"`, "cache-control": "no-store" };
  if (file.kind === "file") {
    res.writeHead(200, { ...headers, "content-type": file.contentType }).end(file.body);
    return;
  }
  res.writeHead(200, { ...headers, "content-type": "text/csv; charset=utf-8" });
  await pipeline(file.rows, stringify({ header: true, columns: [...file.columns] }), res);
}

function plain(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" }).end(body);
}
