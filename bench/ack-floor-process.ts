// What bench:ack measures of the processes it starts (the floor and the bot): a free port, readiness,
// quiet after start, RSS and CPU time, each over the process and its cluster workers, from /proc.
import type { ChildProcess } from "node:child_process";
import { readFile } from "node:fs/promises";
import { createServer } from "node:net";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/** RSS of a process and its descendants (the bot's cluster workers), in MB. */
export async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  const children = (await readFile(`/proc/${pid}/task/${pid}/children`, "utf8").catch(() => "")).split(/\s+/).filter(Boolean).map(Number);
  const below = await Promise.all(children.map(rssMb));
  return Math.round(kb / 1024) + below.reduce((sum, mb) => sum + mb, 0);
}

/** User and system CPU time a process and its descendants have used so far, in ms. */
export async function cpuSplitMs(pid: number): Promise<[number, number]> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const children = (await readFile(`/proc/${pid}/task/${pid}/children`, "utf8").catch(() => "")).split(/\s+/).filter(Boolean).map(Number);
  const below = await Promise.all(children.map(cpuSplitMs));
  return below.reduce<[number, number]>(([user, system], [u, s]) => [user + u, system + s], [
    (Number(fields[11] ?? 0) * 1000) / clockTicks,
    (Number(fields[12] ?? 0) * 1000) / clockTicks,
  ]);
}
// USER_HZ: 100 on every Linux this runs on.
const clockTicks = 100;

/**
 * Waits until the process is quiet: under a tenth of a core over a second. A freshly started bot keeps
 * busy after it is healthy (the scheduler catching up on missed slots), and loading it meanwhile would
 * measure that work, not acknowledgements. Returns how long that took (also printed: it is a cost).
 */
export async function settle(pid: number): Promise<number> {
  const started = performance.now();
  let before = await cpuSplitMs(pid);
  while (performance.now() - started < 60_000) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const now = await cpuSplitMs(pid);
    if (now[0] + now[1] - before[0] - before[1] < 100) break;
    before = now;
  }
  return Math.round(performance.now() - started);
}

export async function waitUntilReady(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the process exited with code ${child.exitCode}`);
    const healthy = await fetch(`${url}/healthz`).then((res) => res.ok, () => false);
    if (healthy) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error("not ready within 60 s");
}
