import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../log.js";
import { requestContext } from "./request-context.js";
import { refuse, sendJson } from "./respond.js";
import type { RequestHandler } from "./route.js";


/** Ids a load balancer or platform may send along, kept when they look like ids. */
const requestIdHeader = /^[\w.:-]{1,100}$/;

export interface HttpServerOptions {
  routes: Map<string, RequestHandler>;
  /** GET routes served under a path prefix (signed download links). */
  prefixes?: Map<string, RequestHandler>;
  /** Resolves when the service can do its work (the database answers). */
  health: () => Promise<{ database: string }>;
  log: Logger;
  /** A route that has not answered by then never will: the client gets a 503 rather than a hung socket. */
  answerWithinMs?: number;
}

export interface HttpServer {
  readonly server: Server;
  listen(port: number, host: string): Promise<AddressInfo>;
  /** Stops accepting, lets in-flight requests finish, then resolves. */
  close(): Promise<void>;
}


/** One server for every platform: `/slack/events`, `/api/messages` and `GET /healthz`. */
export function createHttpServer({ routes, prefixes = new Map(), health, log, answerWithinMs = 15_000 }: HttpServerOptions): HttpServer {
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (path === "/healthz") {
      if (req.method !== "GET" && req.method !== "HEAD") return refuse(res, 405, "method not allowed");
      try {
        sendJson(res, 200, { status: "ok", ...(await health()) });
      } catch (error) {
        log.error({ err: error }, "health check failed");
        sendJson(res, 503, { status: "unavailable" });
      }
      return;
    }
    for (const [prefix, handler] of prefixes) if (path.startsWith(prefix)) return handler(req, res);
    const route = routes.get(path);
    if (!route) return refuse(res, 404, "not found");
    if (req.method !== "POST") return refuse(res, 405, "method not allowed");
    await route(req, res);
  }

  // Whatever a route throws, synchronously or not, is answered and logged here; the server keeps serving.
  const server = createServer((req, res) => {
    const started = process.hrtime.bigint();
    const given = req.headers["x-request-id"];
    const requestId = typeof given === "string" && requestIdHeader.test(given) ? given : randomUUID();
    res.setHeader("x-request-id", requestId);
    requestContext.run({ requestId }, () => {
      const unanswered = setTimeout(() => {
        log.error({ url: req.url }, "request not answered in time");
        if (!res.headersSent) refuse(res, 503, "not answered in time");
      }, answerWithinMs);
      res.on("close", () => clearTimeout(unanswered));
      res.on("finish", () => {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        log.debug({ method: req.method, url: req.url, status: res.statusCode, ms: Math.round(ms * 10) / 10 }, "request");
      });
      const failed = (error: unknown) => {
        log.error({ err: error, url: req.url }, "request failed");
        if (!res.headersSent) refuse(res, 500, "internal error");
        else res.end();
      };
      // `handle` is async: a route throwing at once rejects it just as one failing later does.
      handle(req, res).catch(failed);
    });
  });
  server.keepAliveTimeout = 65_000;

  return {
    server,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          server.off("error", reject);
          resolve(server.address() as AddressInfo);
        });
      }),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
