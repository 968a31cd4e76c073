// The floor sender of bench/delivery-floor.ts: reads the requests, sends them `concurrency` at a time with
// undici.request through one keep-alive pool, and prints how long that took and the CPU it used.
import { readFile } from "node:fs/promises";
import { Agent, request } from "undici";
import type { FloorRequest, FloorResult } from "./delivery-floor.js";

const { requests, concurrency } = JSON.parse(await readFile(process.argv[2]!, "utf8")) as { requests: FloorRequest[]; concurrency: number };
const pool = new Agent({ keepAliveTimeout: 30_000 });
let next = 0;
let failed = 0;

async function sender(): Promise<void> {
  while (next < requests.length) {
    const { url, headers, body } = requests[next++]!;
    const answer = await request(url, { method: "POST", headers, body, dispatcher: pool });
    await answer.body.text();
    if (answer.statusCode >= 300) failed++;
  }
}

const cpuBefore = process.cpuUsage();
const started = performance.now();
await Promise.all(Array.from({ length: concurrency }, sender));
const ms = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
const result: FloorResult = { sends: requests.length, ms, cpuMsPerSend: (cpu.user + cpu.system) / 1000 / requests.length, failed };
process.stdout.write(JSON.stringify(result));
await pool.close();
