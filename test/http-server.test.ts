// The one HTTP server, whatever its routes do: a route that throws (at once or later) is answered 500
// and the server keeps serving; one that never answers gets a 503; every answer carries a request id.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpServer, type HttpServer } from "../src/http/server.js";
import type { RequestHandler } from "../src/http/route.js";
import { createLogger } from "../src/log.js";

let server: HttpServer;
let url: string;

const routes = new Map<string, RequestHandler>([
  ["/throws", () => { throw new Error("thrown at once"); }],
  ["/rejects", async () => { await new Promise((resolve) => setTimeout(resolve, 5)); throw new Error("thrown later"); }],
  ["/hangs", () => new Promise<void>(() => undefined)],
  ["/answers", async (_req, res) => void res.writeHead(200).end("ok")],
]);

beforeAll(async () => {
  server = createHttpServer({ routes, health: async () => ({ database: "none" }), log: createLogger("silent"), answerWithinMs: 200 });
  url = `http://127.0.0.1:${(await server.listen(0, "127.0.0.1")).port}`;
});

afterAll(async () => {
  await server?.close();
});

const post = (path: string, headers: Record<string, string> = {}) => fetch(`${url}${path}`, { method: "POST", headers });

describe("the HTTP server", () => {
  it("answers a route that throws, at once or later, with 500, and keeps serving", async () => {
    for (const path of ["/throws", "/rejects"]) {
      const response = await post(path);
      expect(response.status).toBe(500);
      expect(await response.json()).toEqual({ error: "internal error" });
    }
    expect((await post("/answers")).status).toBe(200);
  });

  it("answers a route that never does with 503 once its time is up", async () => {
    const response = await post("/hangs");
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ error: "not answered in time" });
  });

  it("gives every answer a request id, keeping one the caller sent when it looks like an id", async () => {
    expect((await post("/answers")).headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect((await post("/answers", { "x-request-id": "lb-1234" })).headers.get("x-request-id")).toBe("lb-1234");
    expect((await post("/answers", { "x-request-id": "not an id; <script>" })).headers.get("x-request-id")).not.toContain("script");
  });
});
