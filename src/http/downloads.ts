import type { IncomingMessage, ServerResponse } from "node:http";
import { pipeline } from "node:stream/promises";
import { stringify } from "csv-stringify";
import { auditExportColumns, auditRows } from "../core/kernel/audit.js";
import type { CoreContext } from "../core/kernel/context.js";
import { broadcastExists, broadcastExportColumns, broadcastRecipientRows } from "../core/broadcasts/export-broadcast.js";
import { checkIns } from "../core/check-ins/feature.js";
import { events } from "../core/events/feature.js";
import type { DownloadFile } from "../core/kernel/feature.js";
import { exportMemberData } from "../core/kernel/member-data.js";
import { pulses } from "../core/pulses/feature.js";
import { reports } from "../core/reports/feature.js";
import type { LinkCheck } from "./signed-links.js";

export const downloadsPrefix = "/downloads/";

/**
 * Serves `GET /downloads/…` for links the bot signed: 403 for a forged or altered link, 410 for an
 * expired one, and nothing about what the link would have shown.
 */
export function createDownloads(ctx: CoreContext, links: { check(url: URL): LinkCheck }) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (req.method !== "GET") return plain(res, 405, "Method not allowed.");
    const checked = links.check(url);
    if (!checked.ok) {
      return plain(res, checked.status, checked.status === 410 ? "This link has expired. Ask the bot for a new one." : "This link isn't valid.");
    }
    const broadcast = /^\/downloads\/broadcasts\/(\d{1,9})\.csv$/.exec(checked.path);
    if (broadcast && (await broadcastExists(ctx, Number(broadcast[1])))) {
      const number = Number(broadcast[1]);
      res.writeHead(200, {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="broadcast-${number}-recipients.csv"`,
        "cache-control": "no-store",
      });
      await pipeline(broadcastRecipientRows(ctx, number), stringify({ header: true, columns: [...broadcastExportColumns] }), res);
      return;
    }
    if (checked.path === "/downloads/audit.csv") {
      res.writeHead(200, { "content-type": "text/csv; charset=utf-8", "content-disposition": 'attachment; filename="audit-trail.csv"', "cache-control": "no-store" });
      await pipeline(auditRows(ctx), stringify({ header: true, columns: [...auditExportColumns] }), res);
      return;
    }
    for (const download of [events, reports, pulses, checkIns].flatMap((feature) => feature.downloads ?? [])) {
      const match = download.path.exec(checked.path);
      const file = match ? await download.open(ctx, match) : null;
      if (file) return serve(res, file);
    }
    const mydata = /^\/downloads\/mydata\/([0-9a-f-]{36})\.json$/.exec(checked.path);
    const file = mydata ? await exportMemberData(ctx, mydata[1]!) : null;
    if (file) {
      res.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-disposition": 'attachment; filename="my-data.json"', "cache-control": "no-store" });
      res.end(JSON.stringify(file, null, 2));
      return;
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
