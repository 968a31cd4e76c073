// The whole bot on a real database, listening on 127.0.0.1, with a fake Slack Web API beside it.
import { createApp, type App } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/log.js";
import { testWorkspaceRows, testWorkspaces } from "./core-context.js";
import { createTestDatabase, type TestDatabase } from "./database.js";
import { startFakeSlack, type FakeSlack } from "./fake-slack.js";

export const slackSigningSecret = "test-signing-secret";

export interface TestApp {
  url: string;
  app: App;
  db: TestDatabase;
  slack: FakeSlack;
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  /** Reuse a database (to restart the bot on the same data); it is then not destroyed on close. */
  db?: TestDatabase;
  now?: () => Date;
  /** A fake Slack of the test's own (with limits, say); closed by the test. */
  slack?: FakeSlack;
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const slack = options.slack ?? (await startFakeSlack());
  const db = options.db ?? (await createTestDatabase());
  const config = loadConfig({
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: "silent",
    SLACK_SIGNING_SECRET: slackSigningSecret,
    SLACK_BOT_TOKEN: "xoxb-test",
    SLACK_API_URL: slack.url,
    // Tests send far more commands a minute than a person does; the pacing test sets its own limit.
    TI_COMMANDS_PER_MINUTE: "1000",
    // Tests about other things use a Slack workspace and a Teams tenant at once; the workspaces test sets its own.
    TI_ALLOWED_WORKSPACES: testWorkspaces.join(","),
    ...options.env,
  });
  // Retries a few hundred milliseconds apart, so tests of retrying take moments, not minutes.
  const app = await createApp({ config, db, log: createLogger(config.LOG_LEVEL), now: options.now, retry: { baseMs: 200, maxMs: 1_000 } });
  // As the migration does for a network that has run before: its workspaces are on record, approved, so
  // a test's first (even refused) request records nothing new. The workspaces test sets its own list.
  if (options.env?.TI_ALLOWED_WORKSPACES === undefined) {
    const network = await db.prisma.network.findFirstOrThrow({ orderBy: { createdAt: "asc" } });
    await db.prisma.workspace.createMany({ data: testWorkspaceRows.map((row) => ({ ...row, networkId: network.id, status: "approved" as const, decidedAt: new Date() })), skipDuplicates: true });
  }
  const address = await app.start();
  return {
    url: `http://127.0.0.1:${address.port}`,
    app,
    db,
    slack,
    async close() {
      await app.stop();
      if (!options.slack) await slack.close();
      if (!options.db) await db.destroy();
    },
  };
}
