// The floor `npm run bench:ack` measures the bot against: a bare Bolt app (HTTPReceiver, signature check)
// that stores each `/ti` command's text with one INSERT, through `pg` on PostgreSQL (DATABASE_URL) or
// PGlite on its data directory (DATA_DIR), and answers one Block Kit section. Run as its own process by
// the bench, so its time to healthy and RSS compare with the bot's. Nothing in the bot uses it.
import { PGlite } from "@electric-sql/pglite";
import bolt from "@slack/bolt";
import pg from "pg";

const { App, HTTPReceiver, LogLevel } = bolt;

interface Store {
  insert(values: string[]): Promise<unknown>;
  close(): Promise<void>;
}

const createTable = `CREATE TABLE IF NOT EXISTS ack_floor (id bigserial PRIMARY KEY, trigger_id text NOT NULL UNIQUE, team_id text NOT NULL, user_id text NOT NULL, text text NOT NULL)`;
const insert = `INSERT INTO ack_floor (trigger_id, team_id, user_id, text) VALUES ($1, $2, $3, $4)`;

async function openStore(): Promise<Store> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const pool = new pg.Pool({ connectionString: url });
    await pool.query(createTable);
    return { insert: (values) => pool.query(insert, values), close: () => pool.end() };
  }
  const db = await PGlite.create(process.env.DATA_DIR!);
  await db.exec(createTable);
  return { insert: (values) => db.query(insert, values), close: () => db.close() };
}

const store = await openStore();
const receiver = new HTTPReceiver({
  signingSecret: process.env.SLACK_SIGNING_SECRET!,
  endpoints: "/slack/events",
  customRoutes: [{ path: "/healthz", method: ["GET"], handler: (_req, res) => void res.writeHead(200).end("ok") }],
});
const app = new App({ receiver, authorize: async () => ({ botToken: "xoxb-bench" }), logLevel: LogLevel.WARN });
app.command("/ti", async ({ command, ack }) => {
  await store.insert([command.trigger_id, command.team_id, command.user_id, command.text]);
  await ack({ response_type: "ephemeral", blocks: [{ type: "section", text: { type: "mrkdwn", text: `Thanks, your update is saved: ${command.text}` } }] });
});
await receiver.start({ port: Number(process.env.PORT), host: process.env.HOST ?? "127.0.0.1" });
process.once("SIGTERM", () => void receiver.stop().then(() => store.close()).then(() => process.exit(0)));
