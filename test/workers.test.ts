// TI_WORKERS: the bot as `npm start` runs it (its prestart build, then its start command), as several
// processes sharing one port on PostgreSQL; and refused, in one line, on the embedded database.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { readFileSync } from "node:fs";
import { get } from "node:http";
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, usingPostgres, type TestDatabase } from "./support/database.js";

const scripts = (JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> }).scripts;

/** An npm script's command, run with this Node rather than through npm (so the pid is the bot's). */
function npmScript(name: string, env: Record<string, string>): ChildProcessWithoutNullStreams {
  const [command, ...args] = scripts[name]!.split(" ");
  expect(command).toBe("node");
  return spawn(process.execPath, args, { env: { ...process.env, ...env } });
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** GET /healthz on a connection of its own, so each request may reach another worker. */
function health(port: number): Promise<{ status: string; worker?: number }> {
  return new Promise((resolve, reject) => {
    const request = get({ host: "127.0.0.1", port, path: "/healthz", agent: false, timeout: 2_000 }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => resolve(JSON.parse(body) as { status: string; worker?: number }));
    });
    // A connection handed to a worker as it dies is never answered.
    request.on("timeout", () => request.destroy(new Error("no answer within 2 s")));
    request.on("error", reject);
  });
}

/** Retries `check` until it stops throwing; throws its last failure after `timeoutMs`. */
async function until<T>(check: () => Promise<T>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

function parentOf(pid: number): number {
  return Number(/^PPid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("TI_WORKERS", () => {
  beforeAll(() => {
    const built = spawnSync(process.execPath, scripts.prestart!.split(" ").slice(1), { encoding: "utf8" });
    expect(built.status, built.stderr).toBe(0);
  }, 60_000);

  it("is refused on the embedded database, in one line naming the variable", async () => {
    const child = npmScript("start", { TI_WORKERS: "2", DATABASE_URL: "", PORT: "0", LOG_LEVEL: "info" });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((resolve) => child.once("close", resolve));
    expect(code).toBe(1);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toContain("TI_WORKERS=2");
    expect(stderr).toContain("DATABASE_URL");
  });

  describe.skipIf(!usingPostgres)("on PostgreSQL", () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase();
    });
    // A test that times out never reaches its own clean-up: nothing it started may outlive the file.
    const started: ChildProcessWithoutNullStreams[] = [];
    afterAll(async () => {
      for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await db?.destroy();
    });

    it("serves from two workers, replaces one that dies, and stops them all on SIGTERM", async () => {
      const port = await freePort();
      const primary = npmScript("start", { TI_WORKERS: "2", DATABASE_URL: db.url!, PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "info" });
      started.push(primary);
      const logs: Record<string, unknown>[] = [];
      let buffered = "";
      primary.stdout.on("data", (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split("\n");
        buffered = lines.pop() ?? "";
        for (const line of lines) logs.push(JSON.parse(line) as Record<string, unknown>);
      });
      const closed = new Promise<number | null>((resolve) => primary.once("close", resolve));
      try {
        const seen = new Set<number>();
        await until(async () => {
          const answer = await health(port);
          expect(answer.status).toBe("ok");
          seen.add(answer.worker!);
          expect(seen.size).toBe(2);
        }, 60_000);
        const [first, second] = [...seen] as [number, number];
        expect(parentOf(first)).toBe(primary.pid);
        expect(parentOf(second)).toBe(primary.pid);

        process.kill(first, "SIGKILL");
        const replacement = await until(async () => {
          const answer = await health(port);
          expect([first, second]).not.toContain(answer.worker);
          return answer.worker!;
        }, 60_000);
        expect(parentOf(replacement)).toBe(primary.pid);
        expect(logs.some((entry) => String(entry.msg).includes("stopped unexpectedly"))).toBe(true);

        primary.kill("SIGTERM");
        expect(await closed).toBe(0);
        expect(alive(second)).toBe(false);
        expect(alive(replacement)).toBe(false);
        expect(logs.at(-1)?.msg).toBe("Stopped");
      } finally {
        if (primary.exitCode === null && primary.signalCode === null) primary.kill("SIGKILL");
      }
    }, 120_000);
  });
});
