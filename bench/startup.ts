// Start-up time and memory: the bot started as `npm start` starts it (its prestart build once, then its
// start command), on a fresh database each time and then again on the same one, beside a bare Bolt
// process (HTTPReceiver and one route) as the floor. Prints the median time from spawn to the first
// healthy GET /healthz, and the resident memory (RSS) at that moment.
//
//   npm run bench:startup                                    PGlite
//   BENCH_DATABASE_URL=postgresql://... npm run bench:startup  PGlite and PostgreSQL
//   BENCH_RUNS=5 (default)
//   BENCH_START_COMMAND="node --import tsx src/main.ts"   another start command, to compare
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { get } from "node:http";
import { createServer } from "node:net";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";

const runs = Number(process.env.BENCH_RUNS ?? 5);
const serverUrl = process.env.BENCH_DATABASE_URL;
const scripts = (JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> }).scripts;

// The floor: what any Bolt app pays to be up, with nothing of ours loaded.
const bareBolt = `
import bolt from "@slack/bolt";
const receiver = new bolt.HTTPReceiver({ signingSecret: "floor", customRoutes: [{ path: "/healthz", method: ["GET"], handler: (_req, res) => { res.writeHead(200, { "content-type": "application/json" }); res.end('{"status":"ok"}'); } }] });
const app = new bolt.App({ token: "xoxb-floor", signingSecret: "floor", receiver, tokenVerificationEnabled: false });
await app.start(Number(process.env.PORT));
process.on("SIGTERM", () => app.stop().then(() => process.exit(0)));
`;

interface Start {
  ms: number;
  rssMb: number;
}

function nodeArgs(script: string): string[] {
  const [command, ...args] = script.split(" ");
  if (command !== "node") throw new Error(`expected the script to run node: ${script}`);
  return args;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function healthy(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const request = get({ host: "127.0.0.1", port, path: "/healthz", agent: false, timeout: 1_000 }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode === 200));
    });
    request.on("timeout", () => request.destroy());
    request.on("error", () => resolve(false));
  });
}

function rssMb(pid: number): number {
  const kb = Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]);
  return kb / 1024;
}

/** Spawns `args`, polls /healthz every 20 ms, reads RSS at the first 200, then stops the process. */
async function timeStart(args: string[], env: Record<string, string>): Promise<Start> {
  const port = await freePort();
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, args, { env: { ...process.env, LOG_LEVEL: "info", ...env, PORT: String(port), HOST: "127.0.0.1" }, stdio: ["ignore", "ignore", "inherit"] });
  let exited = false;
  child.once("exit", () => (exited = true));
  while (!(await healthy(port))) {
    if (exited) throw new Error(`exited before it was healthy: ${args.join(" ")}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const result = { ms: performance.now() - started, rssMb: rssMb(child.pid!) };
  const stopped = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await stopped;
  return result;
}

interface FreshDatabase {
  env: Record<string, string>;
  drop(): Promise<void>;
}

async function freshPglite(): Promise<FreshDatabase> {
  const dir = await mkdtemp(path.join(tmpdir(), "ti-bench-startup-"));
  return { env: { DATABASE_URL: "", DATA_DIR: dir }, drop: () => rm(dir, { recursive: true, force: true }) };
}

async function freshPostgres(): Promise<FreshDatabase> {
  const name = `ti_bench_startup_${randomUUID().replace(/-/g, "").slice(0, 12)}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl!);
  url.pathname = `/${name}`;
  return { env: { DATABASE_URL: url.toString() }, drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

function row(label: string, starts: Start[]): string {
  const ms = starts.map((start) => start.ms);
  const rss = starts.map((start) => start.rssMb);
  return `${label.padEnd(34)} ${String(Math.round(median(ms))).padStart(6)} ms  (${Math.round(Math.min(...ms))}-${Math.round(Math.max(...ms))})   ${String(Math.round(median(rss))).padStart(4)} MB  (${Math.round(Math.min(...rss))}-${Math.round(Math.max(...rss))})`;
}

const build = spawnSync(process.execPath, nodeArgs(scripts.prestart!), { stdio: "inherit" });
if (build.status !== 0) process.exit(build.status ?? 1);
const start = nodeArgs(process.env.BENCH_START_COMMAND ?? scripts.start!);

const lines: string[] = [];
const before = loadavg();
const floor: Start[] = [];
for (let run = 0; run < runs; run++) floor.push(await timeStart(["--input-type=module", "-e", bareBolt], {}));
lines.push(row("bare Bolt (HTTPReceiver + 1 route)", floor));

const targets: [string, () => Promise<FreshDatabase>][] = [["PGlite", freshPglite]];
if (serverUrl) targets.push(["PostgreSQL", freshPostgres]);
for (const [name, fresh] of targets) {
  const first: Start[] = [];
  const again: Start[] = [];
  for (let run = 0; run < runs; run++) {
    const database = await fresh();
    try {
      first.push(await timeStart(start, database.env));
      again.push(await timeStart(start, database.env));
    } finally {
      await database.drop();
    }
  }
  lines.push(row(`bot, ${name}, fresh database`, first));
  lines.push(row(`bot, ${name}, restart (migrated)`, again));
}

console.log(`\n${runs} runs each; median (min-max) time from spawn to a healthy /healthz, and RSS then`);
console.log(`command: node ${start.join(" ")}; Node ${process.version}`);
for (const line of lines) console.log(line);
console.log(`load average before ${before.map((load) => load.toFixed(2)).join(" ")}, after ${loadavg().map((load) => load.toFixed(2)).join(" ")}`);
