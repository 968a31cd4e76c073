// The bot as a child process (as process.ts starts it) that answers over IPC which packages it has loaded
// (Node's CommonJS module cache, where each package lands however it is imported), with code of the
// test's preloaded before it starts (e.g. a module resolve hook that makes a package fail to load).
import { spawn } from "node:child_process";
import { baseEnv, whenReady } from "./process.js";

// Preloaded into the bot. unref: the channel must not keep the process alive once it stops.
const probe = `
import { createRequire } from "node:module";
const cache = createRequire(process.cwd() + "/").cache;
process.on("message", (packages) => {
  const files = Object.keys(cache);
  process.send(packages.filter((name) => files.some((file) => file.includes("/node_modules/" + name + "/"))));
});
process.channel.unref();
`;

export interface ProbedBot {
  url: string;
  logs: Record<string, unknown>[];
  /** Which of `packages` the bot has loaded. */
  loaded(packages: string[]): Promise<string[]>;
  stop(): Promise<void>;
}

/** Starts the bot with `env` over the test defaults, each of `preloads` (ES module source) imported before it. */
export function startProbedBot(env: Record<string, string>, preloads: string[] = []): Promise<ProbedBot> {
  const imports = [probe, ...preloads].flatMap((code) => ["--import", `data:text/javascript,${encodeURIComponent(code)}`]);
  const child = spawn(process.execPath, ["--import", "tsx", ...imports, "src/main.ts"], {
    env: { ...process.env, ...baseEnv, ...env },
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  const logs: Record<string, unknown>[] = [];
  const bot = (url: string): ProbedBot => ({
    url,
    logs,
    loaded: (packages) =>
      new Promise((resolve) => {
        child.once("message", (loaded) => resolve(loaded as string[]));
        child.send(packages);
      }),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("close", () => resolve());
        child.kill("SIGTERM");
      }),
  });
  return whenReady(child, logs).then(bot);
}
