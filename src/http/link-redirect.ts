import type { IncomingMessage, ServerResponse } from "node:http";
import { clickLinkDays, clickPathPrefix, followLink, readClickPath } from "../core/broadcasts/broadcast-links.js";
import type { CoreContext } from "../core/kernel/context.js";
import { html, type Html } from "./dashboard/html.js";
import type { LinkCheck } from "./signed-links.js";

export const linkRedirectPrefix = clickPathPrefix;

/**
 * Link previews (Slack's unfurler, Teams' and Skype's previewer, other crawlers) fetch a link without
 * anyone clicking it: they are sent on, not counted.
 */
const previewAgents = /bot\b|bot-|crawl|spider|preview|Slack-ImgProxy|facebookexternalhit|WhatsApp/i;

/**
 * `GET /l/<broadcast>/<link>/<delivery>?expires=…&signature=…`: a link in a broadcast, counted once per
 * message and link, then a 302 to the link's original https address, read from the database. A forged
 * or altered link gets 403 and goes nowhere; an expired one (after {@link clickLinkDays} days) a kind
 * page with the original link on it, so nothing is lost; a link the network doesn't have, 404.
 */
export function createLinkRedirect(ctx: CoreContext, links: { check(url: URL): LinkCheck }) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== "GET" && req.method !== "HEAD") return page(res, 405, "Not available", html`<p>This address only opens links.</p>`);
    const url = new URL(req.url ?? "/", "http://localhost");
    const click = readClickPath(url.pathname);
    const checked = click ? links.check(url) : ({ ok: false, status: 403 } as const);
    if (!click || (!checked.ok && checked.status === 403)) {
      return page(res, 403, "This link isn't valid", html`<p>This link isn't one the bot made, or part of it was changed, so it doesn't lead anywhere. Please open the link from the message itself.</p>`);
    }
    // Past its expiry the signature was still right (the check says 403 otherwise), so the path is the bot's own.
    const expired = !checked.ok;
    const counted = !expired && req.method === "GET" && !previewAgents.test(req.headers["user-agent"] ?? "");
    const target = await followLink(ctx, click, { count: counted });
    if (!target) return page(res, 404, "Link not found", html`<p>The announcement this link was in no longer has it. Nothing else is wrong.</p>`);
    if (expired) {
      return page(
        res,
        410,
        "This link has expired",
        html`<p>Links in announcements go through the network's bot for ${clickLinkDays} days, so it can count how many people found them useful. This one is older than that, but here is where it led:</p>
<p><a href="${target}" rel="noreferrer">${target}</a></p>`,
      );
    }
    res.writeHead(302, { location: target, "cache-control": "no-store", "referrer-policy": "no-referrer" }).end();
  };
}

function page(res: ServerResponse, status: number, title: string, body: Html): void {
  const document = html`<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head>
<body><main><h1>${title}</h1>${body}</main></body></html>`;
  res
    .writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", "referrer-policy": "no-referrer" })
    .end(document.toString());
}
