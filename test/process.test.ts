// The bot as `npm start` runs it: a real process on its embedded database, stopped with SIGTERM and
// started again on the same data directory.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseEnv, startBot, stopBot, type Running } from "./support/process.js";
import { startFakeConnector, teamsCardSubmit, teamsMessage, teamsUser, type FakeConnector } from "./support/fake-connector.js";

describe("the bot as a process", () => {
  let dataDir: string;
  let connector: FakeConnector;
  const sam = teamsUser("Sam Jones");

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "ti-process-"));
    connector = await startFakeConnector();
  });
  afterAll(async () => {
    await connector?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function send(running: Running, activity: object) {
    const response = await fetch(`${running.url}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(activity),
    });
    expect(response.status).toBe(200);
    const call = await connector.nextCall();
    return call.activity.attachments![0]!.content as unknown as { body: { type: string; id?: string; text?: string }[]; actions?: { data?: object }[] };
  }

  it("stops at start-up on a bad setting, naming the variable", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], { env: { ...process.env, ...baseEnv, PORT: "eighty", DATA_DIR: dataDir } });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((resolve) => child.once("exit", resolve));
    expect(code).toBe(1);
    expect(stderr).toContain("PORT");
  });

  it("starts with no configuration, says which platforms are on, and keeps its data across a restart", async () => {
    const first = await startBot({ DATA_DIR: dataDir });
    // npm install left a migrated template; an empty data directory starts from it, with nothing to migrate.
    const opened = first.logs.find((entry) => entry.msg === "Database: embedded PGlite");
    expect(opened).toMatchObject({ fromTemplate: true, migrationsApplied: [] });
    expect(first.logs.some((entry) => String(entry.msg).startsWith("Slack is off"))).toBe(true);
    expect(first.logs.some((entry) => String(entry.msg).includes("Teams is on"))).toBe(true);
    const health = await fetch(`${first.url}/healthz`);
    expect(await health.json()).toEqual({ status: "ok", database: "pglite" });

    const joinCard = await send(first, teamsMessage(connector.url, sam, "join"));
    const submit = joinCard.actions!.find((action) => action.data)!.data!;
    await send(first, teamsCardSubmit(connector.url, sam, {
      ...submit,
      displayName: "Sam Jones",
      newOrganisation: "Somerset NHS Foundation Trust",
      sector: "health",
      role: "champion",
    }));
    await send(first, teamsMessage(connector.url, sam, "update Trained 30 ward staff in trauma-informed care #safety"));
    expect(await stopBot(first)).toBe(0);
    expect(first.logs.at(-1)?.msg).toBe("Stopped");

    const second = await startBot({ DATA_DIR: dataDir });
    expect(second.logs.find((entry) => entry.msg === "Database: embedded PGlite")).toMatchObject({ fromTemplate: false, migrationsApplied: [] });
    const profile = JSON.stringify(await send(second, teamsMessage(connector.url, sam, "me")));
    expect(profile).toContain("Trained 30 ward staff in trauma-informed care");
    expect(profile).toContain("Somerset NHS Foundation Trust");
    expect(await stopBot(second, "SIGINT")).toBe(0);
  }, 120_000);
});
