import type { ServerResponse } from "node:http";

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

/** A refusal every route answers the same way: the status, and `{ error }` saying why in a sentence. */
export function refuse(res: ServerResponse, status: number, error: string): void {
  sendJson(res, status, { error });
}
