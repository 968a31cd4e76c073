import type { IncomingMessage, ServerResponse } from "node:http";
import { refuse } from "./respond.js";

/** Slack's and Bot Framework's requests are small; anything larger is not one of theirs. */
export const maxBodyBytes = 1024 * 1024;

/** Deeper than any payload Slack or Teams sends; deep enough nesting makes parsers and renderers recurse. */
export const maxJsonDepth = 64;

/**
 * The request's body; or, as soon as it passes {@link maxBodyBytes} (without reading the rest), a 413
 * answered and undefined.
 */
export async function readBody(req: IncomingMessage, res: ServerResponse): Promise<Buffer | undefined> {
  const tooLarge = () => void refuse(res.setHeader("connection", "close"), 413, "Request body is too large.");
  if (Number(req.headers["content-length"]) > maxBodyBytes) return tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) return tooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * A JSON object read from `text`, or undefined for anything else: unreadable, nested deeper than
 * {@link maxJsonDepth}, or valid JSON that is not an object (`null`, a number, a list).
 *
 * @example
 * jsonObject('{"type":"message"}') // { type: "message" }
 * jsonObject("null")               // undefined
 */
export function jsonObject(text: string): Record<string, unknown> | undefined {
  if (!nestingWithin(text, maxJsonDepth)) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Whether JSON text nests objects and lists no deeper than `maxDepth`, counted in one pass without parsing. */
export function nestingWithin(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === 0x5c) index++;
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x7b || char === 0x5b) {
      if (++depth > maxDepth) return false;
    } else if (char === 0x7d || char === 0x5d) depth--;
  }
  return true;
}
