import type { IncomingMessage, ServerResponse } from "node:http";
import type { Outbound } from "../delivery/outbound.js";

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** A platform adapter as the HTTP server and main.ts see it. */
export interface PlatformAdapter {
  readonly platform: "slack" | "teams";
  /** The HTTP route it serves, if it is reached over HTTP (Slack in Socket Mode is not). */
  readonly route?: { path: string; handler: RequestHandler };
  /** Sends what the bot says first (deliveries); see `Outbound`. */
  readonly outbound: Outbound;
  /** Starts any connection of its own (Slack Socket Mode). */
  start?(): Promise<void>;
  stop(): Promise<void>;
}
