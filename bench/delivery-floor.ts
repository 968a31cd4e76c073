// The floor printed beside `npm run bench:delivery`'s ceiling: the same requests the dispatcher makes, to
// the same fake platforms, at the same concurrency, sent by a process that does nothing else
// (bench/delivery-floor-worker.ts: undici.request through a keep-alive pool). The dispatcher's figure over
// this one is what claiming, pacing, rendering and recording cost on top of the HTTP itself.
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { renderMessage } from "../adapters/slack/render.js";
import { cardActivity } from "../adapters/teams/render.js";
import type { Message } from "../src/core/kernel/view.js";
import type { SeededMember } from "../test/support/seed.js";
import type { Platforms } from "./delivery-platforms.js";

export interface FloorRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface FloorResult {
  sends: number;
  ms: number;
  /** CPU the sender process used per request, in ms (user + system). */
  cpuMsPerSend: number;
  failed: number;
}

/** One request per member, as the Slack and Teams outbounds build them for `view`. */
export function floorRequests(platforms: Platforms, members: readonly SeededMember[], view: Message): FloorRequest[] {
  const slackBlocks = renderMessage(view);
  const card = cardActivity(view);
  const slackApiUrl = platforms.slackApiUrl.endsWith("/") ? platforms.slackApiUrl : `${platforms.slackApiUrl}/`;
  return members.map((member): FloorRequest =>
    member.platform === "slack"
      ? {
          url: `${slackApiUrl}chat.postMessage`,
          headers: { "content-type": "application/json; charset=utf-8", authorization: "Bearer xoxb-bench" },
          body: JSON.stringify({ channel: member.userId, ...slackBlocks }),
        }
      : {
          url: `${platforms.teamsServiceUrl}v3/conversations/${encodeURIComponent(member.conversationId!)}/activities`,
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            ...card,
            channelId: "msteams",
            locale: "en-GB",
            conversation: { id: member.conversationId, conversationType: "personal", tenantId: member.workspaceId, isGroup: false },
            from: { id: "28:bot", name: "TI Champions" },
            recipient: { id: member.userId, name: "Person" },
          }),
        },
  );
}

const workerScript = fileURLToPath(new URL("./delivery-floor-worker.ts", import.meta.url));

/** Sends `requests` from a process of its own, `concurrency` at a time. */
export async function runFloor(requests: readonly FloorRequest[], concurrency: number): Promise<FloorResult> {
  const dir = await mkdtemp(path.join(tmpdir(), "ti-bench-floor-"));
  const file = path.join(dir, "requests.json");
  await writeFile(file, JSON.stringify({ requests, concurrency }));
  try {
    const child = spawn(process.execPath, ["--import", "tsx", workerScript, file], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    if (code !== 0) throw new Error(`the floor sender exited with code ${code}`);
    return JSON.parse(out) as FloorResult;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
