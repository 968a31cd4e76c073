import type { IncomingMessage, ServerResponse } from "node:http";
import { HTTPReceiverDeferredRequestError, type HTTPReceiver } from "@slack/bolt";
import { jsonObject, readBody } from "../../src/http/read-body.js";
import { refuse } from "../../src/http/respond.js";
import type { RequestHandler } from "../../src/http/route.js";
import type { Logger } from "../../src/log.js";

/**
 * Reads the body first, within a size limit, and hands Bolt only bodies it can read: Bolt parses them
 * in a promise of its own that nothing awaits, so a signed `payload=null` once took the process down.
 * Bolt's listener then answers through `res` on its own schedule; this resolves once the response is done.
 */
export function requestHandler(receiver: HTTPReceiver, log: Logger): RequestHandler {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req, res);
    if (!body) return;
    if (!readableBySlack(req.headers["content-type"], body.toString("utf8"))) {
      log.warn({ contentType: req.headers["content-type"], bytes: body.length }, "refused a Slack request that can't be read");
      return refuse(res, 400, "Expected a Slack request: a form or a JSON object.");
    }
    // Bolt reads a request it finds already buffered from `rawBody`, and still checks its signature.
    Object.assign(req, { rawBody: body });
    await new Promise<void>((resolve) => {
      res.once("close", () => resolve());
      try {
        receiver.requestListener(req, res);
      } catch (error) {
        if (!(error instanceof HTTPReceiverDeferredRequestError)) throw error;
        refuse(res, 404, "not found");
      }
    });
  };
}

/**
 * Whether Bolt can read this body as it parses one: a form (a slash command, or an interaction's
 * `payload`, which must be a JSON object), or else a JSON object (Events API).
 */
function readableBySlack(contentType: string | undefined, text: string): boolean {
  if (contentType === "application/x-www-form-urlencoded") {
    const payload = new URLSearchParams(text).get("payload");
    return payload === null || jsonObject(payload) !== undefined;
  }
  return jsonObject(text) !== undefined;
}
