// What each run of `npm run bench:delivery` needs: a fresh database, members in two Slack workspaces and
// two Teams tenants with one broadcast queued to all of them through the core, the dispatcher process
// (bench/delivery-worker.ts), and a tally of what the platforms received.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { audienceSchema, recipientsQuery } from "../src/core/kernel/audience.js";
import { broadcastMessage } from "../src/core/broadcasts/compose-broadcast.js";
import type { CoreContext } from "../src/core/kernel/context.js";
import type { Platform } from "../src/core/kernel/interaction.js";
import { ensureNetwork } from "../src/core/network.js";
import { queueDeliveries } from "../src/core/kernel/outbox.js";
import type { PrismaClient } from "../src/db/generated/client.js";
import type { SeededMember } from "../test/support/seed.js";
import type { Platforms } from "./delivery-platforms.js";
import type { WorkerReport } from "./delivery-worker.js";
import { type Target } from "./targets.js";
import { coreContext } from "../test/support/core-context.js";

export const slackWorkspaces = ["T0BENCHA", "T0BENCHB"] as const;
export const teamsTenants = ["tenant-a", "tenant-b"] as const;




const announcement = [
  "**Reflective practice sessions** start again next week.",
  "",
  "- Tuesdays 12:30-13:15, online",
  "- Thursdays 16:00-16:45, Kirklees Town Hall",
  "",
  "Bring a case you'd like to think through with others. [Book a place](https://example.org/book).",
].join("\n");

/** `perWorkspace` members in each Slack workspace and Teams tenant, and one broadcast queued to everyone. */
export async function seedAndQueue(target: Target, platforms: Platforms, perWorkspace: number): Promise<SeededMember[]> {
  const db = await target.open();
  try {
    const network = await ensureNetwork(db.prisma, { name: "Bench network", timeZone: "Europe/London", sendingHours: "always" });
    const members = slackWorkspaces.flatMap((workspaceId, index) => [
      ...people("slack", workspaceId, perWorkspace),
      ...people("teams", teamsTenants[index]!, perWorkspace),
    ]);
    await insertMembers(db.prisma, network.id, members, platforms.teamsServiceUrl);
    platforms.track(members);
    const ctx: CoreContext = coreContext(db, network);
    const queued = await queueDeliveries(ctx, {
      purposeKey: "broadcast:bench",
      view: broadcastMessage(ctx, { text: announcement, authorName: "Bench Coordinator" }),
      recipients: recipientsQuery(ctx, audienceSchema.parse({ who: "everyone" })),
      respectQuietHours: true,
    });
    if (queued !== members.length) throw new Error(`queued ${queued} deliveries for ${members.length} members`);
    return members;
  } finally {
    await db.close();
  }
}

/** `count` people in one workspace, their ids made from `prefix` so two benchmarks' people never meet. */
export function people(platform: Platform, workspaceId: string, count: number, prefix = "bench"): SeededMember[] {
  return Array.from({ length: count }, (_, index) => {
    const tag = `${workspaceId.slice(-1)}${index}`.toUpperCase();
    return platform === "slack"
      ? { memberId: randomUUID(), addressId: randomUUID(), platform, workspaceId, userId: `U0${prefix.toUpperCase()}${tag}` }
      : { memberId: randomUUID(), addressId: randomUUID(), platform, workspaceId, userId: `29:1${prefix}${tag}`, conversationId: `a:${prefix}${tag}` };
  });
}

// test/support/seed.ts's seedMembers makes the same rows with createMany, which takes about 1.4 ms a row
// here (7 s for 5,000); one INSERT from arrays per table takes a fraction of a second.
export async function insertMembers(prisma: PrismaClient, networkId: string, members: readonly SeededMember[], serviceUrl: string): Promise<void> {
  const column = <K extends keyof SeededMember>(key: K) => members.map((member) => member[key] ?? null);
  const conversationRefs = members.map((member) =>
    member.platform === "teams"
      ? JSON.stringify({
          activityId: "1",
          user: { id: member.userId, name: "Person" },
          bot: { id: "28:bot", name: "TI Champions" },
          conversation: { id: member.conversationId, conversationType: "personal", tenantId: member.workspaceId, isGroup: false },
          channelId: "msteams",
          locale: "en-GB",
          serviceUrl,
        })
      : null,
  );
  await prisma.$executeRaw`
    INSERT INTO "Member" ("id", "networkId", "displayName", "role", "updatedAt")
    SELECT id, ${networkId}, 'Person ' || userId, 'champion'::"Role", ${new Date()} FROM unnest(${column("memberId")}::text[], ${column("userId")}::text[]) AS m(id, userId)`;
  await prisma.$executeRaw`
    INSERT INTO "Address" ("id", "platform", "workspaceId", "userId", "memberId", "conversationRef")
    SELECT id, platform::"Platform", workspaceId, userId, memberId, conversationRef::jsonb
    FROM unnest(${column("addressId")}::text[], ${column("platform")}::text[], ${column("workspaceId")}::text[], ${column("userId")}::text[],
                ${column("memberId")}::text[], ${conversationRefs}::text[]) AS a(id, platform, workspaceId, userId, memberId, conversationRef)`;
}

export interface DispatcherProcess {
  /** When the dispatcher started claiming. */
  started: Promise<Date>;
  /** Resolves true once no delivery is queued, sending or retrying; false after `timeoutMs`. */
  settled(timeoutMs: number): Promise<boolean>;
  peakRssMb(): number;
  /** As SIGTERM stops the bot: finishes sends in flight and records them. */
  stop(): Promise<void>;
  kill(): Promise<void>;
}

const workerScript = fileURLToPath(new URL("./delivery-worker.ts", import.meta.url));

export function startDispatcherProcess(env: Record<string, string>, cpuProfileDir?: string): DispatcherProcess {
  const profile = cpuProfileDir ? ["--cpu-prof", `--cpu-prof-dir=${cpuProfileDir}`] : [];
  const child = spawn(process.execPath, ["--import", "tsx", ...profile, workerScript], {
    env: { ...process.env, LOG_LEVEL: "error", ...env },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let progress: Extract<WorkerReport, { type: "progress" }> | undefined;
  let peakRss = 0;
  const sampler = setInterval(() => void rssMb(child.pid!).then((mb) => (peakRss = Math.max(peakRss, mb))), 250);
  void exited.then(() => clearInterval(sampler));
  const started = new Promise<Date>((resolve, reject) => {
    child.on("message", (message: WorkerReport) => {
      if (message.type === "started") resolve(new Date(message.at));
      else progress = message;
    });
    void exited.then(() => reject(new Error(`the dispatcher process exited (code ${child.exitCode}) before starting`)));
  });

  return {
    started,
    async settled(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the dispatcher process exited (code ${child.exitCode})`);
        if (progress?.unsettled === 0) return true;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return false;
    },
    peakRssMb: () => peakRss,
    async stop() {
      child.send("stop");
      const force = setTimeout(() => child.kill("SIGKILL"), 20_000);
      await exited;
      clearTimeout(force);
    },
    async kill() {
      child.kill("SIGKILL");
      await exited;
    },
  };
}

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

export interface Tally {
  statuses: Record<string, number>;
  sent: Record<Platform, { count: number; lastAt: Date | null }>;
  /** When the last outcome was recorded. */
  lastSettledAt: Date;
  /** People the platforms accepted more than one message for. */
  duplicates: number;
  /** People the platforms accepted no message for. */
  losses: number;
}

/** What the database recorded and the platforms received; for PGlite, only once the dispatcher process has exited. */
export async function tally(target: Target, platforms: Platforms, members: readonly SeededMember[]): Promise<Tally> {
  const db = await target.open();
  try {
    const statuses = await db.prisma.delivery.groupBy({ by: ["status"], _count: { _all: true } });
    const sent = await db.prisma.delivery.groupBy({ by: ["platform"], where: { status: "sent" }, _count: { _all: true }, _max: { sentAt: true } });
    const last = await db.prisma.delivery.aggregate({ _max: { updatedAt: true } });
    const bySent = (platform: Platform) => sent.find((row) => row.platform === platform);
    const received = members.map((member) => platforms.received(member));
    return {
      statuses: Object.fromEntries(statuses.map((row) => [row.status, row._count._all])),
      sent: {
        slack: { count: bySent("slack")?._count._all ?? 0, lastAt: bySent("slack")?._max.sentAt ?? null },
        teams: { count: bySent("teams")?._count._all ?? 0, lastAt: bySent("teams")?._max.sentAt ?? null },
      },
      lastSettledAt: last._max.updatedAt ?? new Date(0),
      duplicates: received.filter((count) => count > 1).length,
      losses: received.filter((count) => count === 0).length,
    };
  } finally {
    await db.close();
  }
}
