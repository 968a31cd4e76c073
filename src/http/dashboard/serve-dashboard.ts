import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { DateTime } from "luxon";
import { dashboardPath, describeScope, readDashboardRequest } from "../../core/insights/dashboard.js";
import { figuresCsvPath, organisationsCsvPath, trainingCsvPath } from "../../core/insights/dashboard-downloads.js";
import { organisationRows } from "../../core/insights/dashboard-organisations.js";
import { networkFigures } from "../../core/insights/figures.js";
import { sectionKeys, type InsightSection } from "../../core/insights/section.js";
import { trainingCounts } from "../../core/insights/training-counts.js";
import { trainingTableRows } from "../../core/insights/training-table.js";
import type { CoreContext, LinkSigner } from "../../core/kernel/context.js";
import type { Chart } from "../../core/kernel/view.js";
import type { LinkCheck } from "../signed-links.js";
import { html } from "./html.js";
import { renderDashboardPage } from "./render-page.js";
import type { ShownSection } from "./render-sections.js";

export { dashboardPath };

/** What every answer of the dashboard carries: the signature is in its address, so nothing may keep or pass it on. */
const baseHeaders = {
  "cache-control": "no-store",
  "referrer-policy": "no-referrer",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "x-robots-tag": "noindex, nofollow",
};

/**
 * Serves `GET /downloads/insights/dashboard?expires=…&signature=…&period=…&sector=…`: the network's
 * figures as a page, for whoever holds a link the bot signed. The signature covers the path and the
 * expiry, so the filters in the query may change freely until the link expires; every CSV link on the
 * page is signed again here for the same expiry, with its period and filters in its path.
 */
export function createDashboard(ctx: CoreContext, links: LinkSigner & { check(url: URL): LinkCheck }) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (req.method !== "GET") return refusal(res, 405, "This page can only be read.", "Open the dashboard's link in a browser.");
    const checked = links.check(url);
    if (!checked.ok) {
      return checked.status === 410
        ? refusal(res, 410, "This link has expired.", "Dashboard links work for 8 hours. For a new one, ask the bot for insights again.")
        : refusal(res, 403, "This link isn't valid.", "It may have been changed or cut short. For a new one, ask the bot for insights again.");
    }
    if (checked.path !== dashboardPath) return refusal(res, 404, "There's nothing here.", "For the dashboard, ask the bot for insights.");

    const expiresAt = new Date(Number(url.searchParams.get("expires")) * 1000);
    const request = await readDashboardRequest(ctx, url.searchParams);
    const { period, scope } = request;
    const [figures, rows, training] = await Promise.all([networkFigures(ctx, period, sectionKeys, scope), organisationRows(ctx, period, scope), trainingCounts(ctx, period, scope)]);
    const signedPath = (path: string) => {
      const signed = new URL(links.sign(path, expiresAt));
      return `${signed.pathname}${signed.search}`;
    };
    const signed = { expires: url.searchParams.get("expires")!, signature: url.searchParams.get("signature")! };
    const clear = new URLSearchParams({ ...signed, ...(request.filters.period ? { period: request.filters.period } : {}) });
    const nonce = randomBytes(18).toString("base64");
    const page = renderDashboardPage({
      networkName: ctx.networkName,
      request,
      scopeText: describeScope(scope, request.choices),
      expiresText: DateTime.fromJSDate(expiresAt, { zone: ctx.timeZone }).toFormat("HH:mm 'on' d LLL yyyy"),
      signed,
      clearHref: `${dashboardPath}?${clear}`,
      sections: await Promise.all(
        figures.map(async (section) => ({
          section,
          asides: asidesFor(section, scope.principleId !== undefined),
          charts: await Promise.all(
            section.charts.map(async ({ name, chart }) => ({ name, chart, svg: await drawSvg(chart), csvHref: signedPath(figuresCsvPath(ctx, period, scope, section.key, name)) })),
          ),
        })),
      ),
      organisations: { rows, csvHref: signedPath(organisationsCsvPath(ctx, period, scope)) },
      training: { rows: trainingTableRows(training), csvHref: signedPath(trainingCsvPath(ctx, period, scope)) },
      nonce,
    });
    res
      .writeHead(200, {
        ...baseHeaders,
        "content-type": "text/html; charset=utf-8",
        "content-security-policy": `default-src 'none'; style-src 'nonce-${nonce}'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
      })
      .end(page);
  };
}

/** What a section says about the filters it doesn't follow. */
function asidesFor(section: InsightSection, principleChosen: boolean): ShownSection["asides"] {
  if (section.key === "pulses") return ["These are for the whole network, whatever the filters: results show only for groups big enough to keep answers anonymous."];
  if (principleChosen && section.key !== "work") return ["The principle filter doesn't change these: only updates are tagged with principles."];
  return [];
}

async function drawSvg(chart: Chart): Promise<string> {
  // Vega and Vega-Lite take a moment to load, so they load with the first page asked for.
  const { renderChartSvg } = await import("../../charts/render-chart.js");
  return renderChartSvg(chart);
}

function refusal(res: ServerResponse, status: number, title: string, detail: string): void {
  const body = html`<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head>
<body><main><h1>${title}</h1><p>${detail}</p></main></body></html>`;
  res
    .writeHead(status, { ...baseHeaders, "content-type": "text/html; charset=utf-8", "content-security-policy": "default-src 'none'; base-uri 'none'; frame-ancestors 'none'" })
    .end(body.text);
}
