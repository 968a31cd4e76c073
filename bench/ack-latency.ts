// `npm run bench`: how fast the bot acknowledges Slack. Starts the real bot (npm start's command) on a
// fresh database, sends signed `/ti update <text>` requests from autocannon at 50 connections for 10 s
// to 127.0.0.1, and prints requests/s, p50, p99, errors, time to ready and RSS; then checks every
// acknowledged update was stored exactly once. Runs on PGlite, and on PostgreSQL too when
// BENCH_DATABASE_URL (or DATABASE_URL) names a server where it may create a database.
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createServer } from "node:net";
import autocannon from "autocannon";
import { ensureNetwork } from "../src/core/network.js";
import { signSlackRequest } from "../test/support/fake-slack.js";
import { pgliteTarget, postgresTarget, type Target } from "./targets.js";

const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const signingSecret = "bench-signing-secret";
const team = "TBENCH";
const user = "UBENCH";


async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}



/** A joined champion to post as, so every request takes the full path: verify, parse, store, render. */
async function seedChampion(target: Target): Promise<void> {
  const db = await target.open();
  const network = await ensureNetwork(db.prisma, { name: "Bench network", timeZone: "Europe/London", sendingHours: "always" });
  const organisation = await db.prisma.organisation.create({ data: { networkId: network.id, name: "Bench Trust", sector: "health" } });
  await db.prisma.member.create({
    data: {
      networkId: network.id,
      displayName: "Bench Champion",
      role: "champion",
      organisationId: organisation.id,
      addresses: { create: { platform: "slack", workspaceId: team, userId: user } },
    },
  });
  await db.close();
}

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

async function waitUntilReady(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the bot exited with code ${child.exitCode}`);
    const healthy = await fetch(`${url}/healthz`).then((res) => res.ok, () => false);
    if (healthy) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error("the bot was not ready within 60 s");
}

async function run(target: Target) {
  await seedChampion(target);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    env: {
      ...process.env,
      ...target.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      SLACK_SIGNING_SECRET: signingSecret,
      SLACK_BOT_TOKEN: "xoxb-bench",
      SLACK_API_URL: "http://127.0.0.1:9/api/",
      ...(target.env.DATABASE_URL ? {} : { DATABASE_URL: "" }),
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  try {
    await waitUntilReady(url, child);
    const readyMs = Math.round(performance.now() - started);
    const rssAtReady = await rssMb(child.pid!);

    let sequence = 0;
    let peakRss = rssAtReady;
    const sampler = setInterval(() => void rssMb(child.pid!).then((mb) => (peakRss = Math.max(peakRss, mb))), 250);
    const result = await autocannon({
      url: `${url}/slack/events`,
      connections,
      duration: seconds,
      requests: [
        {
          method: "POST",
          setupRequest: (request) => {
            sequence += 1;
            const body = new URLSearchParams({
              command: "/ti",
              text: `update Bench update ${sequence}: ran a reflective practice session #safety #choice`,
              team_id: team,
              user_id: user,
              user_name: "bench",
              channel_id: "CBENCH",
              trigger_id: `bench.${sequence}.${randomUUID()}`,
              response_url: "http://127.0.0.1:9/response",
            }).toString();
            return { ...request, body, headers: { ...signSlackRequest(body, signingSecret), "content-type": "application/x-www-form-urlencoded" } };
          },
        },
      ],
    });
    clearInterval(sampler);

    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
    const db = await target.open();
    const stored = await db.prisma.update.count();
    const distinct = (await db.prisma.update.groupBy({ by: ["sourceRef"] })).length;
    await db.close();

    // autocannon stops counting when the clock runs out, but requests already sent (at most one per
    // connection) still reach the bot and are stored: so acked <= stored <= acked + connections.
    const acked = result["2xx"];
    const inFlight = stored - acked;
    const storedOnce = distinct === stored && inFlight >= 0 && inFlight <= connections;
    return {
      database: target.name,
      "requests/s": Math.round(result.requests.average),
      "p50 ms": result.latency.p50,
      "p99 ms": result.latency.p99,
      "max ms": result.latency.max,
      requests: result.requests.total,
      errors: result.errors + result.timeouts + result.non2xx,
      "ready ms": readyMs,
      "RSS ready MB": rssAtReady,
      "RSS peak MB": peakRss,
      "stored once": storedOnce ? `yes: ${stored} (${acked} acked + ${inFlight} in flight)` : `NO: ${acked} acked, ${stored} stored, ${distinct} distinct`,
    };
  } finally {
    if (child.exitCode === null) child.kill("SIGKILL");
    await target.cleanup();
  }
}

const rows = [];
rows.push(await run(await pgliteTarget()));
const postgresUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
if (postgresUrl) rows.push(await run(await postgresTarget(postgresUrl)));
else console.log("(PostgreSQL skipped: set BENCH_DATABASE_URL to a server where the bench may create a database.)");

console.log(`\nSlack acknowledgement latency: signed /ti update, ${connections} connections, ${seconds} s, Node ${process.version}`);
console.table(rows);
console.log("Goal: p99 under 50 ms (Slack allows 3,000 ms), zero errors, every update stored once.");
