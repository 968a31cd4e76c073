// `node --import tsx bench/pglite-thread.ts`: would the embedded database serve more `/ti update`s a second
// from a worker thread? A design question for issue 15 (bench/README.md, the "Still to do" list), not a
// measure of the bot. An HTTP server on 127.0.0.1 stores one update per request with the bot's two statements
// (recording the address, then the update and its two principles) on a fresh PGlite, after spinning for
// WORK_MS (default 0.5, about the bot's own CPU a request on the main thread besides the database). It runs
// with PGlite in the server's thread, as the bot does today, and in a worker thread, alternately
// (BENCH_PAIRS, default 2), each loaded by autocannon in its own process: 50 connections for 10 s.
// The two statements are written out below in the shapes record-address.ts and save-update.ts give them,
// rather than by calling those functions: the design measured moves only the statements to the worker and
// leaves the core's JavaScript on the server's thread, and the core's functions also need Prisma, which
// can only live beside PGlite.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker, isMainThread, parentPort } from "node:worker_threads";
import { openDatabase } from "../src/db/database.js";
import { benchTeam, benchUserId, seedChampions } from "./champions.js";

const workMs = Number(process.env.WORK_MS ?? 0.5);
const pairs = Number(process.env.BENCH_PAIRS ?? 2);
const people = 1000;

/** A fresh PGlite with the bench champions (champions.ts), and the update path's two statements on it. */
async function openUpdatePath() {
  const dataDir = mkdtempSync(path.join(tmpdir(), "ti-bench-thread-"));
  const db = await openDatabase({ kind: "pglite", dataDir });
  const { networkId: network, organisationId: organisation } = await seedChampions(db, people);
  const principles = (await db.prisma.principle.findMany({ where: { networkId: network }, orderBy: { position: "asc" }, take: 2, select: { id: true } })).map(({ id }) => id);
  async function saveUpdate(index: number): Promise<string> {
    const now = new Date();
    const userId = benchUserId(index % people);
    // The shape of record-address.ts's statement: read when unchanged, the member by its key.
    const [requester] = await db.sql<{ memberId: string }>`
      WITH unchanged AS (
        SELECT a."id", a."memberId" FROM "Address" a
        WHERE a."platform" = 'slack'::"Platform" AND a."workspaceId" = ${benchTeam} AND a."userId" = ${userId}
          AND a."active" AND a."lastSeenAt" > ${now}::timestamp - interval '1 minute' AND a."displayName" = 'bench'
      ), recorded AS (
        INSERT INTO "Address" ("id", "platform", "workspaceId", "userId", "displayName", "lastSeenAt", "active", "createdAt")
        SELECT ${randomUUID()}, 'slack'::"Platform", ${benchTeam}, ${userId}, 'bench', ${now}::timestamp, true, ${now}::timestamp
        WHERE NOT EXISTS (SELECT 1 FROM unchanged)
        ON CONFLICT ("platform", "workspaceId", "userId") DO UPDATE SET "lastSeenAt" = EXCLUDED."lastSeenAt"
        RETURNING "id", "memberId"
      ), address AS (SELECT "id", "memberId" FROM unchanged UNION ALL SELECT "id", "memberId" FROM recorded)
      SELECT member."id" AS "memberId" FROM address
      LEFT JOIN LATERAL (SELECT m."id" FROM "Member" m WHERE m."id" = address."memberId" LIMIT 1) member ON true`;
    // The shape of save-update.ts's statement.
    const [saved] = await db.sql<{ id: string }>`
      WITH inserted AS (
        INSERT INTO "Update" ("id", "networkId", "authorId", "organisationId", "text", "sourcePlatform", "sourceRef", "sharedWithNetwork", "createdAt")
        VALUES (${randomUUID()}, ${network}, ${requester!.memberId}, ${organisation}, 'Ran a session #safety #choice', 'slack'::"Platform", ${randomUUID()}, true, ${now})
        ON CONFLICT ("sourceRef") DO NOTHING RETURNING "id"
      ), tagged AS (
        INSERT INTO "UpdatePrinciple" ("updateId", "principleId") SELECT inserted."id", principle FROM inserted, unnest(${principles}::text[]) AS principle
      )
      SELECT inserted."id" FROM inserted`;
    return saved!.id;
  }
  return {
    saveUpdate,
    async close() {
      await db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** PGlite in a worker thread, asked one update at a time over its port. */
async function inWorker() {
  // The worker loads this file through tsx, as the main thread did.
  const worker = new Worker(`import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); })`, { eval: true });
  const waiting = new Map<number, { resolve: (id: string) => void; reject: (error: Error) => void }>();
  let next = 0;
  await new Promise<void>((ready, failed) => {
    worker.once("error", failed);
    worker.on("message", (message: { ready?: true; id?: number; result?: string; error?: string }) => {
      if (message.ready) return ready();
      const call = waiting.get(message.id!)!;
      waiting.delete(message.id!);
      if (message.error) call.reject(new Error(message.error));
      else call.resolve(message.result!);
    });
  });
  return {
    saveUpdate: (index: number) =>
      new Promise<string>((resolve, reject) => {
        const id = next++;
        waiting.set(id, { resolve, reject });
        worker.postMessage({ id, index });
      }),
    close: async () => {
      await worker.terminate();
    },
  };
}

async function serveWorker() {
  const path = await openUpdatePath();
  parentPort!.on("message", ({ id, index }: { id: number; index: number }) => {
    path.saveUpdate(index).then(
      (result) => parentPort!.postMessage({ id, result }),
      (error: unknown) => parentPort!.postMessage({ id, error: String(error) }),
    );
  });
  parentPort!.postMessage({ ready: true });
}

/** autocannon in a process of its own, so it takes no time from the server's thread. */
function load(port: number, seconds: number): Promise<{ requests: { average: number; total: number }; latency: { p99: number }; errors: number; non2xx: number }> {
  const cli = fileURLToPath(new URL("../node_modules/autocannon/autocannon.js", import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, "-c", "50", "-d", String(seconds), "-m", "POST", "-b", "update", "-j", `http://127.0.0.1:${port}`], { stdio: ["ignore", "pipe", "ignore"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(output)) : reject(new Error(`autocannon exited ${code}`))));
  });
}

async function measure(where: "in the server's thread" | "in a worker thread") {
  const path = where === "in a worker thread" ? await inWorker() : await openUpdatePath();
  let index = 0;
  const server = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      const until = performance.now() + workMs;
      while (performance.now() < until); // the bot's own work on this thread, as a stand-in
      path.saveUpdate(index++).then(
        (id) => response.end(JSON.stringify({ id })),
        () => {
          response.statusCode = 500;
          response.end();
        },
      );
    });
  });
  await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
  const port = (server.address() as { port: number }).port;
  try {
    await load(port, 3); // warm-up
    const cpu = process.cpuUsage();
    const result = await load(port, 10);
    const used = process.cpuUsage(cpu);
    return {
      PGlite: where,
      "requests/s": Math.round(result.requests.average),
      "p99 ms": result.latency.p99,
      errors: result.errors + result.non2xx,
      "CPU ms/request, all threads": ((used.user + used.system) / 1000 / result.requests.total).toFixed(2),
    };
  } finally {
    server.close();
    await path.close();
  }
}

if (isMainThread) {
  const rows = [];
  for (let pair = 0; pair < pairs; pair++) {
    rows.push(await measure("in the server's thread"));
    rows.push(await measure("in a worker thread"));
  }
  console.log(`The update path's two statements on PGlite, after ${workMs} ms of other work on the server's thread; 50 connections, 10 s; Node ${process.version}`);
  console.table(rows);
  process.exit(0);
} else {
  await serveWorker();
}
