// The dispatcher process of `npm run bench:delivery`: the delivery dispatcher wired as src/app.ts wires
// it, with the real Slack and Teams outbounds, configured from the environment as `npm start` is
// (DATABASE_URL or DATA_DIR, SLACK_API_URL, TI_* limits). The benchmark runs the fake platforms, may
// kill -9 this process, and reads its reports (every 500 ms) over IPC; "stop" stops it as SIGTERM
// stops the bot.
import path from "node:path";
import { webApi } from "@slack/bolt";
import { createSlackOutbound, slackOutboundClient } from "../adapters/slack/send.js";
import { createTeamsOutbound } from "../adapters/teams/send.js";
import { loadConfig } from "../src/config.js";
import { openDatabase } from "../src/db/database.js";
import { createDispatcher } from "../src/delivery/dispatcher.js";
import { defaultRetryPolicy } from "../src/delivery/retry.js";
import { createLogger } from "../src/log.js";

export type WorkerReport = { type: "started"; at: number } | { type: "progress"; unsettled: number; sending: number };

const report = (message: WorkerReport) => process.send?.(message);

const config = loadConfig();
const log = createLogger(config.LOG_LEVEL);
const db = await openDatabase(config.DATABASE_URL ? { kind: "postgres", url: config.DATABASE_URL } : { kind: "pglite", dataDir: path.resolve(config.DATA_DIR) });

// The Slack adapter's own client options (adapters/slack/index.ts), less its pino bridge.
const slackClient = slackOutboundClient(config.SLACK_BOT_TOKEN ?? "xoxb-bench", {
  ...(config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL } : {}),
  logLevel: webApi.LogLevel.ERROR,
  timeout: 10_000,
});
const dispatcher = createDispatcher({
  prisma: db.prisma,
  outbound: {
    slack: createSlackOutbound(slackClient, log.child({ platform: "slack" })),
    teams: createTeamsOutbound({ appId: config.MICROSOFT_APP_ID }),
  },
  limits: {
    teams: { perWorkspace: config.TI_TEAMS_TENANT_RATE, perConversation: config.TI_TEAMS_CONVERSATION_RATE },
    slack: { perWorkspace: config.TI_SLACK_WORKSPACE_RATE, perConversation: config.TI_SLACK_CHANNEL_RATE },
  },
  retry: { ...defaultRetryPolicy, maxAttempts: config.TI_DELIVERY_MAX_ATTEMPTS },
  concurrency: config.TI_DELIVERY_CONCURRENCY,
  leaseMs: config.TI_DELIVERY_LEASE_SECONDS * 1000,
  log: log.child({ part: "delivery" }),
});

let watching = true;
async function watch(): Promise<void> {
  while (watching) {
    const rows = await db.prisma.$queryRaw<{ status: string; count: bigint }[]>`
      SELECT "status"::text AS "status", count(*) AS "count" FROM "Delivery"
      WHERE "status" IN ('queued', 'sending', 'retrying') GROUP BY "status"`;
    const count = (status: string) => Number(rows.find((row) => row.status === status)?.count ?? 0);
    report({ type: "progress", unsettled: count("queued") + count("sending") + count("retrying"), sending: count("sending") });
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

dispatcher.start();
report({ type: "started", at: Date.now() });
const watcher = watch();
// Never outlive the benchmark that started it.
process.on("disconnect", () => process.exit(1));

process.on("message", (message) => {
  if (message !== "stop") return;
  watching = false;
  void (async () => {
    await watcher;
    await dispatcher.stop();
    await db.close();
    process.exit(0);
  })();
});
