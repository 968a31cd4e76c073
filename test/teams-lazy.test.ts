// botbuilder and its kin (~1.3 s of CPU and ~57 MB) load at the first Teams request, not at start; undici
// at the first proactive send. The bot runs as a child process (as test/support/process.ts starts it) that answers over
// IPC which packages it has loaded (test/support/probed-bot.ts).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "./support/eventually.js";
import { startFakeConnector, teamsMessage, teamsUser, type FakeConnector } from "./support/fake-connector.js";
import { startProbedBot as startBot, type ProbedBot as Bot } from "./support/probed-bot.js";

const lazyPackages = ["botbuilder", "botframework-connector", "@azure/msal-node", "@microsoft/teams-ai"];

// Makes botbuilder fail to load, as a broken install would.
const brokenBotbuilder = `
import { register } from "node:module";
register("data:text/javascript," + encodeURIComponent(
  'export async function resolve(specifier, context, next) { if (specifier === "botbuilder") throw new Error("botbuilder is broken here"); return next(specifier, context); }'
));
`;

const post = (bot: Bot, activity: object) =>
  fetch(`${bot.url}/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(activity) });

describe("Teams' SDKs load at the first Teams request", () => {
  let dataDir: string;
  let connector: FakeConnector;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "ti-teams-lazy-"));
    connector = await startFakeConnector();
  });
  afterAll(async () => {
    await connector?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("starts without them, loads them once for the first two requests arriving together, and answers both", async () => {
    const bot = await startBot({ DATA_DIR: path.join(dataDir, "first") });
    try {
      expect(bot.logs.some((entry) => String(entry.msg).includes("Teams is on"))).toBe(true);
      // The probe sees packages our ES modules import: pino is, at start. undici waits for the first proactive send.
      expect(await bot.loaded(["pino", "undici", ...lazyPackages])).toEqual(["pino"]);
      expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
      expect(await bot.loaded(lazyPackages)).toEqual([]);

      const sam = teamsUser("Sam Jones");
      const alex = teamsUser("Alex Smith");
      const answers = await Promise.all([post(bot, teamsMessage(connector.url, sam, "help")), post(bot, teamsMessage(connector.url, alex, "help"))]);
      expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
      const replies = [await connector.nextCall(), await connector.nextCall()];
      expect(replies.map((reply) => reply.conversationId).sort()).toEqual([`a:${sam.aadObjectId}`, `a:${alex.aadObjectId}`].sort());
      expect(await bot.loaded(lazyPackages)).toEqual(lazyPackages);
      // A second load would log in the same turn as the first, so their lines arrive together.
      const loads = await eventually(async () => {
        const logged = bot.logs.filter((entry) => entry.msg === "loaded the Bot Framework for Teams");
        return logged.length > 0 && logged;
      }, { what: "the load logged" });
      expect(loads).toHaveLength(1);
    } finally {
      await bot.stop();
    }
  }, 60_000);

  it("answers 500 and keeps serving when botbuilder will not load", async () => {
    const bot = await startBot({ DATA_DIR: path.join(dataDir, "broken") }, [brokenBotbuilder]);
    try {
      const sam = teamsUser("Sam Jones");
      for (const attempt of [1, 2]) {
        const answer = await post(bot, teamsMessage(connector.url, sam, `help ${attempt}`));
        expect(answer.status).toBe(500);
        expect(await answer.json()).toEqual({ error: "Teams is not available on this bot just now; please try again shortly." });
      }
      // The answer can arrive before the log line, which comes through a pipe.
      const failures = await eventually(async () => {
        const logged = bot.logs.filter((entry) => entry.msg === "could not load the Bot Framework to answer a Teams request");
        return logged.length === 2 && logged;
      }, { what: "two logged failures to load" });
      expect(JSON.stringify(failures[0])).toContain("botbuilder is broken here");
      expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
    } finally {
      await bot.stop();
    }
  }, 60_000);
});
