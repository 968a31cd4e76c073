// The bot as `npm start` runs it: a real child process, ready when it logs so.
import { spawn, type ChildProcess, type ChildProcessWithoutNullStreams } from "node:child_process";

export interface Running {
  child: ChildProcessWithoutNullStreams;
  url: string;
  logs: Record<string, unknown>[];
}

export const baseEnv = { PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info", DATABASE_URL: "", TI_NETWORK_NAME: "Somerset network" };

export async function startBot(env: Record<string, string>): Promise<Running> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], { env: { ...process.env, ...baseEnv, ...env } });
  const logs: Record<string, unknown>[] = [];
  return { child, url: await whenReady(child, logs), logs };
}

/** Collects the child's JSON log lines into `logs` and resolves with its URL once it logs that it is ready. */
export function whenReady(child: ChildProcess, logs: Record<string, unknown>[]): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) {
        const entry = JSON.parse(line) as Record<string, unknown>;
        logs.push(entry);
        if (typeof entry.url === "string" && String(entry.msg).includes("is ready")) resolve(entry.url);
      }
    });
    child.once("exit", (code) => reject(new Error(`the bot exited with ${code} before it was ready`)));
  });
}

export function stopBot(running: Running, signal: NodeJS.Signals = "SIGTERM"): Promise<number | null> {
  return new Promise((resolve) => {
    // "close", not "exit": its last log lines may still be in the pipe when the process has exited.
    running.child.once("close", (code) => resolve(code));
    running.child.kill(signal);
  });
}

