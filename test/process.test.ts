// The bot as `npm start` runs it: a real process on its embedded database, stopped with SIGTERM and
// started again on the same data directory.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeConnector, teamsCardSubmit, teamsMessage, teamsUser, type FakeConnector } from "./support/fake-connector.js";

interface Running {
  child: ChildProcessWithoutNullStreams;
  url: string;
  logs: Record<string, unknown>[];
}

const baseEnv = { PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info", DATABASE_URL: "", TI_NETWORK_NAME: "Somerset network" };

function startBot(env: Record<string, string>): Promise<Running> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], { env: { ...process.env, ...baseEnv, ...env } });
  const logs: Record<string, unknown>[] = [];
  return new Promise((resolve, reject) => {
    let buffered = "";
    child.stdout.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) {
        const entry = JSON.parse(line) as Record<string, unknown>;
        logs.push(entry);
        if (typeof entry.url === "string" && String(entry.msg).includes("is ready")) resolve({ child, url: entry.url, logs });
      }
    });
    child.once("exit", (code) => reject(new Error(`the bot exited with ${code} before it was ready`)));
  });
}

function stopBot(running: Running, signal: NodeJS.Signals = "SIGTERM"): Promise<number | null> {
  return new Promise((resolve) => {
    running.child.once("exit", (code) => resolve(code));
    running.child.kill(signal);
  });
}

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
    expect(second.logs.find((entry) => Array.isArray(entry.migrationsApplied))?.migrationsApplied).toEqual([]);
    const profile = JSON.stringify(await send(second, teamsMessage(connector.url, sam, "me")));
    expect(profile).toContain("Trained 30 ward staff in trauma-informed care");
    expect(profile).toContain("Somerset NHS Foundation Trust");
    expect(await stopBot(second, "SIGINT")).toBe(0);
  }, 60_000);
});
